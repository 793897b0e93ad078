"""The claims desk: the claim types and their documents, the completeness check (stored
under a reference, optionally linked to a claims ticket), finding a check again, the
ticket link, the hand-over of documents, and the notice (PDF or the roll printer) and
the A4 hand-over form.

The check is committed before any notice is written or printed, so a failure there
names its reference and loses nothing (the notice's print outcome is part of the
answer, as for a ticket)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kiosk.app.context import AppContext
from kiosk.app.printout import PrintOutcome, print_roll
from kiosk.app.results import Result
from kiosk.app.tickets import TakenTicket, show_ticket, take_ticket
from kiosk.app.validate import text
from kiosk.branch.info import current_branch_id, load_branch
from kiosk.claims import records
from kiosk.claims.catalogue_versions import active_catalogue
from kiosk.claims.checks import evaluate, parse_answers, parse_codes, parse_received
from kiosk.claims.views import check_view, docs_view, types_view
from kiosk.errors import DeviceError, KioskError, NotFound, UsageError
from kiosk.models import ClaimCheck, ClaimHandover
from printers.documents.slips import BranchHeading

PAPERS = ("roll80", "roll58", "a4")


@dataclass(frozen=True)
class ClaimTypeInfo(Result):
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class ClaimTypes(Result):
    """Every claim type of the catalogue in use (JSON ``{"types": [...]}``)."""

    types: tuple[ClaimTypeInfo, ...]


@dataclass(frozen=True)
class DocumentInfo(Result):
    code: str
    name_zh: str
    name_en: str
    original: str
    hint_zh: str
    hint_en: str


@dataclass(frozen=True)
class QuestionInfo(Result):
    code: str
    text_zh: str
    text_en: str
    adds: tuple[str, ...]
    drops: tuple[str, ...]


@dataclass(frozen=True)
class ClaimTypeDocuments(Result):
    """A claim type's base documents and the questions that add or drop documents."""

    claim_type: str
    name_zh: str
    name_en: str
    catalogue_version: str
    documents: tuple[DocumentInfo, ...]
    questions: tuple[QuestionInfo, ...]


@dataclass(frozen=True)
class CheckedDocument(Result):
    code: str
    name_zh: str
    name_en: str
    hint_zh: str
    hint_en: str
    original: str
    present: bool


@dataclass(frozen=True)
class HandoverInfo(Result):
    at: str
    staff: str
    received: dict[str, str]


@dataclass(frozen=True)
class ClaimCheckInfo(Result):
    """A stored check as the kiosk and the counter show it: every document required
    (present or not), everything missing (the one-time notice), the originals to
    bring, the promised decision date when complete, and its ticket. ``handover``,
    ``pdf`` and ``print`` are filled by the use cases that make them."""

    reference: str
    complete: bool
    missing: tuple[str, ...]
    originals_needed: tuple[str, ...]
    decision_by: str | None
    claim_type: str
    claim_type_name_zh: str
    claim_type_name_en: str
    catalogue_version: str
    checked_at: str
    answers: dict[str, str]
    documents: tuple[CheckedDocument, ...]
    extra: tuple[str, ...]
    ticket: str | None
    priority: str | None
    handover: HandoverInfo | None = None
    pdf: str | None = None
    print: PrintOutcome | None = None


def claim_types(app: AppContext) -> ClaimTypes:
    with app.read() as session:
        types = types_view(active_catalogue(session, current_branch_id(session)))
    return ClaimTypes(tuple(ClaimTypeInfo(**t) for t in types))


def claim_documents(app: AppContext, claim_type: str) -> ClaimTypeDocuments:
    """Raises ``UsageError`` for a claim type the catalogue does not have."""
    with app.read() as session:
        view = docs_view(active_catalogue(session, current_branch_id(session)), claim_type)
    return ClaimTypeDocuments(
        claim_type=view["claim_type"], name_zh=view["name_zh"], name_en=view["name_en"],
        catalogue_version=view["catalogue_version"],
        documents=tuple(DocumentInfo(**d) for d in view["documents"]),
        questions=tuple(QuestionInfo(**{**q, "adds": tuple(q["adds"]),
                                        "drops": tuple(q["drops"])})
                        for q in view["questions"]))


def claim_requirements(app: AppContext, claim_type: str,
                       answers: Mapping[str, bool]) -> tuple[DocumentInfo, ...]:
    """Every document ``claim_type`` needs with these yes/no ``answers`` (what the
    questions add or drop, each with the original-or-copy mark that applies), in the
    catalogue's order: the list a customer ticks before the check.

    Raises:
        UsageError: unknown claim type or question.
    """
    with app.read() as session:
        catalogue = active_catalogue(session, current_branch_id(session))
    checklist = evaluate(catalogue, claim_type, answers, ())
    result = []
    for required in checklist.required:
        document = catalogue.documents[required.code]
        result.append(DocumentInfo(code=required.code, name_zh=document.name_zh,
                                   name_en=document.name_en, original=required.original,
                                   hint_zh=document.hint_zh, hint_en=document.hint_en))
    return tuple(result)


def check_claim(app: AppContext, claim_type: str, answers: Mapping[str, bool],
                have: Iterable[str], *, ticket: str | None = None) -> ClaimCheckInfo:
    """Check the documents the customer has, store the check, link ``ticket`` (today's
    claims ticket; a complete check may move it to the fast lane). Nothing is stored
    when a code is unknown or the ticket cannot be linked."""
    with app.write() as session:
        return _info(session, records.record_check(session, claim_type, answers, have,
                                                   ticket_number=ticket))


def find_claim_check(app: AppContext, reference: str | None = None, *,
                     ticket: str | None = None) -> ClaimCheckInfo:
    """The check with ``reference``, or the newest linked to today's ``ticket``."""
    if bool(reference) == bool(ticket):
        raise UsageError("请给出核对编号或 --ticket 之一",
                         "give either a reference or --ticket NUMBER")
    with app.read() as session:
        if ticket:
            found = records.checks_for_ticket(session, ticket)
            if not found:
                raise NotFound(f"{ticket} 没有关联的资料核对",
                               f"no claim check is linked to {ticket}", code="no_check")
            return _info(session, found[0])
        return _info(session, records.find_check(session, reference or ""))


def take_claims_ticket(app: AppContext, reference: str,
                       priority: str = "normal") -> TakenTicket:
    """Take a claims ticket for the customer whose check is ``reference`` and link the
    two, so the counter sees the check when it calls the number (a complete check may
    move the ticket into the fast lane: the answer shows its priority after the link).

    The take commits first: if the link then fails, the ticket is still the
    customer's and the error names both.

    Raises:
        NotFound: no such check (nothing taken).
        RuleRefused: claims closed, outside hours or full (nothing taken).
    """
    with app.read() as session:
        records.find_check(session, reference)
    taken = take_ticket(app, records.CLAIMS_SERVICE, priority)
    try:
        with app.write() as session:
            records.link_ticket(session, reference, taken.number)
    except KioskError as exc:
        raise type(exc)(f"已取号 {taken.number}，但未能关联资料核对 {reference}：{exc.zh}",
                        f"ticket {taken.number} was taken but not linked to check "
                        f"{reference}: {exc.en}", code=exc.code) from exc
    now = show_ticket(app, taken.number)
    return replace(taken, priority=now.priority, ahead=now.ahead, wait_min=now.wait_min)


def link_claim_check(app: AppContext, reference: str, ticket: str) -> ClaimCheckInfo:
    with app.write() as session:
        return _info(session, records.link_ticket(session, reference, ticket))


def record_handover(app: AppContext, reference: str, received: Mapping[str, str], *,
                    staff: str = "") -> ClaimCheckInfo:
    """Record the documents the counter received (``CODE: "O"|"C"``) for a check."""
    staff = text(staff, ClaimHandover.staff, "工号", "the staff id") or ""
    with app.write() as session:
        branch = load_branch(session)
        check = records.find_check(session, reference, branch.id)
        handover = records.record_handover(session, check, received, staff=staff)
        info = _info(session, check)
        return replace(info, handover=HandoverInfo(branch.iso(handover.at), handover.staff,
                                                    dict(handover.received)))


def write_notice_pdf(app: AppContext, check: ClaimCheckInfo, path: Path,
                     paper: str = "roll80") -> ClaimCheckInfo:
    """Write the checklist notice of a stored check as PDF (roll or A4)."""
    from printers.documents.claim_forms import checklist_notice_pdf

    if paper not in PAPERS:
        raise UsageError(f"纸张只能是 {', '.join(PAPERS)}",
                         f"the paper is one of {', '.join(PAPERS)}", code="bad_choice")
    try:
        checklist_notice_pdf(check.to_json(), _heading(app), path, paper=paper)
    except KioskError as exc:
        raise _not_written(exc, check.reference) from exc
    return replace(check, pdf=str(path))


def write_handover_form(app: AppContext, check: ClaimCheckInfo, path: Path) -> ClaimCheckInfo:
    """Write the A4 hand-over form of a check whose hand-over was just recorded."""
    from printers.documents.claim_forms import handover_form_pdf

    if check.handover is None:
        raise UsageError("尚未登记交接的资料", "no hand-over is recorded in this answer")
    try:
        handover_form_pdf(check.to_json(), _heading(app), path)
    except KioskError as exc:
        raise _not_written(exc, check.reference) from exc
    return replace(check, pdf=str(path))


def print_notice(app: AppContext, check: ClaimCheckInfo) -> ClaimCheckInfo:
    """Print the roll notice; the outcome is in ``print`` (its error names the check)."""
    from printers.documents.claim_notice import checklist_notice

    document = checklist_notice(check.to_json(), _heading(app))
    outcome = print_roll(app, document, f"资料核对 {check.reference} 已保存",
                         f"claim check {check.reference} is stored")
    return replace(check, print=outcome)


# ----- views ---------------------------------------------------------------------------


def _info(session: Session, check: ClaimCheck) -> ClaimCheckInfo:
    view: dict[str, Any] = check_view(session, check)
    return ClaimCheckInfo(**{
        **view, "missing": tuple(view["missing"]),
        "originals_needed": tuple(view["originals_needed"]), "extra": tuple(view["extra"]),
        "documents": tuple(CheckedDocument(**d) for d in view["documents"])})


def _heading(app: AppContext) -> BranchHeading:
    with app.read() as session:
        branch = load_branch(session)
    return BranchHeading(branch.name_zh, branch.name_en, branch.hotline)


def _not_written(error: KioskError, reference: str) -> KioskError:
    zh = f"资料核对 {reference} 已保存，但文件未能生成：{error.zh}"
    en = f"claim check {reference} is stored, but the file was not written: {error.en}"
    if isinstance(error, DeviceError):
        return DeviceError(zh, en, port=error.port, hint=error.hint)
    return type(error)(zh, en, code=error.code)


__all__ = ["PAPERS", "CheckedDocument", "ClaimCheckInfo", "ClaimTypeDocuments", "ClaimTypeInfo",
           "ClaimTypes", "DocumentInfo", "HandoverInfo", "QuestionInfo", "check_claim",
           "claim_documents", "claim_requirements", "claim_types", "find_claim_check",
           "link_claim_check", "parse_answers", "parse_codes", "parse_received", "print_notice",
           "record_handover", "take_claims_ticket", "write_handover_form", "write_notice_pdf"]
