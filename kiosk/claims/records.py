"""Claim checks as records: stored under a reference, linked to a claims ticket,
found again by the counter, and the documents the counter received.

:func:`record_check` evaluates (:func:`kiosk.claims.checks.evaluate`), stores a
:class:`~kiosk.models.ClaimCheck` under a random reference (no personal data in it)
and optionally links it to today's claims ticket, where a complete set can move the
ticket into the ``care`` class (the fast lane, when the branch enables
``claims_fast_lane``). The counter finds the check by ticket (:func:`checks_for_ticket`)
before calling the customer, and records what it received on the hand-over form
(:func:`record_handover`).

All functions take the caller's session and never commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.claims.catalogue import ClaimCatalogue
from kiosk.claims.catalogue_versions import active_catalogue, catalogue_version, ensure_stored
from kiosk.claims.checks import RECEIVED_MARKS, decision_date, evaluate
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import OPEN_STATES, ClaimCheck, ClaimHandover, Ticket, TicketEvent
from kiosk.queue.lobby import Lobby
from kiosk.references import new_reference

CLAIMS_SERVICE = "claims"
FAST_LANE_PRIORITY = "care"


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
    """``CL`` + local date + 6 random characters, e.g. ``CL261123-7K3QXZ``."""
    return new_reference("CL", branch.local(now).date(), lambda reference: session.scalar(
        select(ClaimCheck.id).where(ClaimCheck.branch_id == branch.id,
                                    ClaimCheck.reference == reference)) is not None)


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


__all__ = ["CLAIMS_SERVICE", "FAST_LANE_PRIORITY", "catalogue_for", "checks_for_ticket",
           "find_check", "give_fast_lane", "link_ticket", "record_check", "record_handover"]
