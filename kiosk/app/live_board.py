"""The admin panel's live board: every counter (status, staff, current ticket, how long
it has been served), every queue (waiting, the longest wait against the service's
target), every station's devices (paper out, keypad offline, no audio device, since
when), the complaints register's counts and the branch's warnings, as of one instant.

One read unit of work of a constant handful of statements whatever the number of
services, counters and days of history (the lobby snapshot's five,
:mod:`kiosk.queue.board`'s two, the complaints register's open and overdue count in
one, the device health's two), so the board can be read again on every call-feed
event (bench/live_board.py, docs/BENCHMARKS.md). Durations are whole seconds as of
``at``; a screen adds the time since it received the board to keep them running.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.app.board import CounterFacts, ServiceLine, counter_fields, service_fields
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.stations import DeviceState, device_states
from kiosk.feedback.complaint_register import count_overdue
from kiosk.queue import board as queries
from kiosk.queue.lobby import Lobby


@dataclass(frozen=True)
class BoardCounter(CounterFacts):
    """One counter: ``status`` open/paused/closed, the staff member at it, and its
    current customer (``ticket``, its ``ticket_status`` called/serving, ``priority``,
    ``serving_s`` seconds since it was called)."""

    ticket: str | None
    ticket_status: str | None
    service: str | None
    priority: str | None
    serving_s: int | None


@dataclass(frozen=True)
class BoardQueue(ServiceLine):
    """One service's queue: ``waiting`` customers, ``open_counters`` serving it, the
    estimate for a newcomer (``wait_min``), and the longest wait now against the
    service's target (``over_target`` once it has passed it)."""

    longest_wait_s: int | None
    target_wait_min: int
    over_target: bool


@dataclass(frozen=True)
class BoardWarning(Result):
    """Something the branch must act on before it bites (``code``: ``calendar_gap``,
    this year or the coming one has no holiday calendar)."""

    code: str
    zh: str
    en: str


@dataclass(frozen=True)
class LiveBoard(Result):
    """The branch at ``at`` (ISO time with the branch's offset); every station's
    devices as last seen (``kiosk.app.stations.device_health``'s rows); the complaints
    not closed and, of them, those past a deadline (the register's overdue rule);
    warnings."""

    business_date: str
    at: str
    counters: tuple[BoardCounter, ...]
    queues: tuple[BoardQueue, ...]
    complaints_open: int = 0
    complaints_overdue: int = 0
    devices: tuple[DeviceState, ...] = ()
    warnings: tuple[BoardWarning, ...] = ()


def live_board(app: AppContext) -> LiveBoard:
    """The live board now (read only; what the admin board shows)."""
    with app.read() as session:
        lobby = Lobby(session)
        snap = lobby.snapshot()
        targets = {s.code: s.target_wait_min for s in lobby.services()}
        oldest = queries.oldest_waiting(lobby)
        current = queries.current_tickets(lobby)
        now = lobby.now
        complaints_open, complaints_overdue = count_overdue(session, lobby.branch.id,
                                                            lobby.today)
        devices = device_states(session, lobby.branch)
        gap = lobby.branch.calendar_gap(lobby.today)
        warnings = () if gap is None else (BoardWarning("calendar_gap", gap.zh, gap.en),)
    queues = []
    for s in snap["services"]:
        longest = queries.seconds_since(oldest.get(s["code"]), now)
        target = int(targets.get(s["code"], 0))
        queues.append(BoardQueue(
            **service_fields(s), longest_wait_s=longest, target_wait_min=target,
            over_target=longest is not None and longest > target * 60))
    counters = []
    for c in snap["counters"]:
        ticket = c["ticket"]
        held = current.get(c["number"])
        counters.append(BoardCounter(
            **counter_fields(c), ticket=ticket["number"] if ticket else None,
            ticket_status=ticket["status"] if ticket else None,
            service=ticket["service"] if ticket else None,
            priority=held.priority if held else None,
            serving_s=queries.seconds_since(held.called_at, now) if held else None))
    return LiveBoard(business_date=snap["business_date"], at=snap["at"],
                     counters=tuple(counters), queues=tuple(queues),
                     complaints_open=complaints_open, complaints_overdue=complaints_overdue,
                     devices=devices, warnings=warnings)


__all__ = ["BoardCounter", "BoardQueue", "BoardWarning", "LiveBoard", "live_board"]
