"""Which port answers as what: a receipt printer (ESC/POS ``DLE EOT``) or a KP1
keypad bus (``GET_INFO`` on addresses 1-31 at 9600 and 19200).

Each port is asked as a printer first: status queries are harmless to keypads (no
``0xA5`` start byte) and to most other devices, whereas KP1 frames sent to a
printer would come out as garbage on paper. So a port that answered as a printer is
not asked as a keypad bus. Progress is reported step by step and a ``cancel`` event
stops the probe between two requests (the port is closed; nothing is left half-sent).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from printers.errors import DeviceError
from printers.escpos.builder import PrinterStatus
from printers.escpos.probe import PRINTER_BAUDS, probe_escpos
from printers.kp1.probe import ADDRESSES, KEYPAD_BAUDS, KeypadAnswer, probe_kp1

KINDS = ("printer", "keypads", "nothing", "error", "cancelled")


@dataclass(frozen=True)
class Progress:
    """Where a probe is: port ``index`` (1-based) of ``ports``, ``step`` of ``steps``
    for that port, and what is being asked (English, for a log line)."""

    port: str
    index: int
    ports: int
    step: int
    steps: int
    doing: str

    @property
    def fraction(self) -> float:
        """0..1 over every port of the probe."""
        return ((self.index - 1) + self.step / max(1, self.steps)) / max(1, self.ports)


@dataclass(frozen=True)
class PortProbe:
    """What one port answered as: ``kind`` printer (``baud``, ``status``), keypads
    (``baud``, ``keypads``), nothing, error (``error``) or cancelled."""

    port: str
    kind: str
    baud: int | None = None
    status: PrinterStatus | None = None
    keypads: tuple[KeypadAnswer, ...] = ()
    error: DeviceError | None = None


def probe_port(port: str, *, index: int = 1, ports: int = 1,
               printer_bauds: Sequence[int] = PRINTER_BAUDS,
               keypad_bauds: Sequence[int] = KEYPAD_BAUDS,
               addresses: Sequence[int] = ADDRESSES,
               progress: Callable[[Progress], None] | None = None,
               cancel: threading.Event | None = None) -> PortProbe:
    """Ask ``port`` as a printer, then (if no printer answered) as a keypad bus."""
    steps = len(printer_bauds) + len(keypad_bauds) * len(addresses)
    done = 0

    def tell(doing: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(Progress(port, index, ports, done, steps, doing))

    def cancelled() -> bool:
        return cancel is not None and cancel.is_set()

    try:
        printer = probe_escpos(port, printer_bauds, cancel=cancel,
                               on_baud=lambda b: tell(f"DLE EOT at {b} baud"))
        if printer is not None:
            return PortProbe(port, "printer", printer.baud, printer.status)
        if cancelled():
            return PortProbe(port, "cancelled")
        done = len(printer_bauds)
        bus = probe_kp1(port, keypad_bauds, addresses, cancel=cancel,
                        on_step=lambda b, a: tell(f"GET_INFO {a} at {b} baud"))
    except DeviceError as exc:
        return PortProbe(port, "error", error=exc)
    if bus is not None:
        return PortProbe(port, "keypads", bus.baud, keypads=bus.keypads)
    return PortProbe(port, "cancelled" if cancelled() else "nothing")


def probe_ports(ports: Sequence[str], *,
                progress: Callable[[Progress], None] | None = None,
                cancel: threading.Event | None = None) -> list[PortProbe]:
    """:func:`probe_port` on each port in turn; a cancel marks the rest cancelled."""
    found = []
    for index, port in enumerate(ports, start=1):
        if cancel is not None and cancel.is_set():
            found.append(PortProbe(port, "cancelled"))
            continue
        found.append(probe_port(port, index=index, ports=len(ports), progress=progress,
                                cancel=cancel))
    return found


__all__ = ["KINDS", "PortProbe", "Progress", "probe_port", "probe_ports"]
