"""What the screens and the CLI show of the queue: one ticket, and the whole lobby
(waiting count and estimate per service, status and ticket per counter). Plain dicts,
the ``--json`` contract of ``kiosk ticket`` and ``kiosk queue``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, TextClause, bindparam, text

from kiosk.models import Ticket
from kiosk.queue import board_sql

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


def _statement(sql: str) -> TextClause:
    """One of the board's statements, its business day bound as a date (SQLite keeps
    dates as text)."""
    return text(sql).bindparams(bindparam("day", type_=Date())) if ":day" in sql else text(sql)


SERVICES = _statement(board_sql.SERVICES)
"""The services in display order, as :meth:`Lobby.services` loads them."""
_WAITING, _HANDLING, _COUNTERS, _LINKS = (_statement(sql) for sql in (
    board_sql.WAITING, board_sql.HANDLING, board_sql.COUNTERS, board_sql.LINKS))


def snapshot(lobby: Lobby) -> dict[str, Any]:
    """Waiting count and estimate per service; status and ticket per counter.

    Five statements whatever the number of services and counters, the SQL of
    :mod:`kiosk.queue.board_sql` run through the session (the services once per unit
    of work, by :meth:`Lobby.services`), and that module's assembly: the estimates
    follow the same rule as :meth:`Lobby.estimate`. ``kiosk queue`` on a SQLite file
    runs the same statements and assembly without SQLAlchemy
    (:mod:`kiosk.queue.board_sqlite`)."""
    params = board_sql.parameters(lobby.branch.id, lobby.today)
    services = [board_sql.ServiceRow.of(s) for s in lobby.services()]

    def rows(statement: TextClause) -> list[Any]:
        return list(lobby.session.execute(statement, params).all())

    return board_sql.assemble(lobby.branch.id, lobby.today, lobby.branch.iso(lobby.now),
                              services, rows(_WAITING), rows(_HANDLING), rows(_COUNTERS),
                              rows(_LINKS))


__all__ = ["SERVICES", "snapshot", "ticket_view"]
