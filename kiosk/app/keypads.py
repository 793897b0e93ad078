"""The station's rating keypads (KP1): the setting (which address sits at which
counter), their status, and the technician's tools: scan a port, ask one keypad for a
rating, listen to a bus, serve the configured keypads.

Keypad calls talk to a serial port and may take seconds: a screen calls them from a
worker thread like every use case."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.app.context import AppContext
from kiosk.app.errors import database_errors
from kiosk.app.results import Result
from kiosk.app.validate import seconds as validate_seconds
from kiosk.app.validate import text, whole
from kiosk.errors import DeviceError, UsageError
from kiosk.models import KeypadPort

# ----- settings and status --------------------------------------------------------------------


@dataclass(frozen=True)
class KeypadMapping(Result):
    address: int
    counter: int


@dataclass(frozen=True)
class KeypadPortInfo(Result):
    port: str
    baud: int
    rating_timeout_s: int
    keypads: tuple[KeypadMapping, ...]


@dataclass(frozen=True)
class KeypadState(Result):
    counter: int
    port: str
    address: int
    online: bool | None
    restarts: int
    last_seen_at: str | None


@dataclass(frozen=True)
class KeypadStates(Result):
    keypads: tuple[KeypadState, ...]


@dataclass(frozen=True)
class KeypadFound(Result):
    address: int
    model: str
    serial: str
    firmware: int
    keys: int


@dataclass(frozen=True)
class KeypadScan(Result):
    """The keypads that answered (JSON ``{"keypads": [...]}``)."""

    keypads: tuple[KeypadFound, ...]


@dataclass(frozen=True)
class KeypadRating(Result):
    address: int
    key: int
    rating: str


def parse_addresses(text_: str) -> list[int]:
    """``"1-3,5"`` → [1, 2, 3, 5]; keypad addresses are 1-31."""
    result: list[int] = []
    try:
        for part in filter(None, (p.strip() for p in text_.split(","))):
            low, _, high = part.partition("-")
            result.extend(range(int(low), int(high or low) + 1))
    except ValueError as exc:
        raise UsageError(f"地址格式错误：{text_}", f"bad address list {text_!r}") from exc
    if not result or any(not 1 <= a <= 31 for a in result):
        raise UsageError("评价器地址须为 1–31", "keypad addresses are 1-31")
    return result


def parse_map(text_: str) -> dict[int, int]:
    """``"1=1,2=3"`` → {1: 1, 2: 3} (keypad address = counter number)."""
    from kiosk.devices.keypad_ports import parse_map as parse

    return parse(text_)


def configure_keypads(app: AppContext, port: str, mapping: dict[int, int], *,
                      baud: int = 9600, timeout_s: int = 30) -> KeypadPortInfo:
    """The keypads on the station's ``port``: address → counter, and how long each
    waits for a rating."""
    from kiosk.devices.keypad_ports import configure_port

    port = text(port, KeypadPort.url, "评价器端口", "the keypad port", required=True) or ""
    whole(timeout_s, "评价超时（秒）", "the rating timeout (seconds)", high=255)
    for counter in mapping.values():
        whole(counter, "窗口号", "the counter number")
    with app.write() as session:
        config = configure_port(session, port, mapping, baud=baud, rating_timeout_s=timeout_s,
                                station=app.station)
    return KeypadPortInfo(config.url, config.baud, config.rating_timeout_s, tuple(
        KeypadMapping(a, c) for a, c in sorted(config.counters.items())))


def keypad_status(app: AppContext) -> KeypadStates:
    """Each configured keypad with its counter, port, whether it answers, last seen."""
    from kiosk.devices.keypad_ports import keypad_status as status

    with app.read() as session:
        return KeypadStates(tuple(KeypadState(**row) for row in status(session)))


def scan_keypads(port: str, baud: int, addresses: list[int]) -> KeypadScan:
    """Ask every address for its identity (``GET_INFO``); the ones that answer."""
    from printers.kp1.codec import ProtocolError
    from printers.kp1.link import Nak, NoReply

    link = _open_link(port, baud)
    found = []
    try:
        for address in addresses:
            try:
                info = link.get_info(address)
            except (NoReply, Nak, ProtocolError):
                continue
            found.append(KeypadFound(address, info.model, info.serial, info.firmware,
                                     info.keys))
    finally:
        link.line.close()
    return KeypadScan(tuple(found))


def ask_rating(port: str, baud: int, address: int, timeout_s: int,
               sleep: Callable[[float], None] | None = None) -> KeypadRating:
    """Ask one keypad for a rating and wait for the customer's key (or its timeout)."""
    import random
    import time

    from printers.kp1.codec import RATING_NAMES

    if not 1 <= timeout_s <= 255:
        raise UsageError("超时须为 1–255 秒", "--timeout is 1-255 seconds")
    parse_addresses(str(address))  # 0 is broadcast (never answers), 32+ cannot be framed
    session = random.randrange(1, 2**32)
    link = _open_link(port, baud)
    try:
        link.request_rating(address, session, timeout_s)
        deadline = time.monotonic() + timeout_s + 5
        while (event := _rating_event(link, address, session)) is None:
            if time.monotonic() > deadline:
                raise DeviceError(f"评价器 {address} 未报告评价结果",
                                  f"keypad {address} reported neither a rating nor a timeout",
                                  port=port, hint="check the keypad firmware")
            (sleep or time.sleep)(0.1)
    finally:
        link.line.close()
    return KeypadRating(address, event.key, RATING_NAMES[event.key])


def _rating_event(link: Any, address: int, session: int) -> Any:
    """Fetch and acknowledge the keypad's events; the rating of ``session``, if any."""
    if not link.poll(address).pending:
        return None
    while (event := link.get_event(address)) is not None:
        link.ack_event(address, event.event_id)
        if event.session == session and event.is_rating:
            return event
    return None


def listen_keypads(port: str, baud: int, addresses: list[int], listener: Any, *,
                   seconds: float | None = None) -> None:
    """Poll the keypads and hand every event to ``listener`` (``key_pressed``,
    ``device_event``) for ``seconds`` (None: until interrupted)."""
    from printers.kp1.bus import BusMaster
    from printers.kp1.link import SerialLine

    seconds = duration(seconds)
    port = text(port, KeypadPort.url, "评价器端口", "the keypad port", required=True) or ""
    line = SerialLine(port, baud)
    line.open()  # a port that cannot open is an error now, not a retry loop
    master = BusMaster(line, addresses, listener)
    _run_for(seconds, master.start, master.stop)


def serve_keypads(app: AppContext, *, seconds: float | None = None,
                  started: Callable[[KeypadPortInfo], None] | None = None,
                  ) -> tuple[KeypadPortInfo, ...]:
    """Run the configured keypads (ratings for finished tickets, function keys) for
    ``seconds`` (None: until interrupted); ``started`` hears of each port first."""
    from kiosk.devices.keypad_ports import port_configs
    from kiosk.devices.keypads import KeypadService

    seconds = duration(seconds)
    with app.read() as session:
        ports = tuple(KeypadPortInfo(c.url, c.baud, c.rating_timeout_s, tuple(
            KeypadMapping(a, n) for a, n in sorted(c.counters.items())))
            for c in port_configs(session, app.station))
    for port in ports:
        if started is not None:
            started(port)
    service = KeypadService(app.engine, station=app.station)
    with database_errors(app.engine):
        _run_for(seconds, service.start, service.stop)
    return ports


def duration(seconds: float | None) -> float | None:
    """How long a listener runs: None (until interrupted) or finite seconds above 0."""
    return validate_seconds(seconds, "--seconds")


def _run_for(seconds: float | None, start: Callable[[], None], stop: Callable[[], None]) -> None:
    """Run a service between ``start`` and ``stop`` until Ctrl-C or ``seconds``."""
    import threading

    start()
    try:
        threading.Event().wait(seconds)
    finally:
        stop()


def _open_link(port: str, baud: int) -> Any:
    from printers.kp1.link import Kp1Link, SerialLine

    port = text(port, KeypadPort.url, "评价器端口", "the keypad port", required=True) or ""
    line = SerialLine(port, baud)
    line.open()
    return Kp1Link(line)


__all__ = [
    "KeypadFound", "KeypadMapping", "KeypadPortInfo", "KeypadRating", "KeypadScan",
    "KeypadState", "KeypadStates", "ask_rating", "configure_keypads", "duration",
    "keypad_status", "listen_keypads", "parse_addresses", "parse_map", "scan_keypads",
    "serve_keypads",
]
