"""What the screens and the CLI show of the queue: one ticket, and the whole lobby
(waiting count and estimate per service, status and ticket per counter). Plain dicts,
the ``--json`` contract of ``kiosk ticket`` and ``kiosk queue``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kiosk.models import Counter, CounterService, Ticket
from kiosk.queue import estimates

if TYPE_CHECKING:
    from kiosk.queue.lobby import Lobby


def ticket_view(lobby: Lobby, ticket: Ticket) -> dict[str, Any]:
    """The ticket as the CLI and the screens show it (no personal data exists on it)."""
    service = lobby.service(ticket.service_code)
    estimate = lobby.wait_estimate(ticket)
    branch = lobby.branch
    return {
        "number": ticket.number,
        "service": ticket.service_code,
        "service_name_zh": service.name_zh,
        "service_name_en": service.name_en,
        "status": ticket.status,
        "priority": ticket.priority,
        "issued_at": branch.iso(ticket.issued_at),
        "business_date": ticket.business_date.isoformat(),
        "ahead": estimate.ahead,
        "wait_min": list(estimate.minutes) if estimate.minutes else None,
        "counter": ticket.counter_number,
        "recalls": ticket.recalls,
        "called_at": branch.iso(ticket.called_at) if ticket.called_at else None,
        "transferred_from": ticket.transferred_from,
    }


def snapshot(lobby: Lobby) -> dict[str, Any]:
    """Waiting count and estimate per service; status and ticket per counter.

    The lobby display refreshes this every second, so it costs five statements whatever
    the number of services and counters: the services (once per unit of work), the
    waiting counts, the handling times, the counters with their current tickets, and
    which counter serves what. The estimates follow the same rule as
    :meth:`Lobby.estimate`, from those rows."""
    branch_id = lobby.branch.id
    services = lobby.services()
    waiting = dict(lobby.session.execute(
        select(Ticket.service_code, func.count()).where(
            Ticket.branch_id == branch_id, Ticket.business_date == lobby.today,
            Ticket.status == "waiting").group_by(Ticket.service_code)).all())
    handling = estimates.handling_minutes_by_service(lobby.session, branch_id, lobby.today,
                                                     services)
    rows = lobby.session.execute(
        select(Counter, Ticket).outerjoin(Ticket, Ticket.id == Counter.current_ticket_id)
        .where(Counter.branch_id == branch_id).order_by(Counter.number)).all()
    links = lobby.session.execute(
        select(CounterService.counter_id, CounterService.service_id)
        .where(CounterService.branch_id == branch_id)
        .order_by(CounterService.counter_id, CounterService.position)).all()
    status = {c.id: c.status for c, _ in rows}
    code = {s.id: s.code for s in services}
    serving: dict[int, list[int]] = {}  # service id -> counter ids
    served: dict[int, list[str]] = {}  # counter id -> service codes, in order
    for counter_id, service_id in links:
        serving.setdefault(service_id, []).append(counter_id)
        served.setdefault(counter_id, []).append(code.get(service_id, ""))
    service_rows = []
    for s in services:
        count = int(waiting.get(s.code, 0))
        counters = serving.get(s.id, [])
        open_count = sum(1 for c in counters if status.get(c) == "open")
        assigned = open_count or len(counters)
        estimate = (estimates.wait_range(count, assigned, handling[s.code])
                    if assigned else None)
        service_rows.append({
            "code": s.code, "prefix": s.prefix, "name_zh": s.name_zh,
            "name_en": s.name_en, "enabled": s.enabled, "waiting": count,
            "open_counters": open_count,
            "wait_min": list(estimate) if estimate else None})
    counter_rows = [{
        "number": c.number, "status": c.status, "staff": c.staff,
        "services": served.get(c.id, []),
        "ticket": None if current is None else {
            "number": current.number, "status": current.status,
            "service": current.service_code}} for c, current in rows]
    return {"branch": branch_id, "business_date": lobby.today.isoformat(),
            "at": lobby.branch.iso(lobby.now), "services": service_rows,
            "counters": counter_rows}


__all__ = ["snapshot", "ticket_view"]
