"""SQLite writers get the writer lock in the order they asked for it (kiosk.writer_lock):
a writer that has just released it cannot take it again ahead of those waiting, and a
writer that gives up or dies in the queue never blocks, nor lets in early, the next."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.db import writer_lock, writer_lock_path
from kiosk.errors import KioskError
from kiosk.writer_lock import COUNTER, queue_path
from tests.keypad_support import wait_until
from tests.test_writer_lock import process

QUEUE_AND_HOLD = """
import sys, time
from kiosk.db import make_engine, writer_lock
with writer_lock(make_engine(sys.argv[1]), timeout_s=60):
    print("holding", flush=True)
    time.sleep(600)
"""


def queued(engine: Engine) -> int:
    """How many places the queue has handed out so far."""
    path = writer_lock_path(engine)
    assert path is not None
    raw = queue_path(path).read_bytes()[:COUNTER.size]
    return COUNTER.unpack(raw)[0] if len(raw) == COUNTER.size else 0


def test_the_queue_file_sits_beside_the_lock_file(engine: Engine, sqlite_url: str) -> None:
    before = queued(engine)  # the migrations wrote under the lock too
    with writer_lock(engine):
        pass
    assert queue_path(Path("/x/branch.db.writer-lock")) == Path("/x/branch.db.writer-queue")
    assert Path(sqlite_url.removeprefix("sqlite:///") + ".writer-queue").exists()
    assert queued(engine) == before + 1


def test_writers_get_the_lock_in_the_order_they_asked(engine: Engine) -> None:
    """Six threads queue one after another while the lock is held; then the holder
    releases it, and each, having got the lock, asks again at once (as a kiosk
    taking tickets back to back would): the order is first come first served, the
    writer that just released never goes ahead of those already waiting."""
    order: list[str] = []
    names = [f"w{i}" for i in range(6)]

    def writer(name: str) -> None:
        for _ in range(2):
            with writer_lock(engine, timeout_s=30):
                order.append(name)
                time.sleep(0.005)

    threads = []
    with writer_lock(engine):
        for name in names:
            before = queued(engine)
            thread = threading.Thread(target=writer, args=(name,))
            thread.start()
            threads.append(thread)
            wait_until(lambda before=before: queued(engine) == before + 1)
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert order == names + names


def test_a_writer_that_gives_up_lets_the_next_wait_its_turn(engine: Engine) -> None:
    """B gives up while A holds the lock; C, queued behind B, goes on waiting for A
    (the queue only orders: exclusion stays with A) and gets the lock once A ends."""
    events: list[str] = []

    def b() -> None:
        with pytest.raises(KioskError) as busy, writer_lock(engine, timeout_s=0.3):
            events.append("B in")
        events.append(f"B {busy.value.code}")

    def c() -> None:
        with writer_lock(engine, timeout_s=30):
            events.append("C in")

    with writer_lock(engine):
        start = queued(engine)
        tb = threading.Thread(target=b)
        tb.start()
        wait_until(lambda: queued(engine) == start + 1)
        tc = threading.Thread(target=c)
        tc.start()
        wait_until(lambda: queued(engine) == start + 2)
        tb.join(10)
        assert events == ["B database_busy"]
        time.sleep(0.3)  # C is next in the queue now, but A still holds the lock
        assert events == ["B database_busy"]
        events.append("A out")
    tc.join(10)
    assert events == ["B database_busy", "A out", "C in"]


def test_a_writer_killed_in_the_queue_does_not_block_the_next(
        engine: Engine, sqlite_url: str) -> None:
    """A holds the lock; a process queues behind it and is killed there; the writer
    queued behind the dead one gets the lock as soon as A releases it."""
    got = threading.Event()

    def queue_behind() -> None:
        with writer_lock(engine, timeout_s=30):
            got.set()

    behind = threading.Thread(target=queue_behind)
    with writer_lock(engine):
        start = queued(engine)
        with process(QUEUE_AND_HOLD, sqlite_url) as waiter:
            wait_until(lambda: queued(engine) == start + 1, timeout=30)
            behind.start()
            wait_until(lambda: queued(engine) == start + 2)
            os.kill(waiter.pid, signal.SIGKILL)
            waiter.wait(10)
            assert not got.is_set()  # still behind A
    assert got.wait(10)
    behind.join(10)
