"""The complaints register (首问责任制): who owns a complaint, where it stands, and
which of its deadlines have passed.

**Ownership.** The first member of staff who *takes* a complaint owns it and stays its
first owner (首问责任人) whatever happens next. The owner may *hand it over* to a
colleague (a claims specialist, say): the hand-over is a step of its history, and the
colleague owns it from then on. Whoever owns it replies; only the first owner *closes*
it, which is their confirmation that it is done.

**States**: ``received`` -> (take) ``investigating`` -> (reply) ``replied`` -> (close)
``closed``; nothing skips a state or goes back. Notes and the progress feedback given
to the customer are steps too.

**Deadlines** (branch settings, fixed on the branch's working-day calendar):

- progress feedback within ``feedback_working_days`` working days (default 2): met by
  the first progress feedback or the reply;
- a decision within ``complaint_decision_days`` days (default 15), or
  ``complaint_complex_decision_days`` (30) once the owner marks it complex: met by the
  reply. Days are calendar days; a deadline falling on a day the branch does not work
  moves to the next working day;
- a major claim dispute is investigated within ``complaint_major_dispute_working_days``
  working days (default 1): met once someone takes it.

A complaint is **overdue** on the business day after a deadline it has not met
(:func:`overdue`); :func:`count_overdue` counts them in one statement for the board.

Every function takes the caller's session and never commits; the caller audits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import BindParameter, ColumnElement, Date, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.errors import RuleRefused, UsageError
from kiosk.models import Complaint, ComplaintEvent
from kiosk.privacy.masking import mask_text
from kiosk.staff import accounts

NOTE_MAX = 1000
OPEN_STATES = ("received", "investigating")
"""States in which the decision is still to be made."""
OVERDUE_KINDS = ("investigation", "feedback", "decision")


def calendar_deadline(branch: BranchInfo, start: date, days: int) -> date:
    """``days`` calendar days after ``start``; moved to the next working day when that
    day is one the branch does not work (a holiday, a weekend without hours)."""
    due = start + timedelta(days=days)
    for _ in range(366):
        if branch.is_working_day(due):
            return due
        due += timedelta(days=1)
    raise UsageError("工作日历中一年内没有工作日", "the calendar has no working day in a year")


def decision_due(branch: BranchInfo, received: date, *, complex_case: bool) -> date:
    key = "complaint_complex_decision_days" if complex_case else "complaint_decision_days"
    return calendar_deadline(branch, received, int(branch.setting(key)))


def investigation_due(branch: BranchInfo, received: date) -> date:
    return branch.add_working_days(received,
                                   int(branch.setting("complaint_major_dispute_working_days")))


# ----- what has passed ---------------------------------------------------------------

def overdue(complaint: Complaint, today: date) -> tuple[str, ...]:
    """The deadlines of ``complaint`` passed and not met on business day ``today``:
    some of ``investigation``, ``feedback``, ``decision``."""
    late: list[str] = []
    if complaint.state == "closed":
        return ()
    if (complaint.major_dispute and complaint.state == "received"
            and complaint.investigate_due is not None and today > complaint.investigate_due):
        late.append("investigation")
    if (complaint.state in OPEN_STATES and complaint.feedback_at is None
            and today > complaint.feedback_due):
        late.append("feedback")
    if complaint.state in OPEN_STATES and today > complaint.decision_due:
        late.append("decision")
    return tuple(late)


def _overdue_clause(today: date | BindParameter[date]) -> ColumnElement[bool]:
    """SQL for :func:`overdue` being non-empty (the same three rules)."""
    open_state = Complaint.state.in_(OPEN_STATES)
    return or_(
        and_(Complaint.major_dispute.is_(True), Complaint.state == "received",
             Complaint.investigate_due < today),
        and_(open_state, Complaint.feedback_at.is_(None), Complaint.feedback_due < today),
        and_(open_state, Complaint.decision_due < today))


# Built once with bound parameters: the board reads it on every call-feed event, and
# building the statement costs more than running it.
_COUNT = (select(func.count(), func.count().filter(
              _overdue_clause(bindparam("today", type_=Date))))
          .select_from(Complaint)
          .where(Complaint.branch_id == bindparam("bid"), Complaint.state != "closed"))


def count_overdue(session: Session, branch_id: str, today: date) -> tuple[int, int]:
    """(complaints not closed, of which overdue) on ``today``: one statement, through
    the index by state."""
    row = session.execute(_COUNT, {"bid": branch_id, "today": today}).one()
    return int(row[0]), int(row[1])


def overdue_filter(today: date) -> ColumnElement[bool]:
    """A WHERE clause selecting the overdue complaints (for lists)."""
    return and_(Complaint.state != "closed", _overdue_clause(today))


# ----- steps ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """Who does a step and when (the audit entry is the caller's)."""

    staff: str
    at: datetime


def checked_text(text: str, limit: int, *, empty: tuple[str, str] | None,
                 too_long: tuple[str, str], control: tuple[str, str]) -> str:
    """``text`` stripped with its line breaks made ``\n``; refused (``UsageError``
    with the given zh/en messages) when empty (unless ``empty`` is None), over
    ``limit`` characters (``too_long`` is formatted with ``limit`` and ``given``) or
    holding a control character other than a line break or a tab."""
    value = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if empty is not None and not value:
        raise UsageError(*empty, code="empty")
    if len(value) > limit:
        zh, en = (message.format(limit=limit, given=len(value)) for message in too_long)
        raise UsageError(zh, en, code="too_long")
    if any((ord(c) < 0x20 and c not in "\n\t") or ord(c) == 0x7F for c in value):
        raise UsageError(*control, code="control_character")
    return value


def clean_note(note: str, *, required: bool = False) -> str:
    """A note as stored: stripped, numbers the writer typed (phones, IDs, cards)
    masked, at most :data:`NOTE_MAX` characters, no control characters."""
    return mask_text(checked_text(
        note, NOTE_MAX, empty=("请填写说明", "please write a note") if required else None,
        too_long=("说明最多 {limit} 个字（现有 {given} 个）",
                  "a note is at most {limit} characters ({given} given)"),
        control=("说明含有控制字符", "the note contains a control character")))


def _event(session: Session, complaint: Complaint, step: Step, kind: str, *,
           to_state: str | None = None, note: str = "") -> ComplaintEvent:
    before = complaint.state
    if to_state is not None:
        complaint.state = to_state
    complaint.updated_at = step.at
    event = ComplaintEvent(branch_id=complaint.branch_id, complaint_id=complaint.id,
                           at=step.at, kind=kind, from_state=before,
                           to_state=complaint.state, staff=step.staff,
                           owner=complaint.owner, note=note)
    session.add(event)
    return event


def _refuse_closed(complaint: Complaint) -> None:
    if complaint.state == "closed":
        raise RuleRefused(f"{complaint.reference} 已结案", f"{complaint.reference} is closed",
                          code="closed")


def _require_owner(complaint: Complaint, step: Step, what_zh: str, what_en: str) -> None:
    if complaint.owner is None:
        raise RuleRefused(f"{complaint.reference} 尚无人受理，请先受理",
                          f"nobody has taken {complaint.reference} yet: take it first",
                          code="not_taken")
    if complaint.owner != step.staff:
        raise RuleRefused(f"{complaint.reference} 由 {complaint.owner} 负责，只有负责人能{what_zh}",
                          f"{complaint.reference} belongs to {complaint.owner}: only its "
                          f"owner may {what_en}", code="not_owner")


def take(session: Session, complaint: Complaint, step: Step) -> ComplaintEvent:
    """``step.staff`` takes the complaint: its owner and first owner, investigating.
    Refused when someone already owns it (they hand it over) or it is closed."""
    _refuse_closed(complaint)
    if complaint.owner is not None:
        if complaint.owner == step.staff:
            raise RuleRefused(f"{complaint.reference} 已由您负责",
                              f"you already own {complaint.reference}", code="already_yours")
        raise RuleRefused(f"{complaint.reference} 已由 {complaint.owner} 受理（首问负责），"
                          f"如需转交请由其办理移交",
                          f"{complaint.reference} was taken by {complaint.owner} (first "
                          f"contact owns it); they can hand it over", code="taken")
    complaint.owner = complaint.first_owner = step.staff
    complaint.taken_at = step.at
    return _event(session, complaint, step, "taken", to_state="investigating")


def hand_over(session: Session, complaint: Complaint, step: Step, to_staff: str,
              note: str) -> ComplaintEvent:
    """The owner hands the complaint to ``to_staff`` (an enabled account of the
    branch), with the reason; the first owner stays."""
    _refuse_closed(complaint)
    _require_owner(complaint, step, "移交", "hand it over")
    target = accounts.find_member(session, complaint.branch_id, to_staff)
    if target is None or not target.enabled:
        raise UsageError(f"没有在用的工号 {to_staff}", f"no enabled staff member {to_staff}",
                         code="unknown_staff")
    if target.number == complaint.owner:
        raise UsageError("不能移交给自己", "you cannot hand it over to yourself",
                         code="same_owner")
    complaint.owner = target.number
    return _event(session, complaint, step, "handed_over",
                  note=clean_note(note, required=True))


def record_feedback(session: Session, complaint: Complaint, step: Step,
                    note: str) -> ComplaintEvent:
    """The owner gave the customer progress feedback (what was said)."""
    _refuse_closed(complaint)
    _require_owner(complaint, step, "记录反馈", "record feedback")
    if complaint.feedback_at is None:
        complaint.feedback_at = step.at
    return _event(session, complaint, step, "feedback", note=clean_note(note, required=True))


def add_note(session: Session, complaint: Complaint, step: Step, note: str) -> ComplaintEvent:
    """A note on the history (anyone with the register's permission)."""
    _refuse_closed(complaint)
    return _event(session, complaint, step, "note", note=clean_note(note, required=True))


def mark_complex(session: Session, complaint: Complaint, step: Step, branch: BranchInfo,
                 note: str) -> ComplaintEvent:
    """The owner marks it complex (the reason is required: the customer is told): the
    decision deadline becomes the complex one, counted from the day it was received."""
    _refuse_closed(complaint)
    _require_owner(complaint, step, "标记为复杂", "mark it complex")
    if complaint.state not in OPEN_STATES:
        raise RuleRefused("已答复的投诉不能再延期", "a complaint already replied to cannot be "
                          "extended", code="already_replied")
    complaint.complex = True
    complaint.decision_due = decision_due(branch, complaint.business_date, complex_case=True)
    return _event(session, complaint, step, "complex", note=clean_note(note, required=True))


def mark_major_dispute(session: Session, complaint: Complaint, step: Step,
                       branch: BranchInfo, note: str = "") -> ComplaintEvent:
    """A major claim dispute: to be investigated within the setting's working days of
    receipt (anyone with the register's permission may mark it, before or after it
    is taken)."""
    _refuse_closed(complaint)
    complaint.major_dispute = True
    complaint.investigate_due = investigation_due(branch, complaint.business_date)
    return _event(session, complaint, step, "major_dispute", note=clean_note(note))


def reply(session: Session, complaint: Complaint, step: Step, note: str) -> ComplaintEvent:
    """The owner gives the customer the decision: investigating -> replied."""
    _require_owner(complaint, step, "答复", "reply")
    if complaint.state != "investigating":
        raise RuleRefused(f"{complaint.reference} 当前状态为 {complaint.state}，不能答复",
                          f"{complaint.reference} is {complaint.state}: it cannot be replied to",
                          code="bad_state")
    complaint.replied_at = step.at
    return _event(session, complaint, step, "replied", to_state="replied",
                  note=clean_note(note, required=True))


def close(session: Session, complaint: Complaint, step: Step, note: str = "") -> ComplaintEvent:
    """The first owner confirms it is done: replied -> closed."""
    _refuse_closed(complaint)
    if complaint.state != "replied":
        raise RuleRefused(f"{complaint.reference} 尚未答复，不能结案",
                          f"{complaint.reference} has not been replied to: it cannot be closed",
                          code="bad_state")
    if complaint.first_owner != step.staff:
        raise RuleRefused(f"只有首问负责人 {complaint.first_owner} 能确认结案",
                          f"only the first owner, {complaint.first_owner}, may confirm it is "
                          f"done", code="not_first_owner")
    complaint.closed_at = step.at
    return _event(session, complaint, step, "closed", to_state="closed", note=clean_note(note))


def history(session: Session, complaint: Complaint) -> list[ComplaintEvent]:
    return list(session.scalars(select(ComplaintEvent).where(
        ComplaintEvent.complaint_id == complaint.id).order_by(ComplaintEvent.at,
                                                              ComplaintEvent.id)))


__all__ = ["NOTE_MAX", "OPEN_STATES", "OVERDUE_KINDS", "Step", "add_note", "calendar_deadline",
           "checked_text", "clean_note", "close", "count_overdue", "decision_due", "hand_over",
           "history", "investigation_due", "mark_complex", "mark_major_dispute", "overdue",
           "overdue_filter", "record_feedback", "reply", "take"]
