"""The customer's side of the queue: the take screen's choices, taking a ticket (and
printing it), showing and cancelling one.

``take_ticket`` is a documented sequence of units of work: the take commits first (the
number is the customer's from then on), then the view is read outside the write lock,
then the print goes through the spool (:func:`kiosk.app.printout.print_roll`), whose
outcome is part of the answer instead of an exception: a failed print never loses the
ticket, and the screen shows the number either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.app.context import AppContext
from kiosk.app.printout import PrintOutcome, print_roll
from kiosk.app.results import Result
from kiosk.app.validate import choice, text
from kiosk.devices.printing import ticket_document, ticket_reference
from kiosk.errors import RuleRefused, UsageError
from kiosk.models import PRIORITIES, TicketEvent
from kiosk.queue.lobby import Lobby
from kiosk.queue.numbering import check_open, daily_cap_reached, issued_today


@dataclass(frozen=True)
class TicketInfo(Result):
    """One ticket as every screen shows it (no personal data exists on a ticket)."""

    number: str
    service: str
    service_name_zh: str
    service_name_en: str
    status: str
    priority: str
    issued_at: str
    business_date: str
    ahead: int
    wait_min: tuple[int, int] | None
    counter: int | None
    recalls: int
    called_at: str | None
    transferred_from: str | None

    @classmethod
    def from_view(cls, view: Mapping[str, Any]) -> TicketInfo:
        """From :func:`kiosk.queue.views.ticket_view`'s mapping."""
        wait = view["wait_min"]
        return cls(**{**{k: view[k] for k in _TICKET_FIELDS},
                      "wait_min": (int(wait[0]), int(wait[1])) if wait else None})


_TICKET_FIELDS = tuple(TicketInfo.__dataclass_fields__)


@dataclass(frozen=True)
class TakenTicket(TicketInfo):
    """A ticket just taken: the number and estimate, the reference its QR carries, and
    what happened to its print (None when no print was asked for)."""

    reference: str
    print: PrintOutcome | None


@dataclass(frozen=True)
class ServiceChoice(Result):
    """One button of the take screen: the service, how many wait and for how long, and
    whether a ticket can be taken now; if not, the reason (``reason_code``: ``closed``
    today, ``outside_hours`` with the span in the text, ``disabled``, ``daily_cap``)."""

    code: str
    prefix: str
    name_zh: str
    name_en: str
    enabled: bool
    waiting: int
    wait_min: tuple[int, int] | None
    available: bool
    reason_code: str | None
    reason_zh: str | None
    reason_en: str | None


def service_choices(app: AppContext) -> tuple[ServiceChoice, ...]:
    """Every service of the branch, in display order, as the take screen offers it."""
    with app.read() as session:
        lobby = Lobby(session)
        board = {s["code"]: s for s in lobby.snapshot()["services"]}
        issued = issued_today(session, lobby.branch.id, lobby.today)
        result = []
        for service in lobby.services():
            refusal: RuleRefused | None = None
            try:
                check_open(lobby.branch, lobby.today, lobby.now, service)
            except RuleRefused as exc:
                refusal = exc
            if refusal is None and issued.get(service.code, 0) >= service.daily_cap:
                refusal = daily_cap_reached(service)
            row = board[service.code]
            wait = row["wait_min"]
            result.append(ServiceChoice(
                code=service.code, prefix=service.prefix, name_zh=service.name_zh,
                name_en=service.name_en, enabled=service.enabled, waiting=row["waiting"],
                wait_min=(wait[0], wait[1]) if wait else None, available=refusal is None,
                reason_code=refusal.code if refusal else None,
                reason_zh=refusal.zh if refusal else None,
                reason_en=refusal.en if refusal else None))
    return tuple(result)


def take_ticket(app: AppContext, service: str, priority: str = "normal", *,
                print_ticket: bool = False) -> TakenTicket:
    """Take the next number of ``service`` and, with ``print_ticket``, print it.

    Raises:
        RuleRefused: closed, outside hours, disabled, daily cap (nothing was taken).
        UsageError: unknown service or priority.
    A print problem does not raise: it is in ``TakenTicket.print``.
    """
    choice(priority, PRIORITIES, "优先级", "priority")
    with app.write() as session:
        number = Lobby(session).take(service, priority).number
    # The estimate is read after the commit, outside the write lock.
    with app.read() as session:
        lobby = Lobby(session)
        ticket = lobby.ticket(number)
        info = TicketInfo.from_view(lobby.ticket_view(ticket))
        reference = ticket_reference(lobby.branch.id, info.business_date, number)
        document = ticket_document(session, number, lobby) if print_ticket else None
    outcome = None
    if document is not None:
        outcome = print_roll(app, document, f"已取号 {number}", f"ticket {number} was taken")
    return TakenTicket(**{k: getattr(info, k) for k in _TICKET_FIELDS},
                       reference=reference, print=outcome)


def print_ticket(app: AppContext, number: str) -> PrintOutcome:
    """Print today's ticket ``number`` (people ahead and the wait as they are now).

    The screens take without printing, show the number at once, then call this: the
    number never waits for the printer. The outcome is the answer, never an exception
    for a printer problem (the job stays queued for when the printer is back)."""
    with app.read() as session:
        lobby = Lobby(session)
        document = ticket_document(session, lobby.ticket(number).number, lobby)
    return print_roll(app, document, f"已取号 {document.reference}",
                      f"ticket {document.reference} was taken")


@dataclass(frozen=True)
class TicketPdf(Result):
    number: str
    out: str
    bytes: int


def ticket_pdf(app: AppContext, number: str, out: Path, paper: str = "80mm") -> TicketPdf:
    """Save today's ticket ``number`` as a PDF (the same layout as the paper)."""
    from printers.documents.model import ROLLS
    from printers.documents.pdf import render_pdf

    choice(paper, tuple(ROLLS), "纸宽", "the paper")
    with app.read() as session:
        document = ticket_document(session, number)
    pdf = render_pdf(document, ROLLS[paper])
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise UsageError(f"无法写入 {out}", f"cannot write {out}: {exc.strerror}") from exc
    return TicketPdf(document.reference, str(out), len(pdf))


def show_ticket(app: AppContext, number: str) -> TicketInfo:
    """Today's ticket ``number`` (case-insensitive) with its place and wait now."""
    with app.read() as session:
        lobby = Lobby(session)
        return TicketInfo.from_view(lobby.ticket_view(lobby.ticket(number)))


def cancel_ticket(app: AppContext, number: str, reason: str = "") -> TicketInfo:
    """Cancel a waiting or called ticket (the customer left); recorded with ``reason``."""
    reason = text(reason, TicketEvent.reason, "原因", "the reason") or ""
    with app.write() as session:
        lobby = Lobby(session)
        return TicketInfo.from_view(lobby.ticket_view(lobby.cancel(number, reason)))


__all__ = ["PrintOutcome", "ServiceChoice", "TakenTicket", "TicketInfo", "TicketPdf",
           "cancel_ticket", "print_ticket", "service_choices", "show_ticket", "take_ticket",
           "ticket_pdf"]
