"""What the screens and the CLI show of the queue: one ticket, and the whole lobby
(waiting count and estimate per service, status and ticket per counter). Plain dicts,
the ``--json`` contract of ``kiosk ticket`` and ``kiosk queue``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from kiosk.models import Ticket

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
    """Waiting count and estimate per service; status and ticket per counter."""
    waiting = dict(lobby.session.execute(
        select(Ticket.service_code, func.count()).where(
            Ticket.branch_id == lobby.branch.id, Ticket.business_date == lobby.today,
            Ticket.status == "waiting").group_by(Ticket.service_code)).all())
    services = []
    for s in lobby.services():
        count = int(waiting.get(s.code, 0))
        estimate = lobby.estimate(s, count)
        open_count, _ = lobby.serving_counters(s)
        services.append({
            "code": s.code, "prefix": s.prefix, "name_zh": s.name_zh,
            "name_en": s.name_en, "enabled": s.enabled, "waiting": count,
            "open_counters": open_count,
            "wait_min": list(estimate) if estimate else None})
    counters = []
    for c in lobby.counters():
        current = lobby.current_ticket(c)
        counters.append({
            "number": c.number, "status": c.status, "staff": c.staff,
            "services": [s.code for s in lobby.counter_services(c)],
            "ticket": None if current is None else {
                "number": current.number, "status": current.status,
                "service": current.service_code}})
    return {"branch": lobby.branch.id, "business_date": lobby.today.isoformat(),
            "at": lobby.branch.iso(lobby.now), "services": services, "counters": counters}


__all__ = ["snapshot", "ticket_view"]
