"""The keypad configuration of the branch: which station drives which port, its baud
and rating timeout, and which keypad address sits at which counter; and each
keypad's last known state.

The keypad service of a station (:mod:`kiosk.devices.keypads`) reads
:func:`port_configs` for its station when it starts and again when the
configuration changes. ``station=None`` is this process's station.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.branch.info import load_branch
from kiosk.devices.stations import resolve_station
from kiosk.errors import NotFound, UsageError
from kiosk.models import Counter, Keypad, KeypadPort
from printers.kp1 import codec as kp1


@dataclass(frozen=True)
class PortConfig:
    """A configured port and its keypads (address → counter number)."""

    url: str
    baud: int
    rating_timeout_s: int
    counters: dict[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {"port": self.url, "baud": self.baud, "rating_timeout_s": self.rating_timeout_s,
                "keypads": [{"address": a, "counter": c} for a, c in sorted(self.counters.items())]}


def parse_map(text: str) -> dict[int, int]:
    """``"1=1,2=3"`` → {1: 1, 2: 3} (keypad address = counter number)."""
    mapping: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        address, sep, counter = part.partition("=")
        try:
            if not sep:
                raise ValueError(part)
            a, c = int(address), int(counter)
        except ValueError as exc:
            raise UsageError(f"映射格式应为 地址=窗口，收到 {part}",
                             f"expected ADDRESS=COUNTER, got {part!r}") from exc
        if not 1 <= a <= kp1.MAX_ADDRESS:
            raise UsageError(f"评价器地址须为 1–31，收到 {a}",
                             f"keypad addresses are 1-31, got {a}")
        if a in mapping:
            raise UsageError(f"地址 {a} 重复", f"address {a} is mapped twice")
        mapping[a] = c
    if not mapping:
        raise UsageError("至少映射一个评价器", "map at least one keypad")
    if len(set(mapping.values())) != len(mapping):
        raise UsageError("一个窗口只能有一个评价器", "a counter can have only one keypad")
    return mapping


def configure_port(session: Session, url: str, counters: dict[int, int], *, baud: int = 9600,
                   rating_timeout_s: int = kp1.DEFAULT_RATING_TIMEOUT_S,
                   station: str | None = None) -> PortConfig:
    """Set the keypads of ``station``'s port ``url`` to exactly ``counters``
    (address → counter).

    A counter mapped on another port (of any station) moves here (a keypad was
    moved)."""
    branch_id = load_branch(session).id
    name = resolve_station(station)
    if baud not in (9600, 19200):
        raise UsageError("KP1 波特率为 9600 或 19200", "KP1 buses run at 9600 or 19200 baud")
    if not 1 <= rating_timeout_s <= 255:
        raise UsageError("评价超时须为 1–255 秒", "the rating timeout is 1-255 seconds")
    known = set(session.scalars(select(Counter.number).where(Counter.branch_id == branch_id)))
    unknown = sorted(set(counters.values()) - known)
    if unknown:
        names = ", ".join(map(str, unknown))
        raise NotFound(f"没有 {names} 号窗口", f"no counter {names}",
                       code="unknown_counter")
    port = session.scalar(select(KeypadPort).where(
        KeypadPort.branch_id == branch_id, KeypadPort.station == name, KeypadPort.url == url))
    if port is None:
        port = KeypadPort(branch_id=branch_id, station=name, url=url)
        session.add(port)
    port.baud, port.rating_timeout_s = baud, rating_timeout_s
    session.flush()
    existing = {k.address: k for k in session.scalars(
        select(Keypad).where(Keypad.port_id == port.id))}
    for address, keypad in existing.items():
        if counters.get(address) != keypad.counter_number:
            session.delete(keypad)
    session.flush()
    session.execute(delete(Keypad).where(
        Keypad.branch_id == branch_id, Keypad.port_id != port.id,
        Keypad.counter_number.in_(list(counters.values()))))
    for address, counter in counters.items():
        if address not in existing or existing[address].counter_number != counter:
            session.add(Keypad(branch_id=branch_id, port_id=port.id, address=address,
                               counter_number=counter, boot=0))
    session.flush()
    return PortConfig(url, baud, rating_timeout_s, dict(counters))


def port_configs(session: Session, station: str | None = None) -> list[PortConfig]:
    """Every configured port of ``station`` with its keypads."""
    branch_id = load_branch(session).id
    result = []
    for port in session.scalars(select(KeypadPort).where(
            KeypadPort.branch_id == branch_id, KeypadPort.station == resolve_station(station))
            .order_by(KeypadPort.id)):
        counters = {k.address: k.counter_number for k in session.scalars(
            select(Keypad).where(Keypad.port_id == port.id))}
        if counters:
            result.append(PortConfig(port.url, port.baud, port.rating_timeout_s, counters))
    return result


def keypad_status(session: Session) -> list[dict[str, Any]]:
    """Each keypad of every station with its counter, port, online state and last
    time seen (the station of each: :func:`kiosk.devices.health.device_health`)."""
    branch = load_branch(session)
    rows = session.execute(select(Keypad, KeypadPort.url).join(
        KeypadPort, KeypadPort.id == Keypad.port_id).where(Keypad.branch_id == branch.id)
        .order_by(Keypad.counter_number)).all()
    return [{"counter": k.counter_number, "port": url, "address": k.address,
             "online": k.online, "restarts": k.boot,
             "last_seen_at": branch.iso(k.last_seen_at) if k.last_seen_at else None}
            for k, url in rows]


__all__ = ["PortConfig", "configure_port", "keypad_status", "parse_map", "port_configs"]
