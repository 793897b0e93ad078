"""The technician's view of this station's devices, and a keypad bus watched live
(press a key, see it) until the technician stops it.

Both block (the database, a serial port): a screen calls them from a worker;
:func:`watch_keypads` runs until its ``stop`` event is set and calls ``on_event`` on
its own thread for every key and every state change."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.app.context import AppContext
from kiosk.app.keypads import KeypadMapping, KeypadPortInfo
from kiosk.app.printer import PrinterInfo
from kiosk.app.results import Result
from kiosk.app.stations import A4Device
from kiosk.devices import ports as port_list
from kiosk.errors import UsageError


@dataclass(frozen=True)
class StationSetup(Result):
    """This station's receipt printer, keypad buses and A4 output, each port with
    whether it is there now (``present``) under the name it was saved by."""

    station: str
    printer: PrinterInfo | None
    printer_present: bool
    buses: tuple[KeypadPortInfo, ...]
    buses_present: tuple[bool, ...]
    a4: A4Device | None


def _present(port: str) -> bool:
    if "://" in port:
        return True
    info = port_list.describe_port(port)
    return os.path.exists(info.device)


def station_setup(app: AppContext) -> StationSetup:
    """What is assigned to this station (``app.station``) and whether each port exists."""
    from kiosk.devices.keypad_ports import port_configs
    from kiosk.devices.stations import a4_setting, printer_setting

    with app.read() as session:
        printer = printer_setting(session, app.station)
        configs = port_configs(session, app.station)
        a4 = a4_setting(session, app.station)
    info = None if printer is None else PrinterInfo(
        printer.port, printer.profile.name, printer.profile.mode, printer.profile.baud,
        printer.profile.dots, printer.profile.flow)
    buses = tuple(KeypadPortInfo(c.url, c.baud, c.rating_timeout_s, tuple(
        KeypadMapping(a, n) for a, n in sorted(c.counters.items()))) for c in configs)
    return StationSetup(app.station, info, printer is not None and _present(printer.port),
                        buses, tuple(_present(b.port) for b in buses),
                        None if a4 is None else A4Device(a4.station, a4.kind, a4.target))


@dataclass(frozen=True)
class KeypadSeen(Result):
    """What a watched keypad did: ``event`` key (``key``, ``name``), or a state change
    (online, offline, restarted, voice_fault, key_stuck...) with its ``detail``."""

    address: int
    event: str
    key: int | None = None
    name: str = ""
    detail: str = ""


class _Relay:
    def __init__(self, on_event: Callable[[KeypadSeen], None]) -> None:
        self.on_event = on_event

    def key_pressed(self, address: int, event: object) -> None:
        key = int(getattr(event, "key", 0))
        self.on_event(KeypadSeen(address, "key", key, str(getattr(event, "key_name", ""))))

    def device_event(self, address: int, kind: str, detail: str = "") -> None:
        self.on_event(KeypadSeen(address, kind, detail=detail))


def watch_keypads(port: str, baud: int, addresses: list[int],
                  on_event: Callable[[KeypadSeen], None], stop: threading.Event) -> int:
    """Poll the keypads at ``addresses`` on ``port`` and report every key and state
    change until ``stop`` is set; returns how many events were reported.

    Raises:
        DeviceError: the port cannot be opened.
    """
    from printers.kp1.bus import BusMaster
    from printers.kp1.link import SerialLine

    if not addresses or any(not 1 <= a <= 31 for a in addresses):
        raise UsageError("评价器地址须为 1–31", "keypad addresses are 1-31")
    count = 0

    def relay(seen: KeypadSeen) -> None:
        nonlocal count
        count += 1
        on_event(seen)

    line = SerialLine(port, baud)
    line.open()
    master = BusMaster(line, addresses, _Relay(relay))
    master.start()
    try:
        stop.wait()
    finally:
        master.stop()
        line.close()
    return count


__all__ = ["KeypadSeen", "StationSetup", "station_setup", "watch_keypads"]
