"""The comment book: feedback and complaints taken in at the kiosk or by staff.

:func:`receive_complaint` checks what the customer gave (a category, the text, a phone
number only for a call back and only with consent, optionally today's ticket), stores
it under a random reference with its deadlines fixed on the branch's working-day
calendar, and writes the first step of its history (``received``). The register (a
later issue) takes it from there: owner, state, hand-over, reply, close.

Deadlines (branch settings):

- ``feedback_due``: progress feedback within ``feedback_working_days`` working days
  (default 2, the insurer's service commitment; the date on the printed receipt);
- ``reply_due``: a reply within ``complaint_reply_working_days`` working days (default
  10, 2010 personal-insurance service rules art. 29);
- ``decision_due``: a decision within ``complaint_decision_days`` calendar days (default
  15, 2020 complaint rules, simple cases), moved to the next working day when it falls
  on a day the branch does not work (the register extends it for complex cases:
  :mod:`kiosk.feedback.complaint_register`).

Personal data: the phone is kept for the call back and shown masked everywhere
(:func:`kiosk.privacy.masking.mask_phone`); numbers the customer typed into the text
are masked on every output (:func:`public_text`). Past the retention period the phone
is erased and the text's numbers masked for good (the ``complaint_contact`` holder).

All functions take the caller's session and never commit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.errors import NotFound, UsageError
from kiosk.feedback.complaint_register import checked_text, decision_due
from kiosk.models import COMPLAINT_SOURCES, COMPLAINT_STATES, Complaint, ComplaintEvent
from kiosk.privacy import audit
from kiosk.privacy.masking import find_unmasked, mask_phone, mask_text
from kiosk.privacy.retention import PersonalDataHolder, register_holder
from kiosk.queue.lobby import Lobby
from kiosk.references import new_reference

REFERENCE_PREFIX = "FB"
TEXT_MAX = 1000
_ENTERED_BY_MAX = 40


@dataclass(frozen=True)
class Category:
    """What a piece of feedback is about, as the kiosk offers it."""

    code: str
    name_zh: str
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("service", "服务态度", "Staff and service"),
    Category("waiting", "排队等候", "Waiting time"),
    Category("claims", "理赔", "Claims"),
    Category("policy", "保单服务", "Policy services"),
    Category("sales", "销售行为", "Sales practice"),
    Category("facilities", "环境设施", "Facilities"),
    Category("suggestion", "意见建议", "Suggestion"),
    Category("praise", "表扬", "Praise"),
    Category("other", "其他", "Other"),
)
_BY_CODE = {category.code: category for category in CATEGORIES}

# A mainland mobile (11 digits, 1[3-9]...) or a landline with its area code (0 + 9-11
# digits), optionally with +86; spaces and dashes between the digits are allowed.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{9,11}")


def category(code: str) -> Category:
    """The category ``code``; an unknown one is a ``UsageError`` listing the valid ones."""
    try:
        return _BY_CODE[code]
    except KeyError:
        valid = ", ".join(_BY_CODE)
        raise UsageError(f"未知的意见类别 {code}（可用：{valid}）",
                         f"unknown feedback category {code!r} (valid: {valid})",
                         code="unknown_category") from None


def describe_category(code: str) -> Category:
    """The category ``code`` with its names; a code no longer offered keeps its code
    as its name (an old complaint stays readable)."""
    return _BY_CODE.get(code) or Category(code, code, code)


def normalise_phone(phone: str) -> str:
    """The phone as its digits (``+86`` dropped); a ``UsageError`` unless it is a
    mainland mobile or a landline with its area code."""
    text = phone.strip()
    if re.search(r"[^\d +\-()]", text):
        raise _bad_phone()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") and not digits.startswith("86"):
        raise _bad_phone()
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not (_MOBILE.fullmatch(digits) or _LANDLINE.fullmatch(digits)):
        raise _bad_phone()
    return digits


def _bad_phone() -> UsageError:
    return UsageError("电话号码格式不正确：请输入 11 位手机号或带区号的固定电话",
                      "this is not a phone number: enter an 11-digit mobile number or a "
                      "landline with its area code", code="bad_phone")


def clean_text(text: str) -> str:
    """The complaint text, stripped, line breaks kept; refused when empty, over
    :data:`TEXT_MAX` characters or holding other control characters."""
    return checked_text(
        text, TEXT_MAX, empty=("请填写意见内容", "please write your feedback"),
        too_long=("意见内容最多 {limit} 个字（现有 {given} 个）",
                  "feedback is at most {limit} characters ({given} given)"),
        control=("意见内容含有控制字符", "the feedback contains a control character"))


@dataclass(frozen=True)
class Deadlines:
    feedback: date
    reply: date
    decision: date


def deadlines(branch: BranchInfo, received: date) -> Deadlines:
    """The promises made to a customer whose complaint was received on ``received``."""
    return Deadlines(
        feedback=branch.add_working_days(received, int(branch.setting("feedback_working_days"))),
        reply=branch.add_working_days(received,
                                      int(branch.setting("complaint_reply_working_days"))),
        decision=decision_due(branch, received, complex_case=False))


def receive_complaint(session: Session, category_code: str, text: str, *,
                      phone: str | None = None, consent: bool = False,
                      source: str = "kiosk", station: str = "", entered_by: str = "",
                      ticket_number: str | None = None,
                      now: datetime | None = None) -> Complaint:
    """Take in one piece of feedback or complaint; returns the stored row.

    Everything is checked before anything is written. A phone is kept only with
    ``consent`` (the customer agreed to be called back). Staff entries (``source``
    ``staff``, ``entered_by`` their number) are audited, the phone masked.

    Raises:
        UsageError: unknown category or source, empty or over-long text, a phone that
            is not one, a phone without consent, an unknown ticket.
    """
    now = now or clock.now()
    found = category(category_code)
    body = clean_text(text)
    if source not in COMPLAINT_SOURCES:
        raise UsageError(f"来源只能是 {', '.join(COMPLAINT_SOURCES)}",
                         f"source must be one of {', '.join(COMPLAINT_SOURCES)}, "
                         f"got {source!r}", code="bad_choice")
    number = normalise_phone(phone) if phone and phone.strip() else None
    if number is not None and not consent:
        raise UsageError("留下电话需要您同意我们回电联系",
                         "a phone number is kept only if you agree to be called back",
                         code="consent_required")
    branch = load_branch(session)
    lobby = Lobby(session, branch, now)
    ticket = lobby.ticket(ticket_number) if ticket_number and ticket_number.strip() else None
    due = deadlines(branch, lobby.today)
    complaint = Complaint(
        branch_id=branch.id, reference=_new_reference(session, branch, lobby.today),
        received_at=now, business_date=lobby.today, source=source, station=station[:40],
        entered_by=entered_by[:_ENTERED_BY_MAX], category=found.code, text=body,
        contact_phone=number, contact_masked=mask_phone(number) if number else None,
        consent=bool(consent and number), ticket_id=ticket.id if ticket else None,
        ticket_number=ticket.number if ticket else None, feedback_due=due.feedback,
        reply_due=due.reply, decision_due=due.decision, state=COMPLAINT_STATES[0],
        owner=None, updated_at=now)
    session.add(complaint)
    session.flush()
    session.add(ComplaintEvent(
        branch_id=branch.id, complaint_id=complaint.id, at=now, kind="received",
        from_state=None, to_state=complaint.state, staff=complaint.entered_by,
        note=f"{source} {station}".strip()))
    if source == "staff":
        detail = f"category {found.code}"
        if complaint.contact_masked:
            detail += f", phone {complaint.contact_masked}"
        audit.record(session, branch.id, staff=entered_by or audit.SYSTEM,
                     action="complaint.add", at=now, station=station,
                     subject=complaint.reference, detail=detail)
    return complaint


def _new_reference(session: Session, branch: BranchInfo, day: date) -> str:
    """``FB`` + local date + 6 random characters, e.g. ``FB261123-7K3QXZ``."""
    return new_reference(REFERENCE_PREFIX, day, lambda reference: session.scalar(
        select(Complaint.id).where(Complaint.branch_id == branch.id,
                                   Complaint.reference == reference)) is not None)


def find_complaint(session: Session, reference: str) -> Complaint:
    """The complaint with ``reference`` (case-insensitive)."""
    found = session.scalar(select(Complaint).where(
        Complaint.branch_id == load_branch(session).id,
        Complaint.reference == reference.strip().upper()))
    if found is None:
        raise NotFound(f"没有意见记录 {reference}", f"no complaint {reference!r}",
                       code="unknown_reference")
    return found


def list_complaints(session: Session, *, states: Sequence[str] = (),
                    since: date | None = None, limit: int = 200) -> list[Complaint]:
    """The branch's complaints, newest first; optionally only in ``states`` or
    received on or after the business date ``since``."""
    for state in states:
        if state not in COMPLAINT_STATES:
            raise UsageError(f"状态只能是 {', '.join(COMPLAINT_STATES)}",
                             f"state must be one of {', '.join(COMPLAINT_STATES)}, "
                             f"got {state!r}", code="bad_choice")
    query = select(Complaint).where(Complaint.branch_id == load_branch(session).id)
    if states:
        query = query.where(Complaint.state.in_(tuple(states)))
    if since is not None:
        query = query.where(Complaint.business_date >= since)
    return list(session.scalars(query.order_by(Complaint.received_at.desc(),
                                               Complaint.id.desc()).limit(limit)))


def public_text(complaint: Complaint) -> str:
    """The complaint's text as every screen, printout and output shows it: phone, ID
    and card numbers masked."""
    return mask_text(complaint.text)


# ----- retention --------------------------------------------------------------------------


def _past_limit(session: Session, branch_id: str, cutoff: datetime) -> list[Complaint]:
    """Complaints received before ``cutoff`` whose personal data is still there."""
    rows = session.scalars(select(Complaint).where(
        Complaint.branch_id == branch_id, Complaint.received_at < cutoff,
        Complaint.personal_purged_at.is_(None)))
    return [row for row in rows if row.contact_phone or find_unmasked(row.text)]


def _count(session: Session, branch_id: str, cutoff: datetime) -> int:
    return len(_past_limit(session, branch_id, cutoff))


def _erase(session: Session, branch_id: str, cutoff: datetime) -> int:
    """Erase the phone and mask the text's numbers for good; the complaint, its
    masked contact, category, dates and history stay for the register and reports."""
    rows = _past_limit(session, branch_id, cutoff)
    now = clock.now()
    for row in rows:
        row.contact_phone = None
        row.text = mask_text(row.text)
        row.personal_purged_at = now
    session.flush()
    return len(rows)


COMPLAINT_CONTACTS = register_holder(PersonalDataHolder(
    "complaint_contact", "意见与投诉的回电号码及文中号码",
    "complaint call-back phones and numbers written in complaints",
    count=_count, erase=_erase))


__all__ = ["CATEGORIES", "COMPLAINT_CONTACTS", "Category", "Deadlines", "REFERENCE_PREFIX",
           "TEXT_MAX", "category", "clean_text", "deadlines", "describe_category", "find_complaint",
           "list_complaints", "normalise_phone", "public_text", "receive_complaint"]
