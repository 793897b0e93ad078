"""stations: devices per station, print jobs addressed to a station, device health

Every device row and print job gets a ``station`` column. A database that had one
receipt printer for the whole branch (and its keypad buses) moves them, and every
job still in it, to one station: the one the migrating PC is named by default
(``KIOSK_STATION``, else its host name). On a single-PC installation that is the
kiosk itself, which keeps printing with nothing to configure; on a shared
PostgreSQL database check ``kiosk devices list`` after the upgrade
(docs/printing.md, "Stations").

Revision ID: 0008_stations
Revises: 0002_printing, 0003_keypads
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_stations"
down_revision: str | tuple[str, ...] | None = ("0002_printing", "0003_keypads")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _legacy_station() -> str:
    # The one rule every process uses to name its station, minus --station (the
    # migration runs before any command sees it).
    from kiosk.devices.stations import resolve_station

    return resolve_station()


def _add_station(table: str, legacy: str, unique: str | None = None) -> None:
    """Add ``table.station`` filled with ``legacy``; ``unique`` names the column whose
    unique key (branch_id, column) becomes (branch_id, station, column)."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("station", sa.String(length=40), nullable=False,
                                      server_default=legacy))
        if unique is not None:
            batch_op.drop_constraint(f"uq_{table}_branch_id_{unique}", type_="unique")
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_branch_id_station_{unique}"),
                ["branch_id", "station", unique])
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column("station", server_default=None)


def upgrade() -> None:
    legacy = _legacy_station()
    _add_station("printer", legacy, "name")
    _add_station("print_job", legacy)
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.create_index("ix_print_job_station_state", ["branch_id", "station", "state"],
                              unique=False)
    _add_station("keypad_port", legacy, "url")

    op.create_table(
        "a4_output",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_a4_output_branch_id_branch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_a4_output")),
        sa.UniqueConstraint("branch_id", "station", name=op.f("uq_a4_output_branch_id_station")),
    )
    with op.batch_alter_table("a4_output", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_a4_output_branch_id"), ["branch_id"], unique=False)

    op.create_table(
        "device_health",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("device", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("problem_zh", sa.String(length=200), nullable=False),
        sa.Column("problem_en", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_device_health_branch_id_branch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_health")),
        sa.UniqueConstraint("branch_id", "station", "device",
                            name=op.f("uq_device_health_branch_id_station_device")),
    )
    with op.batch_alter_table("device_health", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_device_health_branch_id"), ["branch_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("device_health", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_device_health_branch_id"))
    op.drop_table("device_health")
    with op.batch_alter_table("a4_output", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_a4_output_branch_id"))
    op.drop_table("a4_output")
    with op.batch_alter_table("keypad_port", schema=None) as batch_op:
        batch_op.drop_constraint("uq_keypad_port_branch_id_station_url", type_="unique")
        batch_op.create_unique_constraint("uq_keypad_port_branch_id_url", ["branch_id", "url"])
        batch_op.drop_column("station")
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index("ix_print_job_station_state")
        batch_op.drop_column("station")
    with op.batch_alter_table("printer", schema=None) as batch_op:
        batch_op.drop_constraint("uq_printer_branch_id_station_name", type_="unique")
        batch_op.create_unique_constraint("uq_printer_branch_id_name", ["branch_id", "name"])
        batch_op.drop_column("station")
