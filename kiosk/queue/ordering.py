"""Calling order: who comes first, and how many come before a given ticket.

A normal ticket that has waited more than ``STARVATION_FACTOR`` times its service's
target overtakes everything (oldest first); otherwise vip, then care, then normal;
within a class the longest wait, that is the order of issue. The order of issue is
the ticket's id (the database's sequence, which a transfer keeps), never the clock: a
clock stepped back, or two kiosks whose clocks disagree, never put a later ticket
before an earlier one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.models import PRIORITY_RANK, Service, Ticket

# The class every ticket of a service carries at least (README: VIP service tickets
# carry the vip class).
SERVICE_CLASS = {"vip": "vip"}
# A normal ticket waiting longer than this many target waits overtakes priority ones.
STARVATION_FACTOR = 2
# Tickets read per service and ordering when calling: enough to outlast the counters
# racing for the same queue; if all are taken, call_next reads again.
CANDIDATES_PER_SERVICE = 8


def ticket_class(service_code: str, asked: str) -> str:
    """The priority class of a new ticket: the class asked for, raised to the one its
    service carries. A VIP-service ticket taken with care stays vip: care ranks below
    vip and would put it behind every later VIP ticket."""
    return max(asked, SERVICE_CLASS.get(service_code, "normal"), key=PRIORITY_RANK.__getitem__)


def candidates(session: Session, branch_id: str, today: date, now: datetime,
               services: list[Service]) -> list[Ticket]:
    """The tickets that can come first at a counter serving ``services``, best first.

    The best ticket is always among the first few of one service, either by
    (priority class, order of issue) or as that service's first normal ticket (the
    one that may be starving), so only those are read: the cost of a call does not
    grow with the length of the queue."""
    target = {s.code: timedelta(minutes=s.target_wait_min * STARVATION_FACTOR)
              for s in services}
    rank = case(PRIORITY_RANK, value=Ticket.priority, else_=0)
    found: dict[int, Ticket] = {}
    for code in target:
        waiting = select(Ticket).where(
            Ticket.branch_id == branch_id, Ticket.business_date == today,
            Ticket.status == "waiting", Ticket.service_code == code)
        for query in (waiting.order_by(rank.desc(), Ticket.id),
                      waiting.where(Ticket.priority == "normal").order_by(Ticket.id)):
            found.update((t.id, t) for t in session.scalars(
                query.limit(CANDIDATES_PER_SERVICE)))
    if found:
        latest = max(found.values(), key=lambda t: t.issued_at)
        clock.report_step_back(f"issue times of {today}", latest.issued_at, now,
                               f"ticket {latest.number}")

    def order(t: Ticket) -> tuple[int, int, int]:
        starving = t.priority == "normal" and now - t.issued_at > target[t.service_code]
        return (0 if starving else 1, -PRIORITY_RANK[t.priority] if not starving else 0,
                t.id)

    return sorted(found.values(), key=order)


def ahead_of(session: Session, branch_id: str, ticket: Ticket) -> int:
    """Waiting tickets of the same service that will be called before ``ticket``."""
    if ticket.status != "waiting":
        return 0
    rank = PRIORITY_RANK[ticket.priority]
    higher = [p for p, r in PRIORITY_RANK.items() if r > rank]
    same = [p for p, r in PRIORITY_RANK.items() if r == rank]
    base = select(func.count()).select_from(Ticket).where(
        Ticket.branch_id == branch_id, Ticket.business_date == ticket.business_date,
        Ticket.status == "waiting", Ticket.service_code == ticket.service_code,
        Ticket.id != ticket.id)
    count = session.scalar(base.where(
        Ticket.priority.in_(higher) | (Ticket.priority.in_(same) & (Ticket.id < ticket.id))))
    return int(count or 0)


__all__ = ["CANDIDATES_PER_SERVICE", "SERVICE_CLASS", "STARVATION_FACTOR", "ahead_of",
           "candidates", "ticket_class"]
