"""One writer per printer port across processes: an OS file lock per port.

Inside a process, :class:`printers.escpos.transport.PrinterLink` already serialises
its threads. Two processes on one PC (the kiosk screen and a ``kiosk print run``, or
two kiosk programs) each open the port, and without a lock both send ``DLE EOT`` and
read whichever reply comes: jobs reported failed that printed, tickets printed twice.
:class:`PortLock` is an exclusive ``flock`` on a lock file named after the device,
held for a whole job or status query; the other process waits its turn (up to
:data:`PORT_WAIT_S`, then :class:`PortBusy` naming the holder's pid). The OS drops the
lock with the process, so a crashed kiosk never leaves a port locked.

Why a lock file and not pyserial's ``exclusive=True``: that lock lives as long as
the port is open, and a kiosk keeps its port open between jobs, so a second
process could never print at all; a lock per job lets them take turns. A lock
file also serves ``socket://`` printers, which have no device to lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path

from printers.errors import DeviceError

LOCK_DIR_ENV = "KIOSK_LOCK_DIR"
PORT_WAIT_S = 30.0  # how long a process waits for another one's job on the same port
_LOCK_POLL_S = 0.02


class PortBusy(DeviceError):
    """The port stayed locked by another process (or the lock cannot be made).
    Raised before any byte of a job: the job can always wait."""

    job_started = False


def lock_dir() -> Path:
    """Where the port lock files live: ``KIOSK_LOCK_DIR``, else ``/run/lock/lobby-kiosk``,
    else a folder in the temporary directory (made on first use, writable by all
    users of the PC, like ``/run/lock`` itself)."""
    configured = os.environ.get(LOCK_DIR_ENV)
    candidates = [Path(configured)] if configured else [
        Path("/run/lock/lobby-kiosk"), Path(tempfile.gettempdir()) / "lobby-kiosk-locks"]
    for folder in candidates:
        try:
            folder.mkdir(mode=0o1777, parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return candidates[-1]


def lock_path(url: str) -> Path:
    """The lock file of a port: one per device (a path is resolved, so two names of
    one device share it), or per URL for network ports."""
    key = os.path.realpath(url) if url.startswith("/") else url
    readable = re.sub(r"[^A-Za-z0-9._-]+", "_", key).strip("_")[-60:]
    digest = hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:12]
    return lock_dir() / f"printer-{readable}-{digest}.lock"


class PortLock:
    """An exclusive OS lock (``flock``) on a port's lock file, re-entrant inside its
    owner (callers serialise threads with their own lock). The OS drops it when the
    process dies, so a crashed kiosk never leaves a port locked."""

    def __init__(self, url: str, wait_s: float = PORT_WAIT_S) -> None:
        self.url, self.wait_s = url, wait_s
        self._fd = -1
        self._depth = 0

    def acquire(self) -> None:
        """Take the lock, waiting up to ``wait_s`` for another process's job.

        Raises:
            PortBusy: another process held the port all that time (its pid is
                named), or the lock file cannot be created."""
        if self._depth:
            self._depth += 1
            return
        path = lock_path(self.url)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            raise PortBusy(f"无法创建打印机端口锁 {path}", f"cannot create the printer port lock "
                           f"{path}: {exc.strerror}", port=self.url,
                           hint=f"check that {path.parent} is writable (or set {LOCK_DIR_ENV})",
                           code="port_lock") from exc
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise PortBusy(
                        f"打印机端口正被其他程序使用（进程 {holder}）（端口 {self.url}）",
                        f"the printer port {self.url} is in use by another process (pid "
                        f"{holder}) for more than {self.wait_s:g} s", port=self.url,
                        hint="another kiosk program on this PC is printing; wait, or stop "
                        "it", code="port_busy") from None
                time.sleep(_LOCK_POLL_S)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd, self._depth = fd, 1

    def release(self) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0:
            fd, self._fd = self._fd, -1
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @property
    def held(self) -> bool:
        return self._depth > 0


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 20, 0).decode("ascii", "replace").strip() or "?"
    except OSError:
        return "?"


__all__ = ["LOCK_DIR_ENV", "PORT_WAIT_S", "PortBusy", "PortLock", "lock_dir", "lock_path"]
