"""The comment book as use cases: the categories the kiosk offers, taking in a piece of
feedback or a complaint (at the kiosk or from staff) with its printed acknowledgement,
and the list the register works from.

Personal data leaves here masked only: the phone as ``138****5678`` and the text with
every phone, ID and card number masked, in every result and so in every JSON output and
on every screen. The receipt carries the reference and the promised date, never the
phone. ``submit_complaint`` commits the complaint before anything is printed, so a
printer problem is in the answer (``print``) and loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from kiosk.app.context import AppContext
from kiosk.app.printout import PrintOutcome, print_roll
from kiosk.app.results import Result
from kiosk.app.validate import whole
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.devices.printing import acknowledgement_document
from kiosk.feedback import complaints
from kiosk.models import Complaint


@dataclass(frozen=True)
class ComplaintCategory(Result):
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ComplaintInfo(Result):
    """A complaint as every screen and output shows it: contact and text masked."""

    reference: str
    category: str
    category_name_zh: str
    category_name_en: str
    text: str
    contact: str | None
    consent: bool
    source: str
    station: str
    entered_by: str
    ticket: str | None
    received_at: str
    business_date: str
    feedback_due: str
    reply_due: str
    decision_due: str
    state: str
    owner: str | None
    print: PrintOutcome | None = None


@dataclass(frozen=True)
class ComplaintList(Result):
    """The branch's complaints, newest first (JSON ``{"complaints": [...]}``)."""

    complaints: tuple[ComplaintInfo, ...]


def complaint_categories() -> tuple[ComplaintCategory, ...]:
    """What feedback can be about, in the order the kiosk offers it."""
    return tuple(ComplaintCategory(c.code, c.name_zh, c.name_en) for c in complaints.CATEGORIES)


def submit_complaint(app: AppContext, category: str, text: str, *, phone: str | None = None,
                     consent: bool = False, source: str = "kiosk", entered_by: str = "",
                     ticket: str | None = None, print_receipt: bool = False) -> ComplaintInfo:
    """Take in feedback or a complaint (one unit of work), then, with
    ``print_receipt``, print its acknowledgement.

    Raises:
        UsageError: unknown category, empty or too long text, a phone that is not one
            or given without consent, an unknown ticket (nothing is stored).
    A print problem does not raise: it is in ``ComplaintInfo.print``.
    """
    with app.write() as session:
        row = complaints.receive_complaint(
            session, category, text, phone=phone, consent=consent, source=source,
            station=app.station, entered_by=entered_by, ticket_number=ticket)
        info = _info(load_branch(session), row)
        document = acknowledgement_document(
            session, row.reference, info.category_name_zh, info.category_name_en,
            row.received_at, promised=row.feedback_due) if print_receipt else None
    if document is None:
        return info
    return replace(info, print=print_roll(app, document, f"意见 {info.reference} 已受理",
                                          f"feedback {info.reference} was received"))


def print_complaint_receipt(app: AppContext, reference: str) -> PrintOutcome:
    """Print the acknowledgement of complaint ``reference`` (the promise stored with it).
    The screens submit first, show the reference, then print with this."""
    with app.read() as session:
        row = complaints.find_complaint(session, reference)
        kind = complaints.describe_category(row.category)
        document = acknowledgement_document(session, row.reference, kind.name_zh,
                                            kind.name_en, row.received_at,
                                            promised=row.feedback_due)
    return print_roll(app, document, f"意见 {row.reference} 已受理",
                      f"feedback {row.reference} was received")


def list_complaints(app: AppContext, *, states: Sequence[str] = (), since: date | None = None,
                    limit: int = 200) -> ComplaintList:
    """The branch's complaints, newest first, optionally in ``states`` or received on
    or after ``since`` (a business date)."""
    whole(limit, "条数", "the limit", high=10_000)
    with app.read() as session:
        return ComplaintList(_infos(session, complaints.list_complaints(
            session, states=states, since=since, limit=limit)))


def show_complaint(app: AppContext, reference: str) -> ComplaintInfo:
    """One complaint by its reference (case-insensitive)."""
    with app.read() as session:
        return _info(load_branch(session), complaints.find_complaint(session, reference))


def _infos(session: Session, rows: Sequence[Complaint]) -> tuple[ComplaintInfo, ...]:
    branch = load_branch(session)
    return tuple(_info(branch, row) for row in rows)


def _info(branch: BranchInfo, row: Complaint) -> ComplaintInfo:
    kind = complaints.describe_category(row.category)
    return ComplaintInfo(
        reference=row.reference, category=row.category, category_name_zh=kind.name_zh,
        category_name_en=kind.name_en, text=complaints.public_text(row),
        contact=row.contact_masked, consent=row.consent, source=row.source,
        station=row.station, entered_by=row.entered_by, ticket=row.ticket_number,
        received_at=branch.iso(row.received_at), business_date=row.business_date.isoformat(),
        feedback_due=row.feedback_due.isoformat(), reply_due=row.reply_due.isoformat(),
        decision_due=row.decision_due.isoformat(), state=row.state, owner=row.owner)


__all__ = ["ComplaintCategory", "ComplaintInfo", "ComplaintList", "complaint_categories",
           "list_complaints", "print_complaint_receipt", "show_complaint", "submit_complaint"]
