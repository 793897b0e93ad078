"""The SQLite connection set-up the queue engine relies on: WAL, enforced foreign keys,
a busy timeout, and the write lock taken at BEGIN by a writing unit of work."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from kiosk.db import SQLITE_BUSY_TIMEOUT_MS, unit_of_work


def test_sqlite_connections_use_wal_and_wait_for_a_busy_database(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS


def test_sqlite_enforces_foreign_keys(engine: Engine) -> None:
    with pytest.raises(IntegrityError), unit_of_work(engine, write=True) as session:
        session.execute(text(
            "INSERT INTO counter (branch_id, number, name_zh, name_en, status) "
            "VALUES ('NO-SUCH-BRANCH', 9, '', '', 'closed')"))


def test_a_writing_unit_of_work_holds_the_write_lock_from_its_start(engine: Engine) -> None:
    database = engine.url.database
    assert database is not None
    other = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        with unit_of_work(engine, write=True) as session:
            session.execute(text("SELECT 1"))  # nothing written yet: the lock is held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released at commit
        other.execute("ROLLBACK")
    finally:
        other.close()
