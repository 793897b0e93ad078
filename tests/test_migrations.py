"""Migrations: they build exactly the tables the models describe, on both backends,
and upgrade a database that holds data without losing it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from kiosk.db import make_engine, unit_of_work
from kiosk.migrate import ensure_ready, head_revisions, upgrade
from kiosk.models import Base
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM
from tests.migration_support import OLD_BRANCH, upgraded_to


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrading_a_foundation_only_database_keeps_its_tickets(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with upgraded_to(engine, "0001") as conn:
        conn.execute(text(OLD_BRANCH))
        conn.execute(text(
            "INSERT INTO ticket (branch_id, business_date, number, seq, issue_service, "
            "service_code, priority, status, issued_at, recalls) VALUES ('OLD1', "
            "'2026-11-20', 'D001', 1, 'claims', 'claims', 'normal', 'done', "
            "'2026-11-20 02:00:00', 0)"))
    assert ensure_ready(engine) is False  # the branch exists: nothing re-seeded
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
        number = conn.execute(text("SELECT number FROM ticket")).scalar_one()
    assert frozenset(heads) == head_revisions()
    assert number == "D001"
    with unit_of_work(engine) as session:
        assert Lobby(session, now=MONDAY_10AM).branch.name_en == "Old branch"
    engine.dispose()
