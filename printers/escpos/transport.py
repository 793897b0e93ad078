"""The serial line to a receipt printer: one writer per port, status, unplug, reopen.

Built on pyserial's ``serial_for_url``, so a device path (``/dev/ttyUSB0``, a
``/dev/serial/by-path/...`` symlink, a pty) and URLs (``socket://host:9100``,
``spy://PORT?file=trace.txt``, ``loop://``) all work.

- **One writer per port, across processes**: :func:`link_for` hands every caller in
  the process the same :class:`PrinterLink` for a URL, and :meth:`PrinterLink.hold`
  (a thread lock plus an OS file lock on the port, :class:`PortLock`) is held around
  each opening, each job and each status query. So a ``DLE EOT`` is never injected
  inside another command, and two processes on one PC (the kiosk screen and a
  ``kiosk print run``) take turns instead of reading each other's status replies.
- **Status**: ``DLE EOT 1..4``, each answered within ``status_timeout_s`` or counted
  as no reply (unknown, never OK).
- **Unplug**: pyserial raises ``SerialException``, ``OSError`` or ``termios.error``
  (not an OSError subclass) while ``is_open`` stays True. The link closes the port,
  and the next use reopens it with backoff and re-initialises the printer; every job
  starts with ``ESC @`` so the interrupted one is simply sent again by the spool.
- Every pyserial error leaves this module as :class:`kiosk.errors.DeviceError`
  naming the port and what to check.
"""

from __future__ import annotations

import contextlib
import termios
import threading
import time
from collections.abc import Iterator

import serial

from printers.env import seconds_from_env
from printers.errors import DeviceError
from printers.escpos.builder import (
    UNKNOWN_STATUS,
    EscPos,
    PrinterStatus,
    decode_status,
    status_query,
)
from printers.escpos.decode import Tokenizer
from printers.escpos.portlock import PORT_WAIT_S, PortLock
from printers.escpos.profiles import PrinterProfile

SERIAL_ERRORS = (serial.SerialException, OSError, termios.error)
HINT = ("check the cable and power, that the port exists (ls -l /dev/serial/by-path), "
        "that the kiosk user is in group dialout, and that brltty/ModemManager do not hold it")
BACKOFF_S = (0.05, 0.2, 0.5, 1.0, 2.0)


class PrinterLinkError(DeviceError):
    """A printer-port problem. ``job_started`` says whether any byte of the job had
    been sent: a job refused before its first byte (port gone, status unknown, paper
    out) can always wait for the printer and never counts toward giving up on it."""

    def __init__(self, zh: str, en: str, *, port: str, hint: str = HINT,
                 code: str = "device", job_started: bool = False) -> None:
        super().__init__(zh, en, port=port, hint=hint, code=code)
        self.job_started = job_started


class PrinterNotReady(PrinterLinkError):
    """The printer answered, but is out of paper, open, offline or in error."""

    def __init__(self, status: PrinterStatus, port: str, *, job_started: bool = False) -> None:
        zh, en = status.problem()
        super().__init__(zh, en, port=port, hint="load paper / close the cover / check the "
                         "printer's error light", code="printer_not_ready",
                         job_started=job_started)
        self.status = status


def _segments(data: bytes, chunk: int = 4096) -> Iterator[bytes]:
    """Cut a job at command boundaries into pieces of about ``chunk`` bytes, so a
    write timeout never leaves half a command behind a whole one."""
    tokenizer = Tokenizer()
    start = pos = 0
    # Feed one command at a time: the tokenizer's pending rest tells where commands end.
    while pos < len(data):
        step = min(chunk, len(data) - pos)
        tokenizer.feed(data[pos:pos + step])
        pos += step
        complete = pos - tokenizer.pending
        if complete - start >= chunk or pos == len(data):
            end = complete if pos < len(data) else len(data)
            if end > start:
                yield data[start:end]
                start = end
    if start < len(data):
        yield data[start:]


STATUS_WAIT_S = 0.2  # a printer answers DLE EOT within milliseconds
STATUS_WAIT_ENV = "KIOSK_PRINTER_STATUS_TIMEOUT_S"


def status_wait_s() -> float:
    """How long a link waits for each status reply: :data:`STATUS_WAIT_S`, or
    ``KIOSK_PRINTER_STATUS_TIMEOUT_S`` for a printer that answers later (a slow USB
    adapter; a simulated printer, a thread of a busy process: the test suite sets it)."""
    return seconds_from_env(STATUS_WAIT_ENV, STATUS_WAIT_S)


class PrinterLink:
    """The one writer of a printer port in this process; it takes turns with the
    writers of other processes through the port lock."""

    def __init__(self, url: str, profile: PrinterProfile, *,
                 status_timeout_s: float | None = None,
                 port_wait_s: float = PORT_WAIT_S) -> None:
        self.url = url
        self.profile = profile
        self.status_timeout_s = status_wait_s() if status_timeout_s is None \
            else status_timeout_s
        self._lock = threading.RLock()
        self.port_lock = PortLock(url, port_wait_s)
        self._port: serial.SerialBase | None = None
        self._failures = 0
        self.reopened = 0

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Hold the port for this thread and against every other process (re-entrant):
        a caller that must claim, send and settle a job in one turn wraps it all.

        Raises:
            PortBusy: another process kept the port longer than ``port_wait_s``.
        """
        with self._lock:
            self.port_lock.acquire()
            try:
                yield
            finally:
                self.port_lock.release()

    # ----- opening ---------------------------------------------------------------

    def _error(self, zh: str, en: str, exc: BaseException | None = None, *,
               job_started: bool = False) -> PrinterLinkError:
        detail = f": {exc}" if exc else ""
        return PrinterLinkError(f"{zh}（端口 {self.url}）", f"{en} on {self.url}{detail}",
                                port=self.url, job_started=job_started)

    def _open(self) -> serial.SerialBase:
        if self._port is not None:
            return self._port
        try:
            port = serial.serial_for_url(
                self.url, baudrate=self.profile.baud, timeout=self.status_timeout_s,
                write_timeout=self.profile.write_timeout_s,
                rtscts=self.profile.flow == "rtscts", xonxoff=self.profile.flow == "xonxoff")
        except SERIAL_ERRORS as exc:
            self._failures += 1
            raise self._error("无法打开打印机端口", "cannot open the printer port", exc) from exc
        except (ValueError, OverflowError) as exc:
            # pyserial's answer to a URL scheme it does not know or a baud rate the
            # line cannot take: a setting to correct, named like any port problem.
            raise self._error("打印机端口地址或串口参数无效", "invalid printer port URL or "
                              "serial setting", exc) from exc
        self._port = port
        if self._failures:
            self.reopened += 1
        self._failures = 0
        return port

    def open(self, attempts: int = len(BACKOFF_S) + 1) -> None:
        """Open (or reopen after an unplug) with backoff; the printer is reset with
        ``ESC @`` and automatic status is switched off.

        Raises:
            DeviceError: the port could not be opened in ``attempts`` tries.
        """
        with self.hold():
            for attempt in range(attempts):
                try:
                    port = self._open()
                    port.write(EscPos().init().auto_status_off().getvalue())
                    port.flush()
                    return
                except DeviceError:
                    if attempt == attempts - 1:
                        raise
                except SERIAL_ERRORS as exc:
                    self._drop()
                    if attempt == attempts - 1:
                        raise self._error("打印机无法初始化", "cannot initialise the printer",
                                          exc) from exc
                time.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])

    def _drop(self) -> None:
        """Forget a port that failed (an unplugged port may fail to close too)."""
        port, self._port = self._port, None
        self._failures += 1
        if port is not None:
            with contextlib.suppress(*SERIAL_ERRORS):
                port.close()

    def close(self) -> None:
        with self._lock:
            port, self._port = self._port, None
            if port is not None:
                with contextlib.suppress(*SERIAL_ERRORS):
                    port.close()

    @property
    def is_open(self) -> bool:
        return self._port is not None

    # ----- status and printing -----------------------------------------------------

    def status(self) -> PrinterStatus:
        """``DLE EOT 1..4``; unknown (never OK) when the port is gone or silent.

        Raises:
            PortBusy: another process kept the port too long (see :meth:`hold`).
        """
        with self.hold():
            try:
                port = self._open()
            except DeviceError:
                return UNKNOWN_STATUS
            replies: dict[int, int | None] = {}
            try:
                port.reset_input_buffer()
                for n in (1, 2, 3, 4):
                    port.write(status_query(n))
                    port.flush()
                    reply = port.read(1)
                    replies[n] = reply[0] if reply else None
            except SERIAL_ERRORS:
                self._drop()
                return UNKNOWN_STATUS
            return decode_status(replies)

    def send(self, data: bytes, *, check_status: bool = True) -> PrinterStatus | None:
        """Send one job, after checking the printer is ready.

        Raises:
            PrinterNotReady: the status says paper out, cover open, offline or error.
            DeviceError: the port could not be opened, or failed during the job (the
                port is then closed; the next call reopens it).
        """
        with self.hold():
            if not self.is_open:
                self.open()
            status = None
            if check_status:
                status = self.status()
                if status.online is None and not self.is_open:
                    # The query failed on a port kept open since an unplug while idle:
                    # reopen it (backoff, re-init) and ask the printer once more.
                    self.open()
                    status = self.status()
                if not status.ready:
                    if status.online is None:
                        raise self._error("打印机无应答", "the printer does not answer "
                                          "status queries (status unknown)")
                    raise PrinterNotReady(status, self.url)
            port = self._open()
            try:
                for piece in _segments(data):
                    port.write(piece)
                port.flush()
            except serial.SerialTimeoutException as exc:
                self._drop()
                raise self._error("写入打印机超时", "write to the printer timed out "
                                  "(paper out holding flow control?)", exc,
                                  job_started=True) from exc
            except SERIAL_ERRORS as exc:
                self._drop()
                raise self._error("打印中端口断开", "the printer port failed during the job",
                                  exc, job_started=True) from exc
            if check_status:
                self._confirm()
            return status

    def _confirm(self) -> None:
        """Ask for status after the job: a reply proves the printer received every
        byte before it (the OS and USB adapter buffer a whole ticket, so a write that
        returned proves nothing). No reply or a printer that stopped means the job
        is not done: the spool sends it again (a duplicate beats a lost ticket)."""
        after = self.status()
        if after.online is None:
            self._drop()
            raise self._error("打印任务未确认：打印机无应答", "the printer did not confirm "
                              "the job (no status reply: unplugged or switched off?)",
                              job_started=True)
        if after.cover_open or after.paper == "out":
            raise PrinterNotReady(after, self.url, job_started=True)


_LINKS: dict[str, PrinterLink] = {}
_LINKS_LOCK = threading.Lock()


def link_for(url: str, profile: PrinterProfile) -> PrinterLink:
    """The process's single :class:`PrinterLink` for ``url`` (profile updated)."""
    with _LINKS_LOCK:
        link = _LINKS.get(url)
        if link is None or link.profile != profile:
            if link is not None:
                link.close()
            link = _LINKS[url] = PrinterLink(url, profile)
        return link


def close_all() -> None:
    """Close every link (end of a CLI command, end of a test)."""
    with _LINKS_LOCK:
        for link in _LINKS.values():
            link.close()
        _LINKS.clear()


__all__ = ["BACKOFF_S", "PrinterLink", "PrinterLinkError", "PrinterNotReady", "close_all",
           "link_for"]
