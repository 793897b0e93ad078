"""Does a port answer as an ESC/POS printer? ``DLE EOT 1`` at each baud rate.

``DLE EOT n`` is answered at once, even by a printer that is offline, out of paper
or open, and its reply has a fixed bit pattern (``0xx1xx10``), so one byte that
matches the pattern is a printer; a silent line, a keypad bus (KP1 frames start
with ``0xA5``, which it never sees here) or a modem answer nothing that matches.
A printer at another baud rate reads the query as noise and answers nothing, so
the probe tries each rate in turn (the common ones first) and stops at the first
answer; the full status (``DLE EOT 1..4``) is then read at that rate.

Nothing is printed: the probe sends only status queries, never ``ESC @`` or text.
The port's lock (:class:`PortLock`) is taken for the probe, so a kiosk printing on
the same port finishes its job first (or the probe reports the port busy).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import serial

from printers.errors import DeviceError
from printers.escpos.builder import PrinterStatus, decode_status, is_status_reply, status_query
from printers.escpos.portlock import PortBusy, PortLock
from printers.escpos.transport import SERIAL_ERRORS

PRINTER_BAUDS: tuple[int, ...] = (115200, 9600, 38400, 19200, 57600)
REPLY_WAIT_S = 0.25  # the notes: no reply within ~200 ms means "no answer"
MODEL_QUERY = bytes((0x1D, 0x49, 67))  # GS I 67


@dataclass(frozen=True)
class EscPosAnswer:
    """A printer answered on ``port`` at ``baud``; ``status`` is what it said."""

    port: str
    baud: int
    status: PrinterStatus
    model: str | None = None  # its answer to GS I 67, when it gives one


def probe_escpos(port: str, bauds: Sequence[int] = PRINTER_BAUDS, *,
                 reply_wait_s: float = REPLY_WAIT_S,
                 cancel: threading.Event | None = None,
                 on_baud: Callable[[int], None] | None = None,
                 port_wait_s: float = 5.0) -> EscPosAnswer | None:
    """The printer on ``port``, or None when nothing answers ``DLE EOT`` at any rate.

    ``on_baud(rate)`` is told before each rate is tried; ``cancel`` stops between
    rates (None is returned).

    Raises:
        DeviceError: the port cannot be opened (absent, permission) or stays locked
            by another process (``PortBusy``).
    """
    lock = PortLock(port, port_wait_s)
    lock.acquire()
    try:
        for baud in bauds:
            if cancel is not None and cancel.is_set():
                return None
            if on_baud is not None:
                on_baud(baud)
            answer = _try_baud(port, baud, reply_wait_s)
            if answer is not None:
                return answer
        return None
    finally:
        lock.release()


def _try_baud(port: str, baud: int, reply_wait_s: float) -> EscPosAnswer | None:
    try:
        line = serial.serial_for_url(port, baudrate=baud, timeout=reply_wait_s,
                                     write_timeout=1.0)
    except SERIAL_ERRORS as exc:
        raise DeviceError(f"无法打开端口 {port}", f"cannot open {port}: {exc}", port=port,
                          hint="check that the port exists and that the kiosk user is in "
                               "group dialout", code="port_open") from exc
    except (ValueError, OverflowError) as exc:
        raise DeviceError(f"端口地址无效：{port}", f"invalid port {port}: {exc}",
                          port=port, code="port_invalid") from exc
    try:
        line.reset_input_buffer()
        first = _ask(line, 1)
        if first is None or not is_status_reply(first):
            return None
        replies: dict[int, int | None] = {1: first}
        for n in (2, 3, 4):
            replies[n] = _ask(line, n)
        return EscPosAnswer(port, baud, decode_status(replies), _model(line))
    except SERIAL_ERRORS as exc:
        raise DeviceError(f"端口 {port} 中断", f"port {port} failed during the probe: {exc}",
                          port=port, code="port_lost") from exc
    finally:
        with contextlib.suppress(*SERIAL_ERRORS):
            line.close()


def _model(line: serial.SerialBase) -> str | None:
    """The model name (``GS I 67``: ``_`` name NUL), or None: many printers answer
    only ``GS I 1..3`` (numbers) or nothing."""
    line.write(MODEL_QUERY)
    line.flush()
    reply = line.read_until(b"\0", 42)
    if len(reply) < 3 or reply[:1] != b"_" or not reply.endswith(b"\0"):
        return None
    name = reply[1:-1].decode("ascii", "replace").strip()
    return name or None


def _ask(line: serial.SerialBase, n: int) -> int | None:
    line.write(status_query(n))
    line.flush()
    reply = line.read(1)
    return reply[0] if reply else None


__all__ = ["PRINTER_BAUDS", "EscPosAnswer", "PortBusy", "probe_escpos"]
