"""A command on an up-to-date database checks the schema without importing Alembic;
the heads it compares with are those of the migration scripts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kiosk.db import make_engine
from kiosk.migrate import current_revisions, head_revisions, upgrade
from kiosk.migrations.heads import HEADS

LOADED_MODULES = """
import sys
from kiosk.cli import main
status = main(sys.argv[1:])
print("exit", status, *sorted(name for name in sys.modules if name.split(".")[0] == "alembic"
                              or name.startswith("sqlalchemy.dialects.postgresql")))
"""


def test_the_written_heads_are_those_of_the_migration_scripts() -> None:
    assert head_revisions() == HEADS, (
        "a migration was added or renamed: run `.venv/bin/python -m kiosk.migrate heads`")


def test_current_revisions_reads_the_stamp_and_an_empty_database_has_none(db_url: str) -> None:
    engine = make_engine(db_url)
    assert current_revisions(engine) == frozenset()
    assert upgrade(engine) is True
    assert current_revisions(engine) == HEADS
    assert upgrade(engine) is False
    engine.dispose()


def _loaded(tmp_path: Path, *args: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOADED_MODULES, "--db", f"sqlite:///{tmp_path / 'k.db'}", *args],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "KIOSK_NOW": "2026-11-23T10:00:00+08:00"})
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split()[1:]  # after what the command printed


def test_a_command_on_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    first = _loaded(tmp_path, "queue")  # a new file: migrated and seeded, Alembic needed
    assert first[0] == "0"
    assert "alembic" in first[1:]
    # Neither Alembic nor, on SQLite, the PostgreSQL dialect (the JSON columns' JSONB).
    again = _loaded(tmp_path, "ticket", "take", "claims")
    assert again == ["0"]

