"""The business day: the first action of a new day expires the old day's leftovers,
and ``kiosk day close`` ends today. Functions of a :class:`~kiosk.queue.lobby.Lobby`
(which callers use); the day state only moves forward.

Lock order: every write action rolls the day first, before it locks anything else.
The roll locks the ``day_state`` row and then the counters whose ticket it expires;
an action that locked a counter first and rolled afterwards would wait for the day
state while a roll in another process waits for that counter: a deadlock on
PostgreSQL (tests/test_day_roll.py races them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, literal, select, update
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo
from kiosk.models import Counter, DayState, Ticket, TicketEvent, UTCDateTime
from kiosk.queue.numbering import dialect_insert

if TYPE_CHECKING:
    from kiosk.queue.lobby import Lobby

# The business day each (database, branch) is known to have rolled to. The day state
# only moves forward, so once this process has seen today it need not read it again.
_rolled_until: dict[tuple[str, str], date] = {}


def _key(session: Session, branch_id: str) -> tuple[str, str]:
    return session.get_bind().engine.url.render_as_string(), branch_id


def business_day(session: Session, branch: BranchInfo, now: datetime) -> date:
    """The business day an action at ``now`` belongs to: the clock's local date, but
    never before the day the branch has already reached (read once per process, then
    kept up to date by :func:`roll_day`), so a clock stepped back across midnight
    never reopens the previous business day. A clock behind that day is logged."""
    today = branch.business_date(now)
    key = _key(session, branch.id)
    if key not in _rolled_until:
        state = session.get(DayState, branch.id)
        _rolled_until[key] = state.business_date if state is not None else date.min
    reached = _rolled_until[key]
    if reached > today:
        clock.report_step_back(f"business day {reached} of {branch.id}",
                               clock.day_start(reached, branch.timezone), now)
        return reached
    return today


def roll_day(lobby: Lobby) -> int:
    """Close every earlier business day that was left open; returns tickets expired.

    Runs at the start of every write action, so the first action of a new day
    expires yesterday's leftovers even if nobody ran ``kiosk day close``."""
    key = _key(lobby.session, lobby.branch.id)
    if _rolled_until.get(key, date.min) >= lobby.today:
        return 0  # this process has already seen today's day state
    state = lobby.session.get(DayState, lobby.branch.id)
    if state is not None and state.business_date >= lobby.today:
        _rolled_until[key] = state.business_date
        # Another process reached a later day while this clock is behind: follow it.
        lobby.today = business_day(lobby.session, lobby.branch, lobby.now)
        return 0
    if state is None:
        lobby.session.execute(dialect_insert(lobby.session)(DayState).values(
            branch_id=lobby.branch.id, business_date=lobby.today).on_conflict_do_nothing())
    else:
        state.business_date = lobby.today
    return _expire(lobby, Ticket.business_date < lobby.today, "new business day")


def close_day(lobby: Lobby) -> int:
    """End of day: today's waiting and called tickets expire, counters close."""
    roll_day(lobby)
    expired = _expire(lobby, Ticket.business_date <= lobby.today, "day closed")
    for counter in lobby.counters():
        if counter.status != "closed":
            lobby.counter_event(counter, "close", reason="day closed")
        counter.status, counter.staff = "closed", None
        current = lobby.current_ticket(counter)
        if current is None or current.status not in ("serving",):
            counter.current_ticket_id = None
    return expired


def _expire(lobby: Lobby, which: Any, reason: str) -> int:
    """Expire the branch's waiting and called tickets that match ``which`` in three
    set-wise statements, whatever their number: the counters serving one let go of it,
    each gets its ``expire`` event (from the state it was in), then the tickets change.

    A day left open can leave thousands of tickets; loading each as an object to
    change it one by one once held them all in memory at the first action of a day
    (bench/customer_screen.py's soak grew ~19 MB at its first day change). The three
    statements see the same rows: the roll holds the day state's lock (PostgreSQL) or
    the write lock (SQLite), and every other action rolls before it touches a ticket."""
    session, at = lobby.session, literal(lobby.now, UTCDateTime())
    leftover = (Ticket.branch_id == lobby.branch.id, which,
                Ticket.status.in_(("waiting", "called")))
    stale = select(Ticket.id).where(*leftover)
    session.execute(update(Counter).where(
        Counter.branch_id == lobby.branch.id, Counter.current_ticket_id.in_(stale))
        .values(current_ticket_id=None).execution_options(synchronize_session="fetch"))
    events = stale.with_only_columns(
        literal(lobby.branch.id), Ticket.id, at, literal("expire"),
        Ticket.status, literal("expired"), literal(reason), Ticket.service_code,
        Ticket.recalls).order_by(Ticket.id)
    session.execute(insert(TicketEvent).from_select(
        ["branch_id", "ticket_id", "at", "kind", "from_state", "to_state", "reason",
         "service_code", "recalls"], events))
    expired = session.execute(update(Ticket).where(*leftover).values(
        status="expired", finished_at=func.coalesce(Ticket.finished_at, at)))
    return int(expired.rowcount)  # type: ignore[attr-defined]


__all__ = ["business_day", "close_day", "roll_day"]
