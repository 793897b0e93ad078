"""Following the call feed from another process or PC: wake up when something new
commits, read it with :func:`kiosk.queue.feed.events_since`, survive the database
going away.

How a :class:`FeedListener` learns that something committed:

- **PostgreSQL**: ``LISTEN kiosk_feed`` on a connection of its own. The feed trigger
  sends the notification inside the writing transaction, so PostgreSQL delivers it at
  the commit, never before; the listener sleeps in ``select()`` on that socket. Every
  ``CHECK_S`` seconds without news it runs ``SELECT 1`` on that connection (a network
  that died without a word is noticed) and reads the feed once anyway.
- **SQLite**: no notifications exist, so it polls ``PRAGMA data_version`` every
  ``POLL_S`` seconds on a connection of its own: a few microseconds, no table touched,
  and it changes whenever another connection (any process) commits. Also checked: the
  database file is still the same file (moved away or replaced by a restore = lost).

The figures behind these choices are in docs/BENCHMARKS.md ("The call feed").

When the database cannot be reached, the listener reports it (``on_connection(False,
reason)``), retries with a growing pause (``RETRY_MIN_S`` doubling up to
``RETRY_MAX_S``: it never spins), and on success reports it back and reads everything
it missed: the feed position, not the notifications, says what is new.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import sqlite3
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from kiosk.branch.info import load_branch
from kiosk.db import make_engine, unit_of_work
from kiosk.queue import feed
from kiosk.queue.feed import FeedEvent

log = logging.getLogger(__name__)

POLL_S = 0.05
CHECK_S = 5.0
RETRY_MIN_S = 0.25
RETRY_MAX_S = 2.0
CONNECT_TIMEOUT_S = 5

ConnectionCallback = Callable[[bool, str], None]


class FeedConnectionLost(Exception):
    """The database went away (or its file moved); the listener will try again."""


class _Waiter(Protocol):
    def wait(self, seconds: float) -> None: ...
    def wake(self) -> None: ...
    def close(self) -> None: ...


class FeedListener:
    """Follows one branch's feed; :meth:`next_events` blocks until there is news.

    ``after_id`` is the position to carry on from (``None``: the newest at the first
    connection, i.e. only what happens from now on). Use it from one thread;
    :meth:`stop` may be called from any thread (or a signal handler) and makes a
    blocked :meth:`next_events` return ``[]`` at once.
    ``on_connection(connected, reason)`` is called from the listening thread each time
    the database is lost or found again (not at the first connection)."""

    def __init__(self, engine: Engine, after_id: int | None = None, *,
                 branch_id: str | None = None, kinds: Collection[str] | None = None,
                 limit: int = feed.DEFAULT_LIMIT, poll_s: float = POLL_S,
                 check_s: float = CHECK_S,
                 on_connection: ConnectionCallback | None = None) -> None:
        # An engine of its own: it may be thrown away (pool and all) when the database
        # goes, without touching the caller's.
        self.engine = make_engine(engine.url.render_as_string(hide_password=False))
        self.position = after_id
        self.branch_id = branch_id
        self.kinds = feed.check_kinds(kinds)
        self.limit, self.poll_s, self.check_s = limit, poll_s, check_s
        self.on_connection = on_connection
        self.connected: bool | None = None  # None until the first attempt
        self.last_error = ""
        self.failed_attempts = 0  # since the database was last reachable
        self._stop = threading.Event()
        self._waiter: _Waiter | None = None
        self._retry_s = RETRY_MIN_S

    # ----- public --------------------------------------------------------------------

    def next_events(self, timeout: float | None = None) -> list[FeedEvent]:
        """The next events in feed order; ``[]`` after ``timeout`` seconds without any,
        or once :meth:`stop` was called. Never raises for a lost database."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stop.is_set():
            try:
                if self._waiter is None:
                    self._connect()
                events = self._read()
                if events:
                    return events
                left = _left(deadline)
                if left is not None and left <= 0:
                    return []
                assert self._waiter is not None
                self._waiter.wait(self.check_s if left is None else min(left, self.check_s))
            except (FeedConnectionLost, DBAPIError, sqlite3.Error, OSError) as exc:
                self._lost(exc)
                if not self._pause(deadline):
                    return []
        return []

    def stop(self) -> None:
        """Make :meth:`next_events` return now and every later call return ``[]``."""
        self._stop.set()
        waiter = self._waiter
        if waiter is not None:
            waiter.wake()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def close(self) -> None:
        self.stop()
        self._drop()
        self.engine.dispose()

    # ----- inside --------------------------------------------------------------------

    def _connect(self) -> None:
        url = self.engine.url
        if url.get_backend_name() == "postgresql":
            waiter: _Waiter = _NotifyWaiter(url.render_as_string(hide_password=False),
                                            self._stop)
        else:
            waiter = _VersionWaiter(self.engine, url.database or "", self.poll_s, self._stop)
        try:
            with unit_of_work(self.engine) as session:
                if self.branch_id is None:
                    self.branch_id = load_branch(session).id
                if self.position is None:
                    self.position = feed.latest_id(session, self.branch_id)
        except BaseException:
            waiter.close()
            raise
        self._waiter = waiter
        self._retry_s, self.failed_attempts = RETRY_MIN_S, 0
        was = self.connected
        self.connected, self.last_error = True, ""
        if was is False:
            log.info("call feed: database reachable again")
            if self.on_connection is not None:
                self.on_connection(True, "")

    def _read(self) -> list[FeedEvent]:
        assert self.position is not None
        with unit_of_work(self.engine) as session:
            events, self.position = feed.events_since(
                session, self.position, branch_id=self.branch_id, kinds=self.kinds,
                limit=self.limit)
        return events

    def _lost(self, exc: BaseException) -> None:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0:1]
        self.last_error = reason[0] if reason else type(exc).__name__
        self.failed_attempts += 1
        self._drop()
        self.engine.dispose()
        if self.connected is not False:
            log.warning("call feed: database lost (%s); retrying", self.last_error)
            self.connected = False
            if self.on_connection is not None:
                self.on_connection(False, self.last_error)

    def _drop(self) -> None:
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter.close()

    def _pause(self, deadline: float | None) -> bool:
        """Wait before the next attempt; False when stopped or out of time."""
        pause = self._retry_s
        self._retry_s = min(self._retry_s * 2, RETRY_MAX_S)
        left = _left(deadline)
        if left is not None and left < pause:
            self._stop.wait(max(left, 0))
            return False
        return not self._stop.wait(pause)


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else deadline - time.monotonic()


class _VersionWaiter:
    """SQLite: poll ``PRAGMA data_version`` (and the file's identity) until it changes."""

    def __init__(self, engine: Engine, path: str, poll_s: float,
                 stop: threading.Event) -> None:
        self.path, self.poll_s, self.stop = path, poll_s, stop
        self.identity = self._identity()  # before connecting: never create the file
        self.raw: Any = engine.raw_connection()
        self.version = self._version()

    def _identity(self) -> tuple[int, int]:
        if self.path in ("", ":memory:"):
            return (0, 0)
        try:
            info = Path(self.path).stat()
        except FileNotFoundError as exc:
            raise FeedConnectionLost(f"database file {self.path} is missing") from exc
        return (info.st_dev, info.st_ino)

    def _version(self) -> int:
        cursor = self.raw.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def wait(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stop.wait(min(self.poll_s, max(end - time.monotonic(), 0))):
            if self._identity() != self.identity:
                raise FeedConnectionLost(f"database file {self.path} was replaced")
            version = self._version()
            if version != self.version:
                self.version = version
                return
            if time.monotonic() >= end:
                return

    def wake(self) -> None:
        pass  # the stop event itself ends the wait

    def close(self) -> None:
        try:
            self.raw.close()
        except Exception:  # a connection to a vanished file: nothing left to release
            log.debug("closing the poll connection failed", exc_info=True)


class _NotifyWaiter:
    """PostgreSQL: ``LISTEN`` on a connection of its own; sleep in ``select()``."""

    def __init__(self, url: str, stop: threading.Event) -> None:
        import psycopg

        self.stop = stop
        self._wake_r, self._wake_w = os.pipe()
        try:
            self.conn = psycopg.connect(
                url.replace("postgresql+psycopg://", "postgresql://", 1), autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_S, keepalives=1, keepalives_idle=10,
                keepalives_interval=5, keepalives_count=3)
            self.conn.execute(f"LISTEN {feed.NOTIFY_CHANNEL}")
        except psycopg.Error as exc:
            self._close_pipe()
            raise FeedConnectionLost(str(exc)) from exc

    def wait(self, seconds: float) -> None:
        import psycopg

        if self.stop.is_set():  # stopped before this waiter was there to be woken
            return
        try:
            ready, _, _ = select.select([self.conn.fileno(), self._wake_r], [], [],
                                        max(seconds, 0))
            if self._wake_r in ready or self.stop.is_set():
                return
            if ready:
                # Read what arrived (the payload does not matter: the feed position
                # says what is new); a closed socket raises here.
                for _ in self.conn.notifies(timeout=0):
                    pass
            else:
                self.conn.execute("SELECT 1")  # quiet for a while: is the line alive?
        except psycopg.Error as exc:
            raise FeedConnectionLost(str(exc)) from exc

    def wake(self) -> None:
        with contextlib.suppress(OSError):  # already closed: nothing is waiting
            os.write(self._wake_w, b"x")

    def close(self) -> None:
        try:
            self.conn.close()
        finally:
            self._close_pipe()

    def _close_pipe(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)


__all__ = ["CHECK_S", "POLL_S", "FeedConnectionLost", "FeedListener"]
