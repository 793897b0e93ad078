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

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.models import DeviceHealthRow, Keypad, KeypadPort

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
    if row is None:
        row = DeviceHealthRow(branch_id=branch_id, station=station, device=device,
                              state=state, since=now)
        session.add(row)
    elif (row.state, row.problem_en) != (state, problem[1]):
        row.state, row.since = state, now
    row.problem_zh, row.problem_en = problem[0][:200], problem[1][:300]
    row.detail, row.checked_at = detail, now


def device_health(session: Session) -> list[DeviceHealth]:
    """Every station's devices as last seen, by station then device: the printers and
    A4 outputs from their reports, the keypads from the keypad service's records."""
    branch = load_branch(session)
    result = [DeviceHealth(r.station, r.device, r.state, r.problem_zh, r.problem_en,
                           r.detail, r.since, r.checked_at)
              for r in session.scalars(select(DeviceHealthRow).where(
                  DeviceHealthRow.branch_id == branch.id))]
    for keypad, port in session.execute(
            select(Keypad, KeypadPort).join(KeypadPort, KeypadPort.id == Keypad.port_id)
            .where(Keypad.branch_id == branch.id)):
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


__all__ = ["HEALTH_STATES", "HEARTBEAT", "DeviceHealth", "device_health", "record_health"]
