"""The complaints register through the application layer (kiosk.app.complaint_register)
on both backends: the first to take it owns it, hand-over only to a colleague who may
work the register, steps in one unit of work with their audit entry (all or none), the
views and the overdue count, and the contact masked unless a supervisor reveals it
(audited, never the value)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app import complaint_register as register
from kiosk.app import staff as staff_app
from kiosk.app.complaints import submit_complaint
from kiosk.errors import RuleRefused, UsageError
from kiosk.privacy.masking import find_unmasked
from kiosk.staff.permissions import NotPermitted, StaffSession
from tests.staff_support import PINS, add, at, audit_rows

PHONE = "13812345678"
DAY = 24 * 60


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)  # Monday 23 November 2026, 10:00
    app = AppContext(any_engine, "ADMIN")
    for number, role in (("S0101", "counter"), ("S9001", "supervisor"),
                         ("S9002", "supervisor"), ("T01", "technician")):
        add(app, number, role, name=f"员工{number}")
    return app


def login(app: AppContext, number: str, role: str) -> StaffSession:
    return staff_app.login(app, number, PINS[role])


def complaint(app: AppContext, text: str = "理赔太慢，请回电") -> str:
    return submit_complaint(app, "claims", text, phone=PHONE, consent=True,
                            source="kiosk").reference


def actions(app: AppContext, prefix: str = "complaint.") -> list[tuple[str, str, str]]:
    return [(who, action, subject) for who, action, subject, _ in audit_rows(app)
            if action.startswith(prefix)]


def test_take_hand_over_feedback_reply_close_each_audited_with_the_history(
        app: AppContext) -> None:
    first, colleague = login(app, "S9001", "supervisor"), login(app, "S9002", "supervisor")
    ref = complaint(app)
    entry = register.take_complaint(app, first, ref)
    assert (entry.complaint.state, entry.complaint.owner, entry.first_owner) == (
        "investigating", "S9001", "S9001")
    assert entry.taken_at is not None
    assert entry.taken_at.startswith("2026-11-23T10:00")

    with pytest.raises(RuleRefused) as taken:
        register.take_complaint(app, colleague, ref.lower())
    assert taken.value.code == "taken"
    with pytest.raises(UsageError) as clerk:  # a counter clerk cannot work the register
        register.hand_over_complaint(app, first, ref, "S0101", "理赔组跟进")
    assert clerk.value.code == "not_permitted"
    assert register.complaint_entry(app, first, ref).complaint.owner == "S9001"

    entry = register.hand_over_complaint(app, first, ref, "S9002",
                                         f"理赔专员跟进，客户电话 {PHONE}")
    assert (entry.complaint.owner, entry.first_owner) == ("S9002", "S9001")
    entry = register.update_complaint(app, colleague, ref, feedback="已电话告知进展")
    assert entry.feedback_at is not None
    entry = register.update_complaint(app, colleague, ref, note_text="已补发赔款",
                                      state="replied")
    assert entry.complaint.state == "replied"

    with pytest.raises(RuleRefused) as not_first:  # only the first owner confirms it
        register.update_complaint(app, colleague, ref, state="closed")
    assert not_first.value.code == "not_first_owner"
    entry = register.update_complaint(app, first, ref, note_text="已与客户确认", state="closed")
    assert entry.complaint.state == "closed"
    assert entry.closed_at is not None

    assert [(s.kind, s.staff, s.owner, s.to_state) for s in entry.history] == [
        ("received", "", None, "received"),
        ("taken", "S9001", "S9001", "investigating"),
        ("handed_over", "S9001", "S9002", "investigating"),
        ("feedback", "S9002", "S9002", "investigating"),
        ("replied", "S9002", "S9002", "replied"),
        ("closed", "S9001", "S9002", "closed")]
    assert entry.history[2].note == "理赔专员跟进，客户电话 138****5678"
    assert actions(app) == [("S9001", "complaint.take", ref),
                            ("S9001", "complaint.hand_over", ref),
                            ("S9002", "complaint.update", ref),
                            ("S9002", "complaint.update", ref),
                            ("S9001", "complaint.update", ref)]
    text = json.dumps(entry.to_json(), ensure_ascii=False)
    assert find_unmasked(text) == []
    assert entry.complaint.contact == "138****5678"


def test_a_refused_step_changes_nothing_and_is_not_audited(app: AppContext) -> None:
    first, colleague = login(app, "S9001", "supervisor"), login(app, "S9002", "supervisor")
    ref = complaint(app)
    register.take_complaint(app, first, ref)
    before = register.complaint_entry(app, first, ref)
    # the major dispute mark would be allowed, but complex is the owner's: all or none
    with pytest.raises(RuleRefused) as owner:
        register.update_complaint(app, colleague, ref, major_dispute=True,
                                  complex_reason="需调取医院记录")
    assert owner.value.code == "not_owner"
    after = register.complaint_entry(app, first, ref)
    assert after == before
    assert (after.major_dispute, after.complex) == (False, False)
    assert actions(app) == [("S9001", "complaint.take", ref)]

    entry = register.update_complaint(app, first, ref, major_dispute=True,
                                      complex_reason="需调取医院记录")
    assert (entry.major_dispute, entry.complex) == (True, True)
    assert entry.investigate_due == "2026-11-24"
    assert entry.complaint.decision_due == "2026-12-23"  # 30 days


@pytest.mark.parametrize(("kwargs", "code"), [
    ({}, "usage"),
    ({"state": "received"}, "bad_choice"),
    ({"state": "replied"}, "empty"),          # a reply needs its text
    ({"note_text": "  "}, "empty"),
])
def test_bad_updates_are_usage_errors(app: AppContext, kwargs: dict[str, object],
                                      code: str) -> None:
    first = login(app, "S9001", "supervisor")
    ref = complaint(app)
    register.take_complaint(app, first, ref)
    with pytest.raises(UsageError) as bad:
        register.update_complaint(app, first, ref, **kwargs)  # type: ignore[arg-type]
    assert bad.value.code == code
    assert bad.value.zh
    assert bad.value.en


def test_only_roles_with_the_register_may_work_it_and_a_refusal_is_audited(
        app: AppContext) -> None:
    ref = complaint(app)
    clerk, technician = login(app, "S0101", "counter"), login(app, "T01", "technician")
    with pytest.raises(NotPermitted):
        register.take_complaint(app, clerk, ref)
    with pytest.raises(NotPermitted):
        register.register_list(app, technician)
    with pytest.raises(NotPermitted):
        register.reveal_contact(app, technician, ref)
    assert [(who, action) for who, action, _, _ in audit_rows(app)
            if action == "denied"] == [("S0101", "denied"), ("T01", "denied"), ("T01", "denied")]
    assert register.complaint_entry(app, login(app, "S9001", "supervisor"),
                                    ref).complaint.owner is None


def test_views_and_overdue_counts_follow_the_working_day_calendar(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    first = login(app, "S9001", "supervisor")
    late = complaint(app, "等太久")                 # Monday: feedback due Wednesday 25th
    answered = complaint(app, "态度不好")
    register.take_complaint(app, first, answered)
    register.update_complaint(app, first, answered, feedback="已致电客户")
    done = complaint(app, "表扬")
    register.take_complaint(app, first, done)
    register.update_complaint(app, first, done, note_text="已答复", state="replied")
    register.update_complaint(app, first, done, state="closed")

    at(monkeypatch, 3 * DAY)  # Thursday 26th: the feedback deadline has passed
    first = login(app, "S9001", "supervisor")
    fresh = complaint(app, "新的")
    listed = register.register_list(app, first, "open")
    assert (listed.today, listed.open, listed.overdue) == ("2026-11-26", 3, 1)
    assert [e.complaint.reference for e in listed.entries] == [fresh, answered, late]
    by_ref = {e.complaint.reference: e.overdue for e in listed.entries}
    assert by_ref == {fresh: (), answered: (), late: ("feedback",)}
    assert [e.complaint.reference for e in register.register_list(
        app, first, "overdue").entries] == [late]
    assert [e.complaint.reference for e in register.register_list(
        app, first, "mine").entries] == [answered]
    assert [e.complaint.reference for e in register.register_list(
        app, first, "closed").entries] == [done]
    assert [e.complaint.reference for e in register.register_list(
        app, first, "received").entries] == [fresh, late]
    assert len(register.register_list(app, first, "all").entries) == 4
    assert len(register.register_list(app, first, "all", limit=2).entries) == 2
    with pytest.raises(UsageError) as bad:
        register.register_list(app, first, "late")
    assert bad.value.code == "bad_choice"
    text = json.dumps(register.register_list(app, first, "all").to_json(), ensure_ascii=False)
    assert "138****5678" in text
    assert find_unmasked(text) == []


def test_a_supervisor_reveals_the_contact_audited_without_the_value(app: AppContext) -> None:
    supervisor = login(app, "S9001", "supervisor")
    ref = complaint(app)
    quiet = submit_complaint(app, "other", "没有留电话").reference
    assert register.reveal_contact(app, supervisor, ref.lower()) == PHONE
    assert register.reveal_contact(app, supervisor, quiet) == ""
    reveals = [(who, subject) for who, action, subject, _ in audit_rows(app)
               if action == "personal_data.reveal"]
    assert reveals == [("S9001", ref), ("S9001", quiet)]
    with app.read() as session:
        from sqlalchemy import select

        from kiosk.models import AuditEntry
        details = [f"{r.subject} {r.detail}" for r in session.scalars(select(AuditEntry))]
    assert all(PHONE not in d for d in details)


def test_staff_enter_a_complaint_under_their_number(app: AppContext) -> None:
    supervisor = login(app, "S9001", "supervisor")
    info = register.enter_complaint(app, supervisor, "service", "解释不清", phone=PHONE,
                                    consent=True)
    assert (info.source, info.entered_by, info.contact) == ("staff", "S9001", "138****5678")
    assert actions(app) == [("S9001", "complaint.add", info.reference)]
    with pytest.raises(NotPermitted):
        register.enter_complaint(app, login(app, "S0101", "counter"), "service", "x")
