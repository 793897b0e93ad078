"""Wait estimates: the rolling handling time of a service and the counters serving
it, read from the database; the rule itself (:mod:`kiosk.queue.waits`) is pure.

position ÷ open counters × rolling handling time, widened by ±20 % and rounded out to
5-minute steps. With no counter open yet, the counters that serve the service are
assumed to open; with none at all there is no estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.models import Counter, CounterService, Service, Ticket
from kiosk.queue.waits import ROLLING_MINIMUM, ROLLING_WINDOW, average_minutes, wait_range


@dataclass(frozen=True)
class WaitEstimate:
    ahead: int
    minutes: tuple[int, int] | None


def handling_minutes(session: Session, branch_id: str, today: date, service: Service) -> float:
    """Rolling average handling time of today's finished tickets of ``service``."""
    rows = session.execute(
        select(Ticket.started_at, Ticket.finished_at).where(
            Ticket.branch_id == branch_id, Ticket.business_date == today,
            Ticket.status == "done", Ticket.service_code == service.code,
            Ticket.started_at.is_not(None))
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(ROLLING_WINDOW)).all()
    return average_minutes(service.target_handle_min, [(s, f) for s, f in rows])


def serving_counters(session: Session, service: Service) -> tuple[int, int]:
    """(open counters serving ``service``, all counters serving it)."""
    rows = session.execute(
        select(Counter.status).join(CounterService, CounterService.counter_id == Counter.id)
        .where(CounterService.service_id == service.id)).scalars().all()
    return sum(1 for s in rows if s == "open"), len(rows)


__all__ = ["ROLLING_MINIMUM", "ROLLING_WINDOW", "WaitEstimate", "handling_minutes",
           "serving_counters", "wait_range"]
