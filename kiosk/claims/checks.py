"""Claim document checks: the completeness check, its record, the ticket link, the
hand-over.

The check is the law's one-time notice (Insurance Law art. 22): for a claim type, the
customer's yes/no answers and the documents they have, it lists EVERYTHING still
missing at once, which originals to bring and, for a complete set, the date a
decision is promised by (``claim_decision_working_days`` working days after today
on the branch calendar).

Flow: :func:`evaluate` is pure (catalogue + answers + documents → :class:`ClaimChecklist`);
:func:`record_check` evaluates, stores a :class:`~kiosk.models.ClaimCheck` under a
random reference (no personal data in it) and optionally links it to today's claims
ticket, where a complete set can move the ticket into the ``care`` class (the fast
lane, when the branch enables ``claims_fast_lane``). The counter finds the check by
ticket (:func:`checks_for_ticket`) before calling the customer, and records what it
received on the hand-over form (:func:`record_handover`).

All functions take the caller's session and never commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.claims.catalogue import (
    ClaimCatalogue,
    ClaimType,
    active_catalogue,
    catalogue_version,
    ensure_stored,
)
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import OPEN_STATES, ClaimCheck, ClaimHandover, Ticket, TicketEvent
from kiosk.queue.lobby import Lobby

CLAIMS_SERVICE = "claims"
FAST_LANE_PRIORITY = "care"
RECEIVED_MARKS = ("O", "C")
_YES = ("yes", "y", "true", "1", "是")
_NO = ("no", "n", "false", "0", "否")
# Crockford base32 without I, L, O, U: read aloud or typed from a printout unambiguously.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_REFERENCE_RANDOM = 6


@dataclass(frozen=True)
class RequiredDocument:
    """One document the claim needs, with the mark that applies to this claim."""

    code: str
    original: str
    present: bool


@dataclass(frozen=True)
class ClaimChecklist:
    """The result of a completeness check (before it is stored)."""

    claim_type: str
    answers: Mapping[str, bool]
    have: tuple[str, ...]
    required: tuple[RequiredDocument, ...]
    extra: tuple[str, ...]

    @property
    def missing(self) -> list[str]:
        """Every required document not yet present, in the catalogue's order."""
        return [d.code for d in self.required if not d.present]

    @property
    def originals_needed(self) -> list[str]:
        """Required documents whose original must be brought (kept, or shown)."""
        return [d.code for d in self.required if d.original in ("O", "O*")]

    @property
    def complete(self) -> bool:
        return all(d.present for d in self.required)


# ----- parsing what the customer said ----------------------------------------------------


def parse_codes(values: Iterable[str]) -> list[str]:
    """``["CLAIM_FORM,BANK", "INVOICE"]`` → ``["CLAIM_FORM", "BANK", "INVOICE"]``."""
    codes: list[str] = []
    for part in _items(values):
        if part.upper() not in codes:
            codes.append(part.upper())
    return codes


def _items(values: Iterable[str]) -> Iterator[str]:
    """The non-empty comma-separated items of repeated options, stripped."""
    for value in values:
        yield from (part.strip() for part in value.split(",") if part.strip())


def _pair(part: str, allowed: tuple[str, ...]) -> tuple[str, str] | None:
    """``"code=value"`` → (code, value) with ``value`` lower-cased and in ``allowed``;
    None when the item is malformed."""
    code, sep, value = part.partition("=")
    code, value = code.strip(), value.strip().lower()
    return (code, value) if sep and code and value in allowed else None


def parse_answers(values: Iterable[str]) -> dict[str, bool]:
    """``["by_agent=yes", "theft=no,fire=yes"]`` → ``{"by_agent": True, ...}``.

    Raises:
        UsageError: a pair without ``=``, a value other than yes/no, or one question
            answered both ways.
    """
    answers: dict[str, bool] = {}
    for part in _items(values):
        pair = _pair(part, (*_YES, *_NO))
        if pair is None:
            raise UsageError(f"回答格式应为 问题=yes|no：{part}",
                             f"an answer is QUESTION=yes|no, got {part!r}", code="bad_answer")
        code, answer = pair[0].lower(), pair[1] in _YES
        if answers.get(code, answer) != answer:
            raise UsageError(f"问题 {code} 同时回答了是和否",
                             f"question {code!r} is answered both yes and no",
                             code="bad_answer")
        answers[code] = answer
    return answers


# ----- the check -------------------------------------------------------------------------


def evaluate(catalogue: ClaimCatalogue, claim_type: str, answers: Mapping[str, bool],
             have: Iterable[str]) -> ClaimChecklist:
    """Check the documents of one claim against ``catalogue``.

    Args:
        catalogue: the catalogue version to check against.
        claim_type: a claim type code (``inpatient``...).
        answers: yes/no per question code; unanswered questions count as "no".
        have: document codes the customer has with them.

    Raises:
        UsageError: unknown claim type, a question that does not apply to this claim
            type, or a document code this claim type never asks for; the message lists
            the valid codes.
    """
    kind = catalogue.claim_type(claim_type)
    for code in answers:
        if code not in kind.questions:
            valid = ", ".join(kind.questions) or "-"
            known = code in catalogue.questions
            what_zh = "问题不适用于此理赔类型" if known else "未知问题"
            what_en = f"does not apply to {claim_type}" if known else "is unknown"
            raise UsageError(f"{what_zh}：{code}；{kind.name_zh}可回答的问题：{valid}",
                             f"question {code!r} {what_en}; valid: {valid}",
                             code="unknown_question")
    possible = kind.possible_documents()
    have_codes = list(dict.fromkeys(have))
    for code in have_codes:
        if code not in possible:
            valid = ", ".join(possible)
            known = code in catalogue.documents
            what_zh = "此理赔类型不需要该资料" if known else "未知资料代码"
            what_en = f"is not used by {claim_type}" if known else "is unknown"
            raise UsageError(f"{what_zh}：{code}；{kind.name_zh}的资料代码：{valid}",
                             f"document {code!r} {what_en}; valid: {valid}",
                             code="unknown_document")
    marks = _marks(catalogue, kind, answers)
    required = tuple(RequiredDocument(code=code, original=mark, present=code in have_codes)
                     for code, mark in marks.items())
    extra = tuple(code for code in have_codes if code not in marks)
    return ClaimChecklist(claim_type=kind.code, answers=dict(answers), have=tuple(have_codes),
                          required=required, extra=extra)


def _marks(catalogue: ClaimCatalogue, kind: ClaimType,
           answers: Mapping[str, bool]) -> dict[str, str]:
    """Required documents in order, each with the mark in force: the document's own,
    overridden by the claim type, overridden by a "yes" answer."""
    codes = list(kind.documents)
    overrides = dict(kind.originals)
    # Questions apply in the catalogue's order, so the result does not depend on the
    # order the customer answered in.
    for code, effect in kind.questions.items():
        if not answers.get(code, False):
            continue
        codes = [c for c in codes if c not in effect.drops]
        codes += [c for c in effect.adds if c not in codes]
        overrides.update(effect.originals)
    return {c: overrides.get(c, catalogue.documents[c].original) for c in codes}


def decision_date(branch: BranchInfo, today: date) -> date:
    """The promised decision date for a complete set handed in ``today``."""
    return branch.add_working_days(today, int(branch.setting("claim_decision_working_days")))


# ----- storing ---------------------------------------------------------------------------


def record_check(session: Session, claim_type: str, answers: Mapping[str, bool],
                 have: Iterable[str], *, ticket_number: str | None = None,
                 now: datetime | None = None) -> ClaimCheck:
    """Check, store the result under a new reference, optionally link a ticket.

    Everything is validated before anything is written: an unknown code or a ticket
    that cannot be linked leaves no record.

    Raises:
        UsageError: unknown codes (see :func:`evaluate`), unknown ticket.
        RuleRefused: the ticket is not a claims ticket or is already finished.
    """
    now = now or clock.now()
    branch = load_branch(session)
    catalogue = ensure_stored(session, branch.id, now)
    checklist = evaluate(catalogue, claim_type, answers, have)
    lobby = Lobby(session, branch, now)
    ticket = _linkable_ticket(lobby, ticket_number) if ticket_number else None
    check = ClaimCheck(
        branch_id=branch.id, reference=_new_reference(session, branch, now), checked_at=now,
        business_date=lobby.today, claim_type=checklist.claim_type,
        catalogue_version=catalogue.version, answers=dict(checklist.answers),
        documents=list(checklist.have),
        required=[{"code": d.code, "original": d.original, "present": d.present}
                  for d in checklist.required],
        missing=checklist.missing, originals_needed=checklist.originals_needed,
        complete=checklist.complete,
        decision_by=decision_date(branch, lobby.today) if checklist.complete else None)
    session.add(check)
    session.flush()
    if ticket is not None:
        _link(lobby, check, ticket)
    return check


def link_ticket(session: Session, reference: str, ticket_number: str, *,
                now: datetime | None = None) -> ClaimCheck:
    """Link a stored check to today's claims ticket (the customer took the ticket after
    checking their documents).

    Raises:
        NotFound: no such reference or ticket.
        RuleRefused: not a claims ticket, or the ticket is already finished.
    """
    lobby = Lobby(session, now=now)
    check = find_check(session, reference, lobby.branch.id)
    _link(lobby, check, _linkable_ticket(lobby, ticket_number))
    return check


def _linkable_ticket(lobby: Lobby, number: str) -> Ticket:
    ticket = lobby.ticket(number)
    if ticket.service_code != CLAIMS_SERVICE:
        raise RuleRefused(f"{ticket.number} 不是理赔业务的号，不能关联资料核对",
                          f"{ticket.number} is a {ticket.service_code} ticket, not a claims "
                          f"ticket", code="not_claims_ticket")
    if ticket.status not in OPEN_STATES:
        raise RuleRefused(f"{ticket.number} 已结束（{ticket.status}），不能关联",
                          f"{ticket.number} is {ticket.status}; link a current ticket",
                          code="ticket_finished")
    return ticket


def _link(lobby: Lobby, check: ClaimCheck, ticket: Ticket) -> None:
    """Link ``check`` to ``ticket``.

    Raises:
        RuleRefused: the check is linked to another ticket that is still open: one
            customer's check must not move a second ticket into the fast lane.
    """
    if check.ticket_id is not None and check.ticket_id != ticket.id:
        previous = lobby.session.get(Ticket, check.ticket_id)
        if previous is not None and previous.status in OPEN_STATES:
            raise RuleRefused(
                f"资料核对 {check.reference} 已关联 {previous.number}（{previous.status}），"
                f"该号结束后才能改关联 {ticket.number}",
                f"claim check {check.reference} is linked to {previous.number} "
                f"({previous.status}); it can move to {ticket.number} once that ticket is "
                f"over", code="check_linked")
    check.ticket_id, check.ticket_number = ticket.id, ticket.number
    if check.complete and lobby.branch.setting("claims_fast_lane"):
        give_fast_lane(lobby, ticket, check.reference)


def give_fast_lane(lobby: Lobby, ticket: Ticket, reference: str) -> bool:
    """Move a waiting normal ticket into the ``care`` class; True when it moved.

    The queue already has three classes (normal < care < vip); the fast lane reuses
    ``care`` rather than adding a fourth, so counters and screens need no change. A
    ticket already called, or already care/vip, keeps its place. The change is written
    as a ``priority`` ticket event, like every other change to a ticket.
    """
    if ticket.status != "waiting" or ticket.priority != "normal":
        return False
    ticket.priority = FAST_LANE_PRIORITY
    lobby.session.add(TicketEvent(
        branch_id=lobby.branch.id, ticket_id=ticket.id, at=lobby.now, kind="priority",
        from_state=ticket.status, to_state=ticket.status,
        reason=f"claims fast lane: normal -> {FAST_LANE_PRIORITY} (check {reference})"))
    return True


def _new_reference(session: Session, branch: BranchInfo, now: datetime) -> str:
    """``CL`` + local date + 6 random characters, e.g. ``CL261123-7K3QXZ``.

    Random rather than sequential so that a reference seen on someone else's printout
    says nothing about other customers' checks."""
    stamp = branch.local(now).strftime("%y%m%d")
    while True:
        tail = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(_REFERENCE_RANDOM))
        reference = f"CL{stamp}-{tail}"
        taken = session.scalar(select(ClaimCheck.id).where(
            ClaimCheck.branch_id == branch.id, ClaimCheck.reference == reference))
        if taken is None:
            return reference


# ----- finding -----------------------------------------------------------------------------


def find_check(session: Session, reference: str, branch_id: str | None = None) -> ClaimCheck:
    """The stored check with ``reference`` (case-insensitive)."""
    bid = branch_id or load_branch(session).id
    check = session.scalar(select(ClaimCheck).where(
        ClaimCheck.branch_id == bid, ClaimCheck.reference == reference.strip().upper()))
    if check is None:
        raise NotFound(f"没有资料核对记录 {reference}", f"no claim check {reference!r}",
                       code="unknown_reference")
    return check


def checks_for_ticket(session: Session, ticket_number: str, *,
                      now: datetime | None = None) -> list[ClaimCheck]:
    """The checks linked to today's ticket ``ticket_number``, newest first."""
    lobby = Lobby(session, now=now)
    ticket = lobby.ticket(ticket_number)
    return list(session.scalars(select(ClaimCheck).where(ClaimCheck.ticket_id == ticket.id)
                                .order_by(ClaimCheck.checked_at.desc(), ClaimCheck.id.desc())))


def catalogue_for(session: Session, check: ClaimCheck) -> ClaimCatalogue:
    """The catalogue version a check was made against (the one in use if it is gone)."""
    return (catalogue_version(session, check.branch_id, check.catalogue_version)
            or active_catalogue(session, check.branch_id))


# ----- hand-over ---------------------------------------------------------------------------


def parse_received(values: Iterable[str]) -> dict[str, str]:
    """``["CLAIM_FORM=O,BANK=C"]`` → ``{"CLAIM_FORM": "O", "BANK": "C"}``."""
    received: dict[str, str] = {}
    for part in _items(values):
        pair = _pair(part, ("o", "c"))
        if pair is None:
            raise UsageError(f"收件格式应为 资料代码=O|C：{part}",
                             f"each received document is CODE=O|C (original or copy), "
                             f"got {part!r}", code="bad_received")
        received[pair[0].upper()] = pair[1].upper()
    return received


def record_handover(session: Session, check: ClaimCheck, received: Mapping[str, str], *,
                    staff: str = "", now: datetime | None = None) -> ClaimHandover:
    """Record the documents the counter received for ``check`` (original or copy).

    Raises:
        UsageError: nothing received, or a code the check's claim type never uses.
    """
    if not received:
        raise UsageError("请至少登记一份收到的资料", "list at least one received document",
                         code="bad_received")
    catalogue = catalogue_for(session, check)
    possible = catalogue.claim_type(check.claim_type).possible_documents()
    for code, mark in received.items():
        if code not in possible:
            valid = ", ".join(possible)
            raise UsageError(f"此理赔类型不使用资料 {code}；可用：{valid}",
                             f"document {code!r} is not used by {check.claim_type}; "
                             f"valid: {valid}", code="unknown_document")
        if mark not in RECEIVED_MARKS:
            raise UsageError(f"{code} 只能登记为原件 O 或复印件 C",
                             f"{code} is received as O (original) or C (copy)",
                             code="bad_received")
    handover = ClaimHandover(branch_id=check.branch_id, check_id=check.id,
                             at=now or clock.now(), staff=staff, received=dict(received))
    session.add(handover)
    session.flush()
    return handover


# ----- views -------------------------------------------------------------------------------


def check_view(session: Session, check: ClaimCheck,
               branch: BranchInfo | None = None) -> dict[str, Any]:
    """The stored check as the CLI, the kiosk and the counter show it."""
    branch = branch or load_branch(session)
    catalogue = catalogue_for(session, check)
    kind = catalogue.types.get(check.claim_type)
    ticket = session.get(Ticket, check.ticket_id) if check.ticket_id else None

    def named(code: str) -> dict[str, str]:
        document = catalogue.documents.get(code)
        if document is None:  # the version was replaced and the code is gone
            return {"code": code, "name_zh": code, "name_en": code, "hint_zh": "", "hint_en": ""}
        return {"code": code, "name_zh": document.name_zh, "name_en": document.name_en,
                "hint_zh": document.hint_zh, "hint_en": document.hint_en}

    return {
        "reference": check.reference,
        "complete": check.complete,
        "missing": list(check.missing),
        "originals_needed": list(check.originals_needed),
        "decision_by": check.decision_by.isoformat() if check.decision_by else None,
        "claim_type": check.claim_type,
        "claim_type_name_zh": kind.name_zh if kind else check.claim_type,
        "claim_type_name_en": kind.name_en if kind else check.claim_type,
        "catalogue_version": check.catalogue_version,
        "checked_at": branch.iso(check.checked_at),
        "answers": {code: "yes" if yes else "no" for code, yes in check.answers.items()},
        "documents": [{**named(item["code"]), "original": item["original"],
                       "present": item["present"]} for item in check.required],
        "extra": [c for c in check.documents if c not in {i["code"] for i in check.required}],
        "ticket": check.ticket_number,
        "priority": ticket.priority if ticket is not None else None,
    }


def types_view(catalogue: ClaimCatalogue) -> list[dict[str, str]]:
    """``kiosk claims types``: every claim type with its names."""
    return [{"code": t.code, "name_zh": t.name_zh, "name_en": t.name_en}
            for t in catalogue.types.values()]


def docs_view(catalogue: ClaimCatalogue, claim_type: str) -> dict[str, Any]:
    """``kiosk claims docs TYPE``: base documents and the questions that add more."""
    kind = catalogue.claim_type(claim_type)
    documents = []
    for code in kind.documents:
        doc = catalogue.documents[code]
        documents.append({"code": code, "name_zh": doc.name_zh, "name_en": doc.name_en,
                          "original": kind.originals.get(code, doc.original),
                          "hint_zh": doc.hint_zh, "hint_en": doc.hint_en})
    questions = []
    for code, effect in kind.questions.items():
        question = catalogue.questions[code]
        questions.append({"code": code, "text_zh": question.text_zh,
                          "text_en": question.text_en, "adds": list(effect.adds),
                          "drops": list(effect.drops)})
    return {"claim_type": kind.code, "name_zh": kind.name_zh, "name_en": kind.name_en,
            "catalogue_version": catalogue.version, "documents": documents,
            "questions": questions}


__all__ = [
    "ClaimChecklist",
    "RequiredDocument",
    "catalogue_for",
    "check_view",
    "checks_for_ticket",
    "decision_date",
    "docs_view",
    "evaluate",
    "find_check",
    "give_fast_lane",
    "link_ticket",
    "parse_answers",
    "parse_codes",
    "parse_received",
    "record_check",
    "record_handover",
    "types_view",
]
