"""The complaints register's rules (kiosk.feedback.complaint_register): first-contact
ownership, hand-over and the first owner's confirmation, the order of states,
deadlines on the working-day calendar across a holiday and a make-up working day, and
the overdue count the board shows, in SQL equal to the rule in Python."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from kiosk.branch.info import BranchInfo, load_branch
from kiosk.branch.settings import apply_config, default_config
from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused, UsageError
from kiosk.feedback import complaint_register as register
from kiosk.feedback import complaints
from kiosk.feedback.complaint_register import Step
from kiosk.models import Complaint
from kiosk.staff import accounts
from tests.conftest import MONDAY_10AM

HOLIDAYS = frozenset(date(2026, 10, d) for d in range(1, 8))     # National Day week
MAKE_UP = frozenset({date(2026, 9, 20), date(2026, 10, 10)})      # a Sunday, a Saturday
WEEKDAYS = (datetime.min.time().replace(hour=8, minute=30),
            datetime.min.time().replace(hour=17))


def local_10am(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


@pytest.fixture
def weekday_engine(engine: Engine) -> Engine:
    """A branch open Monday to Friday, with the National Day holidays and their make-up
    working days (a Sunday and a Saturday), and staff (SQLite)."""
    return weekday_branch(engine)


@pytest.fixture
def weekday_any_engine(any_engine: Engine) -> Engine:
    """The same on each backend."""
    return weekday_branch(any_engine)


def weekday_branch(engine: Engine) -> Engine:
    with unit_of_work(engine, write=True) as session:
        apply_config(session, replace(default_config(), hours=dict.fromkeys(range(5), WEEKDAYS),
                                      holidays=HOLIDAYS, workdays=MAKE_UP))
        for number, role in (("S01", "counter"), ("S02", "counter"), ("S03", "supervisor")):
            accounts.add_member(session, load_branch(session).id, number, f"员工{number}", role,
                                "2580", MONDAY_10AM)
        accounts.add_member(session, load_branch(session).id, "S04", "离职", "counter", "2580",
                            MONDAY_10AM)
        accounts.set_enabled(accounts.get_member(session, load_branch(session).id, "S04"),
                             False, MONDAY_10AM)
    return engine


def receive(engine: Engine, when: datetime, text: str = "理赔太慢") -> str:
    with unit_of_work(engine, write=True) as session:
        return complaints.receive_complaint(session, "claims", text, now=when).reference


def act(engine: Engine, reference: str, fn: str, staff: str, *args: object,
        minutes: int = 0) -> Complaint:
    with unit_of_work(engine, write=True) as session:
        row = complaints.find_complaint(session, reference)
        step = Step(staff, MONDAY_10AM + timedelta(minutes=minutes))
        extra = (load_branch(session),) if fn in ("mark_complex", "mark_major_dispute") else ()
        getattr(register, fn)(session, row, step, *extra, *args)
        session.flush()
        session.expunge(row)
        return row


def refused(engine: Engine, reference: str, fn: str, staff: str, *args: object) -> str:
    with pytest.raises((RuleRefused, UsageError)) as caught:
        act(engine, reference, fn, staff, *args)
    return str(caught.value.code)


def test_the_first_to_take_it_owns_it_and_a_hand_over_is_recorded(
        weekday_engine: Engine) -> None:
    ref = receive(weekday_engine, MONDAY_10AM)
    assert refused(weekday_engine, ref, "reply", "S01", "done") == "not_taken"
    row = act(weekday_engine, ref, "take", "S01")
    assert (row.state, row.owner, row.first_owner) == ("investigating", "S01", "S01")
    assert refused(weekday_engine, ref, "take", "S02") == "taken"
    assert refused(weekday_engine, ref, "take", "S01") == "already_yours"
    assert refused(weekday_engine, ref, "hand_over", "S02", "S03", "why") == "not_owner"
    assert refused(weekday_engine, ref, "hand_over", "S01", "S04", "left") == "unknown_staff"
    assert refused(weekday_engine, ref, "hand_over", "S01", "S99", "who") == "unknown_staff"
    assert refused(weekday_engine, ref, "hand_over", "S01", "S01", "me") == "same_owner"
    assert refused(weekday_engine, ref, "hand_over", "S01", "S02", "  ") == "empty"
    row = act(weekday_engine, ref, "hand_over", "S01", "S02",
              "理赔专员跟进，客户电话13812345678")
    assert (row.owner, row.first_owner, row.state) == ("S02", "S01", "investigating")
    assert refused(weekday_engine, ref, "reply", "S01", "结果") == "not_owner"
    row = act(weekday_engine, ref, "reply", "S02", "已补发赔款")
    assert row.state == "replied"
    # the colleague who replied cannot close it: the first owner confirms it is done
    assert refused(weekday_engine, ref, "close", "S02") == "not_first_owner"
    row = act(weekday_engine, ref, "close", "S01", "已与客户确认")
    assert row.state == "closed"
    assert row.closed_at is not None
    assert refused(weekday_engine, ref, "add_note", "S01", "more") == "closed"
    assert refused(weekday_engine, ref, "take", "S03") == "closed"
    with unit_of_work(weekday_engine) as session:
        steps = register.history(session, complaints.find_complaint(session, ref))
    assert [(e.kind, e.from_state, e.to_state, e.staff, e.owner) for e in steps] == [
        ("received", None, "received", "", None),
        ("taken", "received", "investigating", "S01", "S01"),
        ("handed_over", "investigating", "investigating", "S01", "S02"),
        ("replied", "investigating", "replied", "S02", "S02"),
        ("closed", "replied", "closed", "S01", "S02")]
    assert steps[2].note == "理赔专员跟进，客户电话138****5678"  # masked as stored


def test_states_never_skip_or_go_back(weekday_engine: Engine) -> None:
    ref = receive(weekday_engine, MONDAY_10AM)
    assert refused(weekday_engine, ref, "close", "S01") == "bad_state"
    act(weekday_engine, ref, "take", "S01")
    assert refused(weekday_engine, ref, "close", "S01") == "bad_state"
    act(weekday_engine, ref, "reply", "S01", "答复")
    assert refused(weekday_engine, ref, "reply", "S01", "again") == "bad_state"
    assert refused(weekday_engine, ref, "mark_complex", "S01", "late") == "already_replied"


@pytest.mark.parametrize(("received", "feedback", "investigation"), [
    # Wednesday before the National Day week: the seven holidays are skipped.
    (date(2026, 9, 30), date(2026, 10, 9), date(2026, 10, 8)),
    # Friday before the make-up Saturday: that Saturday counts as a working day.
    (date(2026, 10, 9), date(2026, 10, 12), date(2026, 10, 10)),
    # An ordinary Friday: the weekend does not count.
    (date(2026, 11, 27), date(2026, 12, 1), date(2026, 11, 30)),
])
def test_working_day_deadlines_across_a_holiday_and_a_make_up_day(
        weekday_engine: Engine, received: date, feedback: date, investigation: date) -> None:
    ref = receive(weekday_engine, local_10am(received))
    row = act(weekday_engine, ref, "mark_major_dispute", "S03", "重大理赔纠纷")
    assert row.feedback_due == feedback
    assert row.investigate_due == investigation


@pytest.mark.parametrize(("received", "days", "due"), [
    (date(2026, 9, 16), 15, date(2026, 10, 8)),   # 1 October is a holiday: next working day
    (date(2026, 9, 10), 30, date(2026, 10, 10)),  # the make-up Saturday is a working day
    (date(2026, 9, 11), 30, date(2026, 10, 12)),  # a Sunday: the Monday after
    (date(2026, 11, 23), 15, date(2026, 12, 8)),  # a Tuesday stays
])
def test_decision_deadlines_in_days_move_off_days_the_branch_does_not_work(
        weekday_engine: Engine, received: date, days: int, due: date) -> None:
    with unit_of_work(weekday_engine) as session:
        branch = load_branch(session)
    assert register.calendar_deadline(branch, received, days) == due


def test_a_complex_complaint_gets_the_longer_decision_deadline(weekday_engine: Engine) -> None:
    ref = receive(weekday_engine, local_10am(date(2026, 9, 11)))
    assert refused(weekday_engine, ref, "mark_complex", "S01", "x") == "not_taken"
    act(weekday_engine, ref, "take", "S01")
    assert refused(weekday_engine, ref, "mark_complex", "S01", "") == "empty"
    row = act(weekday_engine, ref, "mark_complex", "S01", "需调取医院记录")
    assert row.complex is True
    assert row.decision_due == date(2026, 10, 12)


def settings_branch(branch: BranchInfo, **values: int) -> BranchInfo:
    return replace(branch, settings={**branch.settings, **values})


def test_the_deadlines_are_settings(weekday_engine: Engine) -> None:
    with unit_of_work(weekday_engine) as session:
        branch = settings_branch(load_branch(session), complaint_complex_decision_days=20,
                                 complaint_major_dispute_working_days=2)
    assert register.decision_due(branch, date(2026, 11, 23), complex_case=True) == date(
        2026, 12, 14)  # 13 December is a Sunday
    assert register.investigation_due(branch, date(2026, 11, 27)) == date(2026, 12, 1)


def overdue_case(engine: Engine, received: date) -> str:
    return receive(engine, local_10am(received))


def test_overdue_kinds_and_the_boards_count_agree(weekday_any_engine: Engine) -> None:
    weekday_engine = weekday_any_engine
    today = date(2026, 11, 27)  # Friday
    fresh = overdue_case(weekday_engine, today)                       # nothing due yet
    no_feedback = overdue_case(weekday_engine, date(2026, 11, 23))    # feedback due 25th
    given = overdue_case(weekday_engine, date(2026, 11, 23))
    act(weekday_engine, given, "take", "S01")
    act(weekday_engine, given, "record_feedback", "S01", "已电话告知进展")
    dispute = overdue_case(weekday_engine, date(2026, 11, 25))        # investigate by 26th
    late_dispute = overdue_case(weekday_engine, date(2026, 11, 24))   # and feedback by 26th
    act(weekday_engine, late_dispute, "mark_major_dispute", "S03")
    act(weekday_engine, dispute, "mark_major_dispute", "S03")
    taken_dispute = overdue_case(weekday_engine, date(2026, 11, 25))
    act(weekday_engine, taken_dispute, "mark_major_dispute", "S03")
    act(weekday_engine, taken_dispute, "take", "S02")
    old = overdue_case(weekday_engine, date(2026, 11, 2))             # decision due 17th
    act(weekday_engine, old, "take", "S01")
    act(weekday_engine, old, "record_feedback", "S01", "进展")
    replied = overdue_case(weekday_engine, date(2026, 11, 2))
    act(weekday_engine, replied, "take", "S01")
    act(weekday_engine, replied, "reply", "S01", "答复")
    closed = overdue_case(weekday_engine, date(2026, 11, 2))
    act(weekday_engine, closed, "take", "S01")
    act(weekday_engine, closed, "reply", "S01", "答复")
    act(weekday_engine, closed, "close", "S01")
    with unit_of_work(weekday_engine) as session:
        rows = {r.reference: r for r in session.scalars(select(Complaint))}
        kinds = {ref: register.overdue(row, today) for ref, row in rows.items()}
        counted = register.count_overdue(session, load_branch(session).id, today)
        listed = set(session.scalars(select(Complaint.reference).where(
            register.overdue_filter(today))))
    assert kinds[fresh] == ()
    assert kinds[no_feedback] == ("feedback",)
    assert kinds[given] == ()
    assert kinds[dispute] == ("investigation",)  # its feedback is due today: not late yet
    assert kinds[taken_dispute] == ()
    assert kinds[late_dispute] == ("investigation", "feedback")
    assert kinds[old] == ("decision",)
    assert kinds[replied] == ()
    assert kinds[closed] == ()
    assert counted == (8, sum(1 for k in kinds.values() if k))
    assert listed == {ref for ref, k in kinds.items() if k}
    # on the deadline day itself nothing is late yet
    assert register.overdue(rows[no_feedback], date(2026, 11, 25)) == ()
