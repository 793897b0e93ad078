"""Tickets from the admin board, for a customer standing at the supervisor's desk: find
today's tickets, reprint one, cancel one, issue a care (爱心) or VIP ticket on the
customer's behalf.

Each is a staff use case: the search needs the board's permission (``reports``), the
three actions ``override`` (they change a customer's place or skip the take screen), and
every action is audited under the staff member (``ticket.reprint``, ``ticket.cancel``,
``ticket.issue``; the number as subject) in the unit of work that does it. Prints go to
this station's receipt printer (the supervisor's desk) through
:func:`kiosk.app.printout.print_roll`: a print problem is in the answer and loses
nothing (the ticket is taken, the job waits for the printer).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.app.context import AppContext
from kiosk.app.printout import PrintOutcome
from kiosk.app.results import Result
from kiosk.app.staff import note, requires
from kiosk.app.tickets import TakenTicket, TicketInfo, print_ticket
from kiosk.app.validate import choice, text, whole
from kiosk.devices.printing import ticket_reference
from kiosk.errors import UsageError
from kiosk.models import PRIORITIES, Ticket, TicketEvent
from kiosk.privacy.masking import mask_text
from kiosk.queue.lobby import Lobby
from kiosk.staff.permissions import Permission, StaffSession

SEARCH_MAX = 50


@dataclass(frozen=True)
class TicketSearch(Result):
    """Today's tickets whose number starts with ``query`` (all of today's when empty),
    newest first, at most ``limit``."""

    query: str
    business_date: str
    tickets: tuple[TicketInfo, ...]


def _query(query: str) -> str:
    value = query.strip().upper()
    if len(value) > 8 or not all(c.isascii() and c.isalnum() for c in value):
        raise UsageError(f"号码只能是字母和数字（例如 D007），而不是 {query!r}",
                         f"a ticket number is letters and digits (e.g. D007), not {query!r}",
                         code="bad_number")
    return value


@requires(Permission.REPORTS)
def search_tickets(app: AppContext, staff: StaffSession, query: str = "", *,
                   limit: int = 20) -> TicketSearch:
    """Today's tickets by the start of their number (``d0`` finds D001...D099)."""
    whole(limit, "条数", "the limit", low=1, high=SEARCH_MAX)
    prefix = _query(query)
    with app.read() as session:
        lobby = Lobby(session)
        rows = session.scalars(
            select(Ticket).where(Ticket.branch_id == lobby.branch.id,
                                 Ticket.business_date == lobby.today,
                                 Ticket.number.startswith(prefix, autoescape=True))
            .order_by(Ticket.issued_at.desc(), Ticket.id.desc()).limit(limit)).all()
        return TicketSearch(prefix, lobby.today.isoformat(), tuple(
            TicketInfo.from_view(lobby.ticket_view(row)) for row in rows))


@requires(Permission.OVERRIDE)
def reprint_ticket(app: AppContext, staff: StaffSession, number: str) -> PrintOutcome:
    """Print today's ticket ``number`` again on this station's printer (audited first:
    the reprint is recorded even when the printer is out of paper)."""
    with app.write() as session:
        ticket = Lobby(session).ticket(_query(number))
        note(session, app, staff, "ticket.reprint", subject=ticket.number,
             detail=f"at {app.station}")
        found = ticket.number
    return print_ticket(app, found)


@requires(Permission.OVERRIDE)
def cancel_ticket_for(app: AppContext, staff: StaffSession, number: str,
                      reason: str) -> TicketInfo:
    """Cancel a waiting or called ticket for the customer (the reason is required and
    goes, numbers masked, on the ticket's history and the audit entry)."""
    reason = mask_text(text(reason, TicketEvent.reason, "取消原因", "the reason",
                            required=True) or "")
    with app.write() as session:
        lobby = Lobby(session)
        ticket = lobby.cancel(_query(number), reason)
        note(session, app, staff, "ticket.cancel", subject=ticket.number, detail=reason,
             branch=lobby.branch)
        return TicketInfo.from_view(lobby.ticket_view(ticket))


@requires(Permission.OVERRIDE)
def issue_ticket(app: AppContext, staff: StaffSession, service: str, priority: str, *,
                 print_it: bool = True) -> TakenTicket:
    """Take a ticket of ``service`` with ``priority`` (``care``, ``vip`` or ``normal``)
    for a customer, audited with the priority; then, with ``print_it``, print it here.
    The same rules as the take screen (opening hours, daily cap, a disabled service)."""
    choice(priority, PRIORITIES, "优先级", "priority")
    with app.write() as session:
        lobby = Lobby(session)
        ticket = lobby.take(service, priority)
        note(session, app, staff, "ticket.issue", subject=ticket.number,
             detail=f"{ticket.service_code} {priority}", branch=lobby.branch)
        number = ticket.number
    with app.read() as session:
        lobby = Lobby(session)
        info = TicketInfo.from_view(lobby.ticket_view(lobby.ticket(number)))
        reference = ticket_reference(lobby.branch.id, info.business_date, number)
    outcome = print_ticket(app, number) if print_it else None
    return TakenTicket(**{k: getattr(info, k) for k in TicketInfo.__dataclass_fields__},
                       reference=reference, print=outcome)


__all__ = ["TicketSearch", "cancel_ticket_for", "issue_ticket", "reprint_ticket",
           "search_tickets"]
