"""Wait estimates: the rolling handling time, the counters serving a service, and the
wait range shown on a ticket and the lobby board.

position ÷ open counters × rolling handling time, widened by ±20 % and rounded out to
5-minute steps. With no counter open yet, the counters that serve the service are
assumed to open; with none at all there is no estimate.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.models import Counter, CounterService, Service, Ticket

# Tickets finished today that feed the rolling handling-time average, and how many
# are needed before it replaces the service's target.
ROLLING_WINDOW = 20
ROLLING_MINIMUM = 5


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
    return _average(service, [(s, f) for s, f in rows])


def handling_minutes_by_service(session: Session, branch_id: str, today: date,
                                services: Iterable[Service]) -> dict[str, float]:
    """:func:`handling_minutes` of every service in ``services``, in one statement (the
    last ``ROLLING_WINDOW`` finished tickets per service, by a window function)."""
    rank = func.row_number().over(
        partition_by=Ticket.service_code,
        order_by=(Ticket.finished_at.desc(), Ticket.id.desc())).label("rank")
    recent = select(Ticket.service_code, Ticket.started_at, Ticket.finished_at, rank).where(
        Ticket.branch_id == branch_id, Ticket.business_date == today,
        Ticket.status == "done", Ticket.started_at.is_not(None)).subquery()
    spans: dict[str, list[tuple[datetime | None, datetime | None]]] = {}
    for code, started, finished in session.execute(
            select(recent.c.service_code, recent.c.started_at, recent.c.finished_at)
            .where(recent.c.rank <= ROLLING_WINDOW)):
        spans.setdefault(code, []).append((started, finished))
    return {s.code: _average(s, spans.get(s.code, [])) for s in services}


def _average(service: Service, rows: list[tuple[datetime | None, datetime | None]]) -> float:
    if len(rows) < ROLLING_MINIMUM:
        return float(service.target_handle_min)
    # A clock stepped back between start and finish would make a negative time.
    total = sum((max(0.0, (f - s).total_seconds()) for s, f in rows if s and f), 0.0)
    return total / len(rows) / 60.0


def serving_counters(session: Session, service: Service) -> tuple[int, int]:
    """(open counters serving ``service``, all counters serving it)."""
    rows = session.execute(
        select(Counter.status).join(CounterService, CounterService.counter_id == Counter.id)
        .where(CounterService.service_id == service.id)).scalars().all()
    return sum(1 for s in rows if s == "open"), len(rows)


def wait_range(ahead: int, counters: int, handling_min: float) -> tuple[int, int]:
    """Minutes range for ``ahead`` people before a customer, ``counters`` (at least
    one) serving the service and its handling time in minutes."""
    point = ahead / counters * handling_min
    low = 5 * math.floor(point * 0.8 / 5)
    high = max(5 * math.ceil(point * 1.2 / 5), low + 5)
    return low, high


__all__ = ["ROLLING_MINIMUM", "ROLLING_WINDOW", "WaitEstimate", "handling_minutes",
           "handling_minutes_by_service", "serving_counters", "wait_range"]
