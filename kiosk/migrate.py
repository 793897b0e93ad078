"""Schema upgrades and first-run seeding, safe when several processes start at once.

Every command calls :func:`ensure_ready`. On an up-to-date database that costs two
small queries and no Alembic import: the revisions stamped in ``alembic_version`` are
compared with :data:`kiosk.migrations.heads.HEADS`, written down when a migration is
added. Alembic is imported only when there is something to migrate."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, select, text

from kiosk.branch.settings import BranchConfig, apply_config, default_config
from kiosk.db import unit_of_work, writer_lock
from kiosk.migrations.heads import HEADS
from kiosk.models import Branch

if TYPE_CHECKING:
    from alembic.config import Config

_MIGRATIONS = Path(__file__).with_name("migrations")
_ADVISORY_KEY = 0x4B494F53  # "KIOS": serialises PostgreSQL upgrades across PCs


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def head_revisions() -> frozenset[str]:
    """The newest revision of every migration branch, read from the migration scripts
    (imports Alembic). Subsystems branch off the foundation independently, so there
    may be several heads; all are applied."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions stamped in the database, read directly (no Alembic import)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; returns True when anything ran.

    The whole upgrade runs in one transaction that holds SQLite's write lock or a
    PostgreSQL advisory lock, so two kiosks starting together do not both migrate."""
    if current_revisions(engine) == HEADS:
        return False
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    heads = head_revisions()
    cfg = _config()
    with writer_lock(engine), engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
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
    with unit_of_work(engine) as session:  # the usual case, without the write lock
        if session.scalar(select(Branch.id).limit(1)) is not None:
            return False
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


def write_heads() -> Path:
    """Rewrite ``kiosk/migrations/heads.py`` from the migration scripts."""
    path = _MIGRATIONS / "heads.py"
    text_ = path.read_text(encoding="utf-8")
    body = "".join(f'    "{head}",\n' for head in sorted(head_revisions()))
    path.write_text(text_[:text_.index("HEADS = ")] + "HEADS = frozenset({\n" + body + "})\n",
                    encoding="utf-8")
    return path


if __name__ == "__main__":
    if sys.argv[1:] != ["heads"]:
        sys.exit("usage: python -m kiosk.migrate heads   (rewrites kiosk/migrations/heads.py)")
    print(write_heads())
