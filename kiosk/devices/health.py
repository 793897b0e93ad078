"""Device health per station, kept in the database so the admin board on another PC
can show "kiosk K1: printer out of paper since 10:02".

The process that drives a device records what it last saw (:func:`record_health`):
the print spool after every attempt and, while idle, after a status query; the A4
output after every delivery. A row changes only when the state or the problem
changes (then ``since`` moves), or to refresh ``checked_at`` at most once a
:data:`HEARTBEAT`, so a healthy station costs no writes. Keypads already keep their
own state (online, last seen) in the ``keypad`` table, written by the keypad
service; :func:`device_health` reads both, for every station.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.db import unit_of_work
from kiosk.models import DeviceEventRow, DeviceHealthRow, Keypad, KeypadEvent, KeypadPort

HEALTH_STATES = ("ok", "problem", "unknown")
HEARTBEAT = timedelta(minutes=5)

# What this process last wrote, per (database, station, device): skips the write
# when nothing changed and the heartbeat is not due.
_written: dict[tuple[str, str, str], tuple[str, str, datetime]] = {}
_written_lock = threading.Lock()


@dataclass(frozen=True)
class DeviceHealth:
    """One device of one station as last seen: ``state`` ok / problem / unknown,
    what is wrong in both languages, since when, and when it was last checked."""

    station: str
    device: str  # printer | a4 | keypad N (counter C)
    state: str
    problem_zh: str
    problem_en: str
    detail: str  # the port, queue or folder
    since: datetime | None  # None: never seen
    checked_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"station": self.station, "device": self.device, "state": self.state,
                "problem_zh": self.problem_zh, "problem_en": self.problem_en,
                "detail": self.detail,
                "since": None if self.since is None else self.since.isoformat(timespec="seconds"),
                "checked_at": None if self.checked_at is None
                else self.checked_at.isoformat(timespec="seconds")}


def record_health(engine: Engine, station: str, device: str, state: str,
                  problem: tuple[str, str] = ("", ""), detail: str = "",
                  at: datetime | None = None) -> bool:
    """Store what ``device`` of ``station`` reported; True if a row was written.

    Own unit of work. Never raises for a database problem (health is a side
    channel: a device that works must not fail because its report could not be
    written); the next report tries again."""
    if state not in HEALTH_STATES:
        raise ValueError(f"unknown device state {state!r}")
    now = at or clock.now()
    key = (engine.url.render_as_string(hide_password=True), station, device)
    with _written_lock:
        last = _written.get(key)
    if last is not None and last[:2] == (state, problem[1]) and now - last[2] < HEARTBEAT:
        return False
    try:
        with unit_of_work(engine, write=True) as session:
            _store(session, station, device, state, problem, detail[:300], now)
    except Exception:  # noqa: BLE001 - see the docstring: the next report retries
        with _written_lock:
            _written.pop(key, None)
        return False
    with _written_lock:
        _written[key] = (state, problem[1], now)
    return True


def _store(session: Session, station: str, device: str, state: str,
           problem: tuple[str, str], detail: str, now: datetime) -> None:
    branch_id = load_branch(session).id
    row = session.scalar(select(DeviceHealthRow).where(
        DeviceHealthRow.branch_id == branch_id, DeviceHealthRow.station == station,
        DeviceHealthRow.device == device))
    changed = row is None or (row.state, row.problem_en) != (state, problem[1])
    if row is None:
        row = DeviceHealthRow(branch_id=branch_id, station=station, device=device,
                              state=state, since=now)
        session.add(row)
    elif changed:
        row.state, row.since = state, now
    if changed:  # the event log: one row per change, never one per check
        session.add(DeviceEventRow(branch_id=branch_id, station=station, device=device,
                                   at=now, state=state, problem_zh=problem[0][:200],
                                   problem_en=problem[1][:300], detail=detail))
    row.problem_zh, row.problem_en = problem[0][:200], problem[1][:300]
    row.detail, row.checked_at = detail, now


# Built once with bound parameters: the admin board reads them on every call-feed event.
_ROWS = select(DeviceHealthRow).where(DeviceHealthRow.branch_id == bindparam("bid"))
_KEYPADS = (select(Keypad, KeypadPort).join(KeypadPort, KeypadPort.id == Keypad.port_id)
            .where(Keypad.branch_id == bindparam("bid")))


def device_health(session: Session, branch: BranchInfo | None = None) -> list[DeviceHealth]:
    """Every station's devices as last seen, by station then device: the printers and
    A4 outputs from their reports, the keypads from the keypad service's records
    (``branch``: the caller's, already loaded in this unit of work)."""
    branch = branch or load_branch(session)
    result = [DeviceHealth(r.station, r.device, r.state, r.problem_zh, r.problem_en,
                           r.detail, r.since, r.checked_at)
              for r in session.scalars(_ROWS, {"bid": branch.id})]
    for keypad, port in session.execute(_KEYPADS, {"bid": branch.id}):
        name = f"keypad {keypad.address} (counter {keypad.counter_number})"
        seen = keypad.last_seen_at
        if keypad.online:
            state, problem = "ok", ("", "")
        elif keypad.online is False:
            state, problem = "problem", ("评价器离线", "keypad offline")
        else:
            state, problem = "unknown", ("评价器尚未应答", "keypad not seen yet")
        # An offline keypad has been so since it was last seen.
        result.append(DeviceHealth(port.station, name, state, problem[0], problem[1],
                                   port.url, seen, seen))
    return sorted(result, key=lambda h: (h.station, h.device))


# What a keypad's device events mean (kind -> state, zh, en); key presses are not
# device events (kind "key", "refused").
KEYPAD_EVENTS: dict[str, tuple[str, str, str]] = {
    "online": ("ok", "评价器在线", "keypad online"),
    "back_online": ("ok", "评价器恢复在线", "keypad back online"),
    "offline": ("problem", "评价器离线", "keypad offline"),
    "restarted": ("problem", "评价器重启", "keypad restarted"),
    "voice_fault": ("problem", "评价器语音故障", "keypad voice fault"),
    "voice_ok": ("ok", "评价器语音恢复", "keypad voice working again"),
    "key_stuck": ("problem", "评价器按键卡住", "keypad key stuck"),
    "key_released": ("ok", "评价器按键已松开", "keypad key released"),
    "port_lost": ("problem", "评价器串口中断", "keypad port lost"),
}


@dataclass(frozen=True)
class DeviceEvent:
    """One change of one device: what it became (``state``), what was wrong, when."""

    station: str
    device: str
    at: datetime
    state: str
    problem_zh: str
    problem_en: str
    detail: str


def device_log(session: Session, *, station: str | None = None,
               limit: int = 200) -> list[DeviceEvent]:
    """The newest ``limit`` device changes of every station (or of ``station``),
    newest first: the printers' and A4 outputs' changes and the keypads' device
    events (offline, back online, restarted...), not their key presses."""
    branch_id = load_branch(session).id
    query = select(DeviceEventRow).where(DeviceEventRow.branch_id == branch_id)
    if station is not None:
        query = query.where(DeviceEventRow.station == station)
    found = [DeviceEvent(r.station, r.device, r.at, r.state, r.problem_zh, r.problem_en,
                         r.detail) for r in session.scalars(
        query.order_by(DeviceEventRow.at.desc(), DeviceEventRow.id.desc()).limit(limit))]
    keypads = (select(KeypadEvent, KeypadPort.station)
               .outerjoin(Keypad, Keypad.id == KeypadEvent.keypad_id)
               .outerjoin(KeypadPort, KeypadPort.id == Keypad.port_id)
               .where(KeypadEvent.branch_id == branch_id,
                      KeypadEvent.kind.in_(list(KEYPAD_EVENTS))))
    if station is not None:
        keypads = keypads.where(KeypadPort.station == station)
    for event, port_station in session.execute(
            keypads.order_by(KeypadEvent.at.desc(), KeypadEvent.id.desc()).limit(limit)):
        state, zh, en = KEYPAD_EVENTS[event.kind]
        counter = f" (counter {event.counter_number})" if event.counter_number else ""
        found.append(DeviceEvent(port_station or "", f"keypad {event.address}{counter}",
                                 event.at, state, zh, en,
                                 f"{event.port_url} {event.detail}".strip()))
    found.sort(key=lambda e: e.at, reverse=True)
    return found[:limit]


__all__ = ["HEALTH_STATES", "HEARTBEAT", "KEYPAD_EVENTS", "DeviceEvent", "DeviceHealth",
           "device_health", "device_log", "record_health"]
