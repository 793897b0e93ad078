"""What the admin board adds to the lobby snapshot (:func:`kiosk.queue.views.snapshot`):
how long each queue's longest-waiting customer has waited, and since when each
counter has had its current customer.

Two statements whatever the history: the oldest waiting ticket per service today
(through ``ix_ticket_queue``: branch, business day, status, service) and the
counters joined with their current ticket (by primary key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select

from kiosk.models import Counter, Ticket
from kiosk.queue.lobby import Lobby


@dataclass(frozen=True)
class CurrentTicket:
    """A counter's current customer: since when it was called and started."""

    counter: int
    number: str
    priority: str
    called_at: datetime | None
    started_at: datetime | None


# Built once with bound parameters: building a statement costs more than running it.
_OLDEST = (select(Ticket.service_code, func.min(Ticket.issued_at))
           .where(Ticket.branch_id == bindparam("bid"), Ticket.business_date == bindparam("day"),
                  Ticket.status == "waiting").group_by(Ticket.service_code))
_CURRENT = (select(Counter.number, Ticket.number, Ticket.priority, Ticket.called_at,
                   Ticket.started_at)
            .join(Ticket, Ticket.id == Counter.current_ticket_id)
            .where(Counter.branch_id == bindparam("bid")))


def oldest_waiting(lobby: Lobby) -> dict[str, datetime]:
    """Service code -> issue time of today's longest-waiting ticket in its queue."""
    rows = lobby.session.execute(_OLDEST, {"bid": lobby.branch.id, "day": lobby.today}).all()
    return {code: issued for code, issued in rows if issued is not None}


def current_tickets(lobby: Lobby) -> dict[int, CurrentTicket]:
    """Counter number -> its current customer (counters with none are left out)."""
    rows = lobby.session.execute(_CURRENT, {"bid": lobby.branch.id}).all()
    return {counter: CurrentTicket(counter, number, priority, called, started)
            for counter, number, priority, called, started in rows}


def seconds_since(start: datetime | None, now: datetime) -> int | None:
    """Whole seconds from ``start`` to ``now``, never negative (a clock stepped back)."""
    if start is None:
        return None
    return max(0, int((now - start).total_seconds()))


__all__ = ["CurrentTicket", "current_tickets", "oldest_waiting", "seconds_since"]
