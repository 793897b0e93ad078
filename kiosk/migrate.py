"""Schema upgrades and first-run seeding, safe when several processes start at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text

from kiosk.branch.settings import BranchConfig, apply_config, default_config
from kiosk.db import unit_of_work
from kiosk.models import Branch

_MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_KEY = 0x4B494F53  # "KIOS": serialises PostgreSQL upgrades across PCs


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revisions() -> frozenset[str]:
    """The newest revision of every migration branch. Subsystems branch off the
    foundation independently, so there may be several heads; all are applied."""
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(engine: Engine) -> frozenset[str]:
    with engine.connect() as conn:
        return frozenset(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; returns True when anything ran.

    The whole upgrade runs in one transaction that holds SQLite's write lock or a
    PostgreSQL advisory lock, so two kiosks starting together do not both migrate."""
    heads = head_revisions()
    if current_revisions(engine) == heads:
        return False
    cfg = _config()
    with engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
        if frozenset(MigrationContext.configure(conn).get_current_heads()) == heads:
            return False
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    return True


def ensure_ready(engine: Engine, config: BranchConfig | None = None) -> bool:
    """Upgrade the schema and seed the default branch on first use.

    Returns True when the branch settings were seeded now."""
    upgrade(engine)
    with unit_of_work(engine, write=True) as session:
        if session.scalar(select(Branch.id).limit(1)) is not None:
            return False
        # Seeding is serialised like the upgrade: SQLite by the write lock the unit of
        # work took, PostgreSQL by the same advisory lock, then a second look (else two
        # processes both find no branch and the second insert fails on pk_branch).
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ADVISORY_KEY})
            if session.scalar(select(Branch.id).limit(1)) is not None:
                return False
        apply_config(session, config or default_config())
        return True
