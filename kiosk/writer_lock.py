"""The SQLite writer lock: writers wait in turn, first come first served.

Exclusion is a ``flock`` on a file beside the database (``kiosk.db.writer-lock``): the
kernel wakes a waiting writer the moment the lock is released and drops the lock of a
process that dies, so a crash never leaves it held.

``flock`` alone does not queue, though. On release the kernel wakes the waiters and
the first to run takes the lock, often the writer that just released it and came
straight back. With eight kiosks taking tickets at once each take then waited a
random number of turns: the chance of being passed over again and again made the
99th percentile about four times the median (docs/BENCHMARKS.md, "Writers in turn").

So writers first queue, FIFO, on a second file (``kiosk.db.writer-queue``): each takes
the next number N from a counter kept in that file, locks byte N of it, and waits for
byte N - 1, which the writer before it holds until it has released the ``flock``.
The byte locks are Linux open file description locks (``F_OFD_SETLKW``): like
``flock`` they belong to one opening of the file, so two threads of one process queue
as two processes do, and they die with their process, so a writer that crashes or
gives up only lets its successor go early, never blocks it. The ``flock`` stays the
guarantee of exclusion; the queue only decides the order.
"""

from __future__ import annotations

import fcntl
import os
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kiosk.errors import KioskError

# The counter of queue numbers: 8 bytes at the start of the queue file, guarded by a
# lock on those bytes; a writer's place in the queue is the byte at QUEUE_BASE + N.
COUNTER = struct.Struct("<q")
QUEUE_BASE = 1 << 20


@contextmanager
def writer_lock(path: Path | None, timeout_s: float) -> Iterator[None]:
    """Hold the writer lock whose lock file is ``path`` (nothing for None).

    Every acquisition opens the files anew, so two threads of one process exclude
    and queue behind each other as two processes do; closing the files releases the
    lock and the place in the queue. A unit of work opened inside one of this
    thread's own holds the lock already and does not wait for itself.

    Raises:
        KioskError: another writer held the lock for ``timeout_s`` (code
            ``database_busy``).
    """
    held: set[Path] = _held.__dict__.setdefault("paths", set())
    if path is None or path in held:
        yield
        return
    deadline = time.monotonic() + timeout_s
    queue = os.open(queue_path(path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o664)
    try:
        _wait_turn(queue, path, timeout_s, deadline)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o664)
        try:
            _wait(path, timeout_s, deadline, lambda: fcntl.flock(fd, fcntl.LOCK_EX),
                  lambda: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB))
            held.add(path)
            try:
                yield
            finally:
                held.discard(path)
        finally:
            os.close(fd)  # the flock first, so the next in the queue finds it free
    finally:
        os.close(queue)


def queue_path(lock: Path) -> Path:
    """``kiosk.db.writer-queue`` beside ``kiosk.db.writer-lock``."""
    return lock.with_name(lock.name.removesuffix("-lock") + "-queue")


# The lock files this thread holds: a unit of work opened inside another one of the
# same thread must not wait for its own caller.
_held = threading.local()


def _byte_lock(fd: int, command: int, kind: int, offset: int, length: int = 1) -> None:
    # struct flock: l_type, l_whence (short), l_start, l_len (off_t), l_pid (0 for OFD)
    fcntl.fcntl(fd, command, struct.pack("hhqqi", kind, os.SEEK_SET, offset, length, 0))


def _wait_turn(queue: int, path: Path, timeout_s: float, deadline: float) -> None:
    """Take the next number in the queue file and wait for the writer before it."""
    _byte_lock(queue, fcntl.F_OFD_SETLKW, fcntl.F_WRLCK, 0, COUNTER.size)
    try:
        raw = os.pread(queue, COUNTER.size, 0)
        number = COUNTER.unpack(raw)[0] if len(raw) == COUNTER.size else 0
        os.pwrite(queue, COUNTER.pack(number + 1), 0)
        _byte_lock(queue, fcntl.F_OFD_SETLK, fcntl.F_WRLCK, QUEUE_BASE + number)
    finally:
        _byte_lock(queue, fcntl.F_OFD_SETLK, fcntl.F_UNLCK, 0, COUNTER.size)
    if number == 0:
        return
    before = QUEUE_BASE + number - 1
    _wait(path, timeout_s, deadline,
          lambda: _byte_lock(queue, fcntl.F_OFD_SETLKW, fcntl.F_WRLCK, before),
          lambda: _byte_lock(queue, fcntl.F_OFD_SETLK, fcntl.F_WRLCK, before))
    _byte_lock(queue, fcntl.F_OFD_SETLK, fcntl.F_UNLCK, before)


def _wait(path: Path, timeout_s: float, deadline: float, block: Callable[[], None],
          try_now: Callable[[], None]) -> None:
    """Run ``try_now``; if the lock is taken, run ``block`` (which waits in the kernel,
    woken the moment the lock is released) on a helper thread, until ``deadline`` at
    most: the kernel calls have no timeout, and if we give up, closing the file (the
    caller does) drops the lock the moment it is granted."""
    try:
        try_now()
        return
    except (BlockingIOError, PermissionError):
        pass
    granted = threading.Event()
    failure: list[OSError] = []

    def wait() -> None:
        try:
            block()
        except OSError as exc:  # the file was closed after we gave up
            failure.append(exc)
        granted.set()

    threading.Thread(target=wait, name="sqlite writer lock", daemon=True).start()
    if not granted.wait(max(0.0, deadline - time.monotonic())) or failure:
        raise KioskError("数据库忙，请稍后再试",
                         f"the database is busy: another writer held {path.name} for "
                         f"{timeout_s:g} s", code="database_busy")
