"""Every table carries the branch id, so branches can later roll up into one central
PostgreSQL database."""

from __future__ import annotations

from kiosk.models import Base

# Tables that are not per-branch data: the branch itself (its id is the key).
NOT_BRANCH_SCOPED = {"branch"}


def test_every_table_has_a_branch_id_referencing_the_branch() -> None:
    tables = Base.metadata.sorted_tables
    assert len(tables) > 15  # every subsystem's tables are registered
    missing, unreferenced = [], []
    for table in tables:
        if table.name in NOT_BRANCH_SCOPED:
            continue
        column = table.columns.get("branch_id")
        if column is None:
            missing.append(table.name)
        elif not any(fk.column.table.name == "branch" for fk in column.foreign_keys):
            unreferenced.append(table.name)
    assert missing == []
    assert unreferenced == []
