"""Numbering: whether a service issues tickets right now, and the next number of the day.

The number is one atomic upsert of the (business day, service) sequence row: SQLite
under the write lock the unit of work took at ``BEGIN IMMEDIATE``, PostgreSQL under the
row lock the upsert takes. A refusal puts the counter back, so a refused take leaves
no gap.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from kiosk.branch.hours import span_text, within
from kiosk.branch.info import BranchInfo
from kiosk.db import dialect_insert
from kiosk.errors import RuleRefused
from kiosk.models import Service, Ticket, TicketSequence
from kiosk.models.base import as_loaded


def check_open(branch: BranchInfo, today: date, now: datetime, service: Service) -> None:
    """Refuse (``RuleRefused``) a ticket of ``service`` now: disabled, closed today,
    or outside the hours of the branch or of the service."""
    names = f"{service.name_zh}", f"{service.name_en}"
    if not service.enabled:
        raise RuleRefused(f"{names[0]}业务暂停办理", f"{names[1]} is not available",
                          code="disabled")
    hours = branch.hours_on(today)
    if hours is None:
        raise RuleRefused("今日休息，暂停取号", "The branch is closed today", code="closed")
    opens, closes = hours
    if service.opens and service.closes:
        opens, closes = max(opens, service.opens), min(closes, service.closes)
    if not within((opens, closes), branch.local(now).time()):
        span = span_text((opens, closes))
        raise RuleRefused(f"{names[0]}取号时间为 {span}",
                          f"{names[1]} tickets are issued {span}", code="outside_hours")


def next_seq(session: Session, branch_id: str, today: date, service: Service) -> int:
    """Increment the day's counter of ``service`` in one atomic upsert.

    The row lock it takes (PostgreSQL) or the write lock already held (SQLite)
    keeps concurrent takes apart; a refusal puts the counter back, so a caller
    that goes on in the same unit of work leaves no trace of it."""
    key = {"branch_id": branch_id, "business_date": today, "service_code": service.code}
    seq = session.connection().execute(_increment(session), key).scalar_one()
    if seq > service.daily_cap:
        session.execute(update(TicketSequence).filter_by(**key)
                        .values(last_seq=service.daily_cap))
        raise daily_cap_reached(service)
    return int(seq)


# The upsert per dialect, built once: building it costs more than running it.
_INCREMENTS: dict[str, Any] = {}


def _increment(session: Session) -> Any:
    dialect = session.get_bind().dialect.name
    if dialect not in _INCREMENTS:
        _INCREMENTS[dialect] = (
            dialect_insert(session)(TicketSequence).values(last_seq=1)
            .on_conflict_do_update(index_elements=["branch_id", "business_date", "service_code"],
                                   set_={"last_seq": TicketSequence.last_seq + 1})
            .returning(TicketSequence.last_seq))
    return _INCREMENTS[dialect]


def insert_ticket(session: Session, **values: Any) -> Ticket:
    """Insert a new waiting ticket with ``values`` in one statement and return it as a
    persistent ``Ticket`` of ``session``, every column set, as if it had been flushed.

    Core rather than the ORM's flush, which costs about as much again inside the write
    lock (docs/ARCHITECTURE.md, "A short turn")."""
    values = {"status": "waiting", "recalls": 0, **values}
    ticket_id = session.connection().execute(_INSERT_TICKET, values).scalar_one()
    return as_loaded(session, Ticket, {**_NO_VALUES, **values, "id": ticket_id})


_INSERT_TICKET = insert(Ticket).returning(Ticket.id)  # run on the connection: Core
# The columns a new ticket leaves empty, so that reading one needs no SELECT.
_NO_VALUES = {name: None for name in ("called_at", "started_at", "finished_at",
                                      "counter_number", "staff", "transferred_from")}


def daily_cap_reached(service: Service) -> RuleRefused:
    """The refusal of a ticket past ``service``'s daily cap."""
    return RuleRefused(f"{service.name_zh}今日号码已发完（{service.daily_cap} 个）",
                       f"{service.name_en} has reached today's limit of "
                       f"{service.daily_cap} tickets", code="daily_cap")


def issued_today(session: Session, branch_id: str, today: date) -> dict[str, int]:
    """Tickets issued so far on ``today`` per service code (one statement)."""
    rows = session.execute(select(TicketSequence.service_code, TicketSequence.last_seq).where(
        TicketSequence.branch_id == branch_id, TicketSequence.business_date == today))
    return {code: int(seq) for code, seq in rows}


__all__ = ["check_open", "daily_cap_reached", "dialect_insert", "insert_ticket", "issued_today",
           "next_seq"]
