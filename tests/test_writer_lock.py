"""SQLite writers queue on a lock file beside the database instead of sleeping in
SQLite's busy handler; the lock dies with its process and never blocks a reader."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from kiosk.db import unit_of_work, writer_lock, writer_lock_path
from kiosk.errors import KioskError
from kiosk.models import Ticket
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM
from tests.keypad_support import wait_until

HOLD_UNTIL_KILLED = """
import sys, time
from kiosk.db import make_engine, unit_of_work
with unit_of_work(make_engine(sys.argv[1]), write=True) as session:
    print("holding", flush=True)
    time.sleep(600)
"""


@contextmanager
def process(script: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """``python -c script args`` with its stdout piped; killed and reaped at the end."""
    proc = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            text=True)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_the_lock_file_sits_beside_a_sqlite_file_only(engine: Engine, sqlite_url: str) -> None:
    path = writer_lock_path(engine)
    assert path == Path(sqlite_url.removeprefix("sqlite:///") + ".writer-lock")
    from kiosk.db import make_engine

    assert writer_lock_path(make_engine("sqlite://")) is None
    assert writer_lock_path(make_engine("postgresql://u@localhost/x")) is None


def test_a_second_writer_waits_on_the_lock_file_not_in_sqlite(engine: Engine) -> None:
    """While one writer's unit of work is open, a second never gets as far as BEGIN
    (where SQLite's busy handler would make it sleep); it begins once the first has
    committed, and sees its ticket."""
    begins: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count_begins(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN IMMEDIATE"):
            begins.append(threading.current_thread().name)

    second_done = threading.Event()
    numbers: list[str] = []

    def second_writer() -> None:
        with unit_of_work(engine, write=True) as session:
            numbers.append(Lobby(session, now=MONDAY_10AM).take("claims").number)
        second_done.set()

    waiter = threading.Thread(target=second_writer, name="second")
    with unit_of_work(engine, write=True) as session:
        numbers.append(Lobby(session, now=MONDAY_10AM).take("claims").number)
        waiter.start()
        # The second writer found the lock file locked and waits in the kernel (on
        # its helper thread), without having begun a transaction.
        wait_until(lambda: any(t.name == "sqlite writer lock" for t in threading.enumerate()))
        assert not second_done.is_set()
        assert "second" not in begins
    waiter.join(10)
    assert not waiter.is_alive()
    assert numbers == ["D001", "D002"]
    assert begins.count("second") == 1


def test_readers_do_not_wait_for_the_writer_lock(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        Lobby(session, now=MONDAY_10AM).take("claims")
        session.flush()
        with unit_of_work(engine) as reader:  # another connection, WAL: no wait
            assert reader.scalar(select(func.count()).select_from(Ticket)) == 0


def test_a_unit_of_work_inside_one_of_the_same_thread_does_not_wait_for_itself(
        engine: Engine) -> None:
    with unit_of_work(engine, write=True), unit_of_work(engine, write=True) as inner:
        Lobby(inner, now=MONDAY_10AM).take("claims")
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_next(
        engine: Engine, sqlite_url: str) -> None:
    with process(HOLD_UNTIL_KILLED, sqlite_url) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(KioskError) as busy, writer_lock(engine, timeout_s=0.2):
            pass
        assert busy.value.code == "database_busy"
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        with writer_lock(engine, timeout_s=10):
            pass  # granted: the kernel dropped the dead writer's lock
        with unit_of_work(engine, write=True) as session:
            assert Lobby(session, now=MONDAY_10AM).take("claims").number == "D001"
