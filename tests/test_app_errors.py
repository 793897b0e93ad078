"""Database failures become bilingual KioskErrors in the application layer (issue 9
item 11): a corrupt or truncated SQLite file names the file and what to do, a full disk
says "disk full", a lock held too long says "busy"; the CLI exits 1 with one JSON
error object and no traceback."""

from __future__ import annotations

import json
import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import AppContext, DatabaseBusy, DatabaseCorrupt
from kiosk.app.errors import DatabaseUnreachable
from kiosk.app.tickets import take_ticket
from kiosk.branch.settings import apply_config
from kiosk.cli import main
from tests.conftest import open_all_hours
from tests.test_cli import MONDAY


def _made(tmp_path: Path, tickets: int = 3) -> Path:
    """A branch database with ``tickets`` claims tickets, all in the main file."""
    path = tmp_path / "branch.db"
    with AppContext.open(f"sqlite:///{path}") as app:
        with app.write() as session:
            apply_config(session, open_all_hours())
        for _ in range(tickets):
            take_ticket(app, "claims")
    with sqlite3.connect(path) as conn:  # nothing left in the write-ahead log
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    return path


def _assert_corrupt_reported(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (("queue",), ("ticket", "take", "claims"), ("init",)):
        code = main(["--db", f"sqlite:///{path}", *command, "--json"])
        out, err = capsys.readouterr()
        assert code == 1, (command, err)
        assert "Traceback" not in err
        (line,) = out.splitlines()  # one JSON object: the error
        error = json.loads(line)
        assert error["error"] == "database_corrupt"
        assert str(path) in error["message_en"]
        assert str(path) in error["message_zh"]
        assert "restore it from the backup" in error["message_en"]
        assert "kiosk init" in error["message_zh"]
        assert str(path) in err
        assert "damaged" in err


def test_a_database_file_with_a_corrupt_header_is_named_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _made(tmp_path)
    with path.open("r+b") as f:
        f.write(b"this is no longer SQLite")
    _assert_corrupt_reported(path, capsys)


@pytest.mark.parametrize("keep", [100, 4096, 3 * 4096, 0.5])
def test_a_truncated_database_file_is_named_with_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], keep: float) -> None:
    path = _made(tmp_path)
    size = path.stat().st_size
    os.truncate(path, int(size * keep) if isinstance(keep, float) else keep)
    _assert_corrupt_reported(path, capsys)


def test_the_app_layer_raises_the_corrupt_error_itself(tmp_path: Path) -> None:
    path = _made(tmp_path, tickets=0)
    with path.open("r+b") as f:
        f.write(b"\0" * 100)
    with pytest.raises(DatabaseCorrupt) as caught:
        AppContext.open(f"sqlite:///{path}")
    assert caught.value.where == str(path)
    assert str(path) in caught.value.message("zh")


def test_a_full_disk_says_disk_full_and_loses_nothing_already_saved(tmp_path: Path) -> None:
    # A private mount namespace with a 2 MiB tmpfs (the schema alone is ~450 KiB): the
    # database is made there, a filler takes the rest of the space, then a ticket is
    # taken. Unmounted by the kernel when the shell ends.
    folder = tmp_path / "small"
    folder.mkdir()
    url = f"sqlite:///{folder / 'branch.db'}"
    python = shlex.quote(sys.executable)
    script = f"""
set -e
mount -t tmpfs -o size=2m tmpfs {folder}
cd {tmp_path}
{python} -m kiosk --db {url} ticket take claims --json > first.json
dd if=/dev/zero of={folder}/filler bs=1k count=4000 2>/dev/null || true
{python} -m kiosk --db {url} ticket take claims --json > full.json 2> full.err || echo $? > full.rc
rm {folder}/filler
{python} -m kiosk --db {url} ticket show D001 --json > after.json
"""
    done = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
                          env={**os.environ, "KIOSK_NOW": MONDAY}, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "first.json").read_text())["number"] == "D001"
    assert (tmp_path / "full.rc").read_text().strip() == "1"
    error = json.loads((tmp_path / "full.json").read_text())
    assert error["error"] == "disk_full"
    assert error["message_en"].startswith("disk full")
    assert "磁盘已满" in error["message_zh"]
    stderr = (tmp_path / "full.err").read_text()
    assert "disk full" in stderr
    assert "Traceback" not in stderr
    # The ticket taken before the disk filled is still there, and readable.
    assert json.loads((tmp_path / "after.json").read_text())["status"] == "waiting"


def test_a_lock_held_too_long_is_busy_not_unreachable(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_NOW", MONDAY)
    path = _made(tmp_path, tickets=0)
    monkeypatch.setattr("kiosk.db.SQLITE_BUSY_TIMEOUT_MS", 200)
    app = AppContext.open(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # another program writing, and not letting go
    try:
        with pytest.raises(DatabaseBusy) as caught:
            take_ticket(app, "claims")
    finally:
        other.execute("ROLLBACK")
        other.close()
        app.close()
    assert caught.value.code == "database_busy"
    assert "busy" in caught.value.en
    assert "正忙" in caught.value.zh


def test_an_unreachable_server_is_a_database_error_of_the_app_layer() -> None:
    with pytest.raises(DatabaseUnreachable) as caught:
        AppContext.open("postgresql://nobody@127.0.0.1:1/none")
    assert caught.value.where == "127.0.0.1:1/none"
    assert "database unreachable" in caught.value.en
