"""Engines, sessions and the write lock.

One session per user action (a button press, a CLI command, a keypad key), opened by
the caller through :func:`unit_of_work` and committed or rolled back there; the
functions of the engine take the session and never commit.

SQLite is set up on every connection: WAL, foreign keys, a busy timeout, and
transactions begun by us so that writers can take the write lock up front
(``BEGIN IMMEDIATE``). On PostgreSQL the engine relies on row locks and
compare-and-set updates instead.

Writers queue on SQLite. SQLite itself does not queue a writer that finds the write
lock taken: its busy handler sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then
100 ms at a time and tries again, so with eight kiosks writing at once a waiting
writer slept up to a second while the lock, held a few milliseconds at a time, was
free most of that sleep (docs/BENCHMARKS.md, "Writers that queue"). A write unit of
work therefore first takes the writer lock beside the database (a blocking OS lock
the kernel hands on the moment it is released, taken in turn: :mod:`kiosk.writer_lock`)
and only then ``BEGIN IMMEDIATE``; it releases it after the commit or rollback. A
writer that waits longer than the busy timeout gets a "database busy" error, as it
did from SQLite.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session

from kiosk.db_url import default_url as default_url
from kiosk.db_url import resolve_url as resolve_url
from kiosk.errors import UsageError
from kiosk.writer_lock import writer_lock as hold_writer_lock

SQLITE_BUSY_TIMEOUT_MS = 30_000
# SQLite's automatic checkpoint, inside a writer's commit: only a backstop (40 MB of WAL
# at the default page size) for when :func:`checkpoint_if_due` cannot run.
WAL_AUTOCHECKPOINT_PAGES = 10_000
# WAL frames not yet in the database after which a writer checkpoints, lock released.
CHECKPOINT_AFTER_FRAMES = 500

log = logging.getLogger(__name__)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine with the connection set-up the queue engine depends on.

    Raises:
        UsageError: ``url`` is not a URL, or names a database or driver we do not ship
            (the engine's rules are written for SQLite and PostgreSQL only).
    """
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise ArgumentError(f"unsupported backend {parsed.get_backend_name()}")
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(
                url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
            )
            _configure_sqlite(engine)
            return engine
        return create_engine(url, pool_pre_ping=True, **kwargs)
    except (ArgumentError, ValueError, ImportError) as exc:
        # ValueError: a port that is not a number; ImportError: a driver not installed.
        # The URL itself is not echoed: it may carry a password.
        raise UsageError(
            "无法使用该数据库地址，请使用 sqlite:///文件路径 或 postgresql://用户@主机/库名",
            f"cannot use this database URL ({exc}); use sqlite:///PATH or "
            "postgresql://USER@HOST/DBNAME", code="database_url") from exc


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own BEGIN is always DEFERRED).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def dialect_insert(session: Session) -> Any:
    """The INSERT construct with ``ON CONFLICT`` support for the session's database
    (the PostgreSQL dialect is imported only for a PostgreSQL database)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def writer_lock_path(engine: Engine) -> Path | None:
    """The lock file beside a SQLite database file; None for PostgreSQL or an
    in-memory database."""
    if not is_sqlite(engine):
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(f"{database}.writer-lock")


def writer_lock(engine: Engine, timeout_s: float = SQLITE_BUSY_TIMEOUT_MS / 1000
                ) -> AbstractContextManager[None]:
    """Hold the database's writer lock, in turn (:mod:`kiosk.writer_lock`; SQLite files
    only, nothing otherwise).

    Raises:
        KioskError: another writer held the lock for ``timeout_s`` (code
            ``database_busy``).
    """
    return hold_writer_lock(writer_lock_path(engine), timeout_s)


@contextmanager
def unit_of_work(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """A session for one user action: commit on success, roll back on error.

    ``write=True`` takes SQLite's write lock at BEGIN, so the read-then-write steps of
    numbering a ticket or calling the next one cannot interleave with another process;
    writers wait for it in turn on the writer lock file (:func:`writer_lock`)."""
    # Made before the lock is taken: a session connects only at its first statement.
    bind = engine.execution_options(sqlite_begin="IMMEDIATE") if write else engine
    session = Session(bind=bind, expire_on_commit=False)
    try:
        with writer_lock(engine) if write else nullcontext():
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
    finally:
        # After the lock: the transaction has ended, and handing the connection back
        # to the pool (its reset) need not hold up the next writer.
        session.close()
    if write:
        checkpoint_if_due(engine)


# One read-only descriptor per -shm file, kept open. Closing any descriptor of a file
# drops every POSIX lock the process holds on it, SQLite's wal-index locks included:
# another process then takes itself for the database's only user, truncates the -shm
# file, and this process dies of SIGBUS reading its mapping (tests/test_wal_checkpoint.py).
# A descriptor is closed only once its file is deleted (the last connection closed).
_SHM_FDS: dict[str, int] = {}
_SHM_FDS_LOCK = threading.Lock()


def _read_shm_header(path: str) -> bytes | None:
    with _SHM_FDS_LOCK:
        for known, stale in list(_SHM_FDS.items()):
            if os.fstat(stale).st_nlink == 0:
                os.close(stale)
                del _SHM_FDS[known]
        if path not in _SHM_FDS:
            try:
                _SHM_FDS[path] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError:
                return None
        return os.pread(_SHM_FDS[path], 100, 0)


def wal_backlog(engine: Engine) -> int | None:
    """WAL frames not yet copied into the database file, from the wal-index header in
    the ``-shm`` file (https://www.sqlite.org/walformat.html: ``mxFrame`` at byte 16,
    ``nBackfill`` at byte 96, native byte order). A read without a lock, good enough
    to decide whether to checkpoint; None when there is no such file to read."""
    if writer_lock_path(engine) is None:
        return None
    header = _read_shm_header(f"{engine.url.database}-shm")
    if header is None or len(header) < 100:
        return None
    max_frame = int.from_bytes(header[16:20], sys.byteorder)
    backfilled = int.from_bytes(header[96:100], sys.byteorder)
    return max(0, max_frame - backfilled)


def checkpoint_if_due(engine: Engine) -> bool:
    """Copy the WAL into the database if its backlog passed
    :data:`CHECKPOINT_AFTER_FRAMES`; called with the writer lock released. A
    ``PASSIVE`` checkpoint waits for nobody: if another process is checkpointing, or
    a reader still needs old frames, it copies what it can (the next one finishes).
    Returns whether it ran."""
    backlog = wal_backlog(engine)
    if backlog is None or backlog < CHECKPOINT_AFTER_FRAMES:
        return False
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        cursor.fetchall()
        cursor.close()
    except Exception as exc:  # the write itself is committed: never fail it over this
        log.warning("WAL checkpoint of %s did not run: %s", engine.url.database, exc)
        return False
    finally:
        raw.close()
    return True
