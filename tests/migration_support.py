"""Old schemas for the upgrade tests: a database brought only as far as an early
Alembic revision, and the branch row a kiosk of that time held."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "kiosk" / "migrations"
OLD_BRANCH = ("INSERT INTO branch (id, name_zh, name_en, address, hotline, timezone) "
              "VALUES ('OLD1', '旧网点', 'Old branch', '', '', 'Asia/Shanghai')")


@contextmanager
def upgraded_to(engine: Engine, *revisions: str) -> Iterator[Connection]:
    """One transaction on ``engine``, upgraded to each of ``revisions`` in turn (this
    checkout's migrations); what the body writes commits with it."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        for revision in revisions:
            command.upgrade(cfg, revision)
        yield conn
