"""SQLite's WAL is copied back into the database after a writer has released the
writer lock, never inside a writer's transaction where every other writer would
queue behind the two fsyncs of a checkpoint."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

import kiosk.db
from kiosk.db import (
    CHECKPOINT_AFTER_FRAMES,
    WAL_AUTOCHECKPOINT_PAGES,
    unit_of_work,
    wal_backlog,
    writer_lock_path,
)
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM

ROOT = Path(__file__).resolve().parents[1]
CODES = ["claims", "enquiry", "payments", "policy_change", "new_business", "complaints"]


def lock_is_free(engine: Engine) -> bool:
    """Whether another open file description can take the writer lock right now."""
    path = writer_lock_path(engine)
    assert path is not None
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o664)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing drops the lock if we took it
    return True


def test_sqlites_own_checkpoint_is_only_a_backstop(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        pages = session.connection().exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
    assert pages == WAL_AUTOCHECKPOINT_PAGES
    assert WAL_AUTOCHECKPOINT_PAGES > 4 * CHECKPOINT_AFTER_FRAMES


def test_writers_checkpoint_with_the_lock_released(engine: Engine) -> None:
    """Takes until the WAL has passed the threshold several times: every checkpoint
    statement SQLite runs happens while another process could take the writer lock,
    and the backlog never outgrows the threshold by more than one unit of work."""
    seen: list[bool] = []  # per checkpoint: was the writer lock free?

    def trace(statement: str) -> None:
        if "wal_checkpoint" in statement:
            seen.append(lock_is_free(engine))

    @event.listens_for(engine, "connect")
    def _trace(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.set_trace_callback(trace)

    engine.dispose()  # new connections, traced
    backlog_after: list[int] = []
    for i in range(400):
        with unit_of_work(engine, write=True) as session:
            Lobby(session, now=MONDAY_10AM).take(CODES[i % len(CODES)])
        backlog = wal_backlog(engine)
        assert backlog is not None
        backlog_after.append(backlog)
    assert len(seen) >= 3, f"{len(seen)} checkpoints in 400 takes"
    assert all(seen), "a checkpoint ran while the writer lock was held"
    assert max(backlog_after) < CHECKPOINT_AFTER_FRAMES + 50
    assert min(backlog_after) < 20  # a checkpoint copied everything back


def test_a_failed_checkpoint_never_fails_the_write(engine: Engine, monkeypatch: Any,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """The take is committed before the checkpoint: a checkpoint that cannot run (here
    the database file's connection refuses it) is logged and the take stands."""
    monkeypatch.setattr(kiosk.db, "CHECKPOINT_AFTER_FRAMES", 0)

    @event.listens_for(engine, "connect")
    def _refuse(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        def authorizer(action: int, *_: Any) -> int:
            return sqlite3.SQLITE_DENY if action == sqlite3.SQLITE_PRAGMA else sqlite3.SQLITE_OK
        dbapi_conn.set_authorizer(authorizer)

    with unit_of_work(engine) as session:  # a first connection before the refusal
        Lobby(session, now=MONDAY_10AM).services()
    engine.dispose()
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session, now=MONDAY_10AM).take("claims").number
    assert number == "D001"
    assert "WAL checkpoint" in caplog.text
    assert "not authorized" in caplog.text
    backlog = wal_backlog(engine)
    assert backlog is not None
    assert backlog > 0
    assert kiosk.db.checkpoint_if_due(engine) is False


READER = """
import sqlite3, subprocess, sys
from kiosk.db import make_engine, wal_backlog
engine = make_engine(sys.argv[1])
path = engine.url.database
writer = (
    "import sqlite3, sys\\n"
    "for _ in range(100):\\n"
    "    c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)\\n"
    "    c.execute('BEGIN IMMEDIATE')\\n"
    "    c.execute('INSERT INTO t VALUES (1)')\\n"
    "    c.execute('COMMIT')\\n"
    "    c.close()\\n")
reader = sqlite3.connect(path, isolation_level=None)
reader.execute("PRAGMA journal_mode=WAL")
reader.execute("CREATE TABLE t (x)")
writers = [subprocess.Popen([sys.executable, "-c", writer, path]) for _ in range(4)]
while any(w.poll() is None for w in writers):
    reader.execute("SELECT count(*) FROM t").fetchall()
    wal_backlog(engine)
assert [w.returncode for w in writers] == [0] * 4
print(reader.execute("SELECT count(*) FROM t").fetchone()[0])
"""


def test_reading_the_backlog_keeps_sqlites_locks_while_other_processes_come_and_go(
        sqlite_url: str) -> None:
    """A process that reads the backlog while it holds a connection, with writers
    opening and closing the database around it: reading the -shm file must not drop
    this process's wal-index locks (a writer would then reset the -shm file under the
    reader's mapping: SIGBUS)."""
    done = subprocess.run([sys.executable, "-c", READER, sqlite_url], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    assert done.stdout.split() == ["400"]
