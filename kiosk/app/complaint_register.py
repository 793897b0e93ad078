"""The complaints register as use cases (首问责任制): the list the admin page and
``kiosk complaint list`` show, one complaint with its history, and the steps: take,
hand over, progress feedback, notes, complex, major claim dispute, reply, close.

Rules: :mod:`kiosk.feedback.complaint_register`. Every step is one write unit of work
with its audit entry (``complaint.<step>``, the reference as subject, never personal
data in the detail); a refused step changes nothing. The contact is masked in every
result; :func:`reveal_contact` shows it in clear to a role allowed to, audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.app import privacy
from kiosk.app.complaints import ComplaintInfo, _info, submit_complaint
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.staff import note, requires
from kiosk.app.validate import whole
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.errors import UsageError
from kiosk.feedback import complaint_register as rules
from kiosk.feedback import complaints
from kiosk.models import COMPLAINT_STATES, Complaint
from kiosk.queue import day
from kiosk.staff import accounts
from kiosk.staff.permissions import Permission, StaffSession

VIEWS = ("open", "overdue", "mine", "closed", "all")
"""What the register lists: not closed; overdue; owned by me (not closed); closed; all."""


@dataclass(frozen=True)
class ComplaintStep(Result):
    """One step of a complaint's history (``note`` masked)."""

    at: str
    kind: str
    from_state: str | None
    to_state: str
    staff: str
    owner: str | None
    note: str


@dataclass(frozen=True)
class RegisterEntry(Result):
    """A complaint in the register: the intake's view (``complaint``, masked), who took
    it first and when each step happened, what makes its deadlines different, the
    investigation deadline of a major claim dispute, the deadlines passed and not met
    (``overdue``: ``investigation``, ``feedback``, ``decision``) and, for one
    complaint, its ``history``."""

    complaint: ComplaintInfo
    first_owner: str | None
    taken_at: str | None
    feedback_at: str | None
    replied_at: str | None
    closed_at: str | None
    complex: bool
    major_dispute: bool
    investigate_due: str | None
    overdue: tuple[str, ...]
    history: tuple[ComplaintStep, ...] = ()


@dataclass(frozen=True)
class RegisterList(Result):
    """Complaints of one view, newest first, and the branch's counts on ``today``."""

    view: str
    today: str
    open: int
    overdue: int
    entries: tuple[RegisterEntry, ...]


def _today(session: Session, branch: BranchInfo) -> date:
    return day.business_day(session, branch, clock.now())


def _entry(branch: BranchInfo, row: Complaint, today: date,
           history: tuple[ComplaintStep, ...] = ()) -> RegisterEntry:
    def iso(value: object) -> str | None:
        return branch.iso(value) if value is not None else None  # type: ignore[arg-type]

    return RegisterEntry(
        complaint=_info(branch, row), first_owner=row.first_owner, taken_at=iso(row.taken_at),
        feedback_at=iso(row.feedback_at), replied_at=iso(row.replied_at),
        closed_at=iso(row.closed_at), complex=row.complex, major_dispute=row.major_dispute,
        investigate_due=row.investigate_due.isoformat() if row.investigate_due else None,
        overdue=rules.overdue(row, today), history=history)


def _steps(session: Session, branch: BranchInfo, row: Complaint) -> tuple[ComplaintStep, ...]:
    return tuple(ComplaintStep(at=branch.iso(e.at), kind=e.kind, from_state=e.from_state,
                               to_state=e.to_state, staff=e.staff, owner=e.owner, note=e.note)
                 for e in rules.history(session, row))


@requires(Permission.COMPLAINTS)
def register_list(app: AppContext, staff: StaffSession, view: str = "open", *,
                  limit: int = 200) -> RegisterList:
    """The complaints of ``view`` (:data:`VIEWS`, or a state), newest first."""
    whole(limit, "条数", "the limit", high=10_000)
    if view not in VIEWS and view not in COMPLAINT_STATES:
        valid = ", ".join((*VIEWS, *COMPLAINT_STATES))
        raise UsageError(f"列表只能是 {valid}", f"the list must be one of {valid}, not {view!r}",
                         code="bad_choice")
    with app.read() as session:
        branch = load_branch(session)
        today = _today(session, branch)
        query = select(Complaint).where(Complaint.branch_id == branch.id)
        if view == "open":
            query = query.where(Complaint.state != "closed")
        elif view == "overdue":
            query = query.where(rules.overdue_filter(today))
        elif view == "mine":
            query = query.where(Complaint.owner == staff.number, Complaint.state != "closed")
        elif view != "all":
            query = query.where(Complaint.state == view)
        rows = session.scalars(query.order_by(Complaint.received_at.desc(),
                                              Complaint.id.desc()).limit(limit)).all()
        opened, late = rules.count_overdue(session, branch.id, today)
        return RegisterList(view=view, today=today.isoformat(), open=opened, overdue=late,
                            entries=tuple(_entry(branch, row, today) for row in rows))


@requires(Permission.COMPLAINTS)
def complaint_entry(app: AppContext, staff: StaffSession, reference: str) -> RegisterEntry:
    """One complaint with its history."""
    with app.read() as session:
        branch = load_branch(session)
        row = complaints.find_complaint(session, reference)
        return _entry(branch, row, _today(session, branch), _steps(session, branch, row))


def _step(app: AppContext, staff: StaffSession, reference: str, action: str,
          change: Callable[[Session, BranchInfo, Complaint, rules.Step], str]) -> RegisterEntry:
    """One step on complaint ``reference`` in one write unit of work with its audit
    entry; ``change`` returns the entry's detail (no personal data)."""
    with app.write() as session:
        branch = load_branch(session)
        row = complaints.find_complaint(session, reference)
        detail = change(session, branch, row, rules.Step(staff.number, clock.now()))
        note(session, app, staff, f"complaint.{action}", subject=row.reference, detail=detail,
             branch=branch)
        session.flush()
        return _entry(branch, row, _today(session, branch), _steps(session, branch, row))


@requires(Permission.COMPLAINTS)
def take_complaint(app: AppContext, staff: StaffSession, reference: str) -> RegisterEntry:
    """``staff`` takes the complaint: its owner and first owner (首问负责)."""
    def change(session: Session, branch: BranchInfo, row: Complaint, step: rules.Step) -> str:
        rules.take(session, row, step)
        return ""
    return _step(app, staff, reference, "take", change)


@requires(Permission.COMPLAINTS)
def hand_over_complaint(app: AppContext, staff: StaffSession, reference: str, to_staff: str,
                        reason: str) -> RegisterEntry:
    """The owner hands the complaint to ``to_staff``, who must be allowed to work the
    register (a supervisor's role); the first owner stays."""
    def change(session: Session, branch: BranchInfo, row: Complaint, step: rules.Step) -> str:
        target = accounts.find_member(session, branch.id, to_staff)
        if target is not None and target.enabled and not StaffSession(
                target.number, target.name, target.role, "", step.at).can(
                    Permission.COMPLAINTS):
            raise UsageError(f"{target.number} 的角色不能处理投诉",
                             f"{target.number}'s role may not work the complaints register",
                             code="not_permitted")
        event = rules.hand_over(session, row, step, to_staff, reason)
        return f"to {event.owner}"
    return _step(app, staff, reference, "hand_over", change)


@requires(Permission.COMPLAINTS)
def update_complaint(app: AppContext, staff: StaffSession, reference: str, *,
                     feedback: str | None = None, note_text: str | None = None,
                     complex_reason: str | None = None, major_dispute: bool = False,
                     state: str | None = None) -> RegisterEntry:
    """Several steps at once, in this order, all or none: mark a major claim dispute,
    mark complex (with the reason), record progress feedback, then with ``state``
    ``replied`` (``note_text`` is the reply) or ``closed`` (the first owner's
    confirmation, ``note_text`` optional); without ``state``, ``note_text`` is a note."""
    if state not in (None, "replied", "closed"):
        raise UsageError("状态只能改为 replied 或 closed（受理用 take）",
                         "the state can only become replied or closed (take starts it)",
                         code="bad_choice")
    if not any((feedback, note_text, complex_reason, major_dispute, state)):
        raise UsageError("没有要更新的内容", "nothing to update", code="usage")

    def change(session: Session, branch: BranchInfo, row: Complaint, step: rules.Step) -> str:
        done = []
        if major_dispute:
            rules.mark_major_dispute(session, row, step, branch)
            done.append("major_dispute")
        if complex_reason is not None:
            rules.mark_complex(session, row, step, branch, complex_reason)
            done.append("complex")
        if feedback is not None:
            rules.record_feedback(session, row, step, feedback)
            done.append("feedback")
        if state == "replied":
            rules.reply(session, row, step, note_text or "")
        elif state == "closed":
            rules.close(session, row, step, note_text or "")
        elif note_text is not None:
            rules.add_note(session, row, step, note_text)
            done.append("note")
        if state:
            done.append(state)
        return ", ".join(done)
    return _step(app, staff, reference, "update", change)


@requires(Permission.COMPLAINTS)
def enter_complaint(app: AppContext, staff: StaffSession, category: str, text: str, *,
                    phone: str | None = None, consent: bool = False,
                    ticket: str | None = None) -> ComplaintInfo:
    """A complaint a customer makes to ``staff`` (at the desk, on the phone): received
    like the kiosk's, entered by ``staff`` (audited ``complaint.add``, the phone
    masked), the call-back phone kept only with the customer's ``consent``."""
    return submit_complaint(app, category, text, phone=phone or None, consent=consent,
                            source="staff", entered_by=staff.number, ticket=ticket or None)


@requires(Permission.REVEAL)
def reveal_contact(app: AppContext, staff: StaffSession, reference: str) -> str:
    """The complaint's call-back phone in clear (audited, never the value); empty when
    none was kept or it was purged."""
    def read(session: Session) -> str:
        return complaints.find_complaint(session, reference).contact_phone or ""
    return privacy.reveal(app, staff, "complaint contact", reference.strip().upper(), read)


__all__ = ["VIEWS", "ComplaintStep", "RegisterEntry", "RegisterList", "complaint_entry",
           "enter_complaint",
           "hand_over_complaint", "register_list", "reveal_contact", "take_complaint",
           "update_complaint"]
