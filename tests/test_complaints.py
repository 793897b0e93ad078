"""The comment book's intake (kiosk.feedback.complaints): what is stored, the deadlines
on the working-day calendar, what is refused (and that a refusal writes nothing), the
phone kept only with consent and masked in every record, and retention."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.errors import NotFound, UsageError
from kiosk.feedback import complaints
from kiosk.models import AuditEntry, Complaint, ComplaintEvent
from kiosk.privacy import retention
from kiosk.privacy.masking import find_unmasked
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM

# Wednesday 2026-09-30, 10:00 in Shanghai: the National Day holiday (1-7 October) and
# the make-up working Saturday 10 October follow.
BEFORE_NATIONAL_DAY = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
FRIDAY_4PM = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def count(engine: Engine, table: type) -> int:
    with unit_of_work(engine) as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def test_a_complaint_is_stored_with_reference_masked_contact_and_first_history_step(
        any_engine: Engine) -> None:
    with unit_of_work(any_engine, write=True) as session:
        row = complaints.receive_complaint(
            session, "waiting", "等了很久\n没有人解释", phone="138-1234-5678", consent=True,
            station="K1", now=MONDAY_10AM)
        reference = row.reference
    with unit_of_work(any_engine) as session:
        stored = complaints.find_complaint(session, reference.lower())
        events = list(session.scalars(select(ComplaintEvent)))
        assert stored.category == "waiting"
        assert stored.text == "等了很久\n没有人解释"
        assert stored.contact_phone == "13812345678"
        assert stored.contact_masked == "138****5678"
        assert stored.consent is True
        assert (stored.source, stored.station, stored.state, stored.owner) == (
            "kiosk", "K1", "received", None)
        assert stored.received_at == MONDAY_10AM
        assert stored.business_date == date(2026, 11, 23)
    assert reference.startswith("FB261123-")
    assert len(reference) == 15
    assert [(e.kind, e.from_state, e.to_state) for e in events] == [
        ("received", None, "received")]
    assert count(any_engine, AuditEntry) == 0  # a customer's own entry is not a staff action


@pytest.mark.parametrize(("received", "feedback", "reply", "decision"), [
    # The default branch works Monday to Saturday morning: Sundays do not count.
    (MONDAY_10AM, date(2026, 11, 25), date(2026, 12, 4), date(2026, 12, 8)),
    (FRIDAY_4PM, date(2026, 11, 30), date(2026, 12, 9), date(2026, 12, 12)),
    # Before the National Day week: the holidays skipped, the make-up Saturday counted;
    # the decision deadline is in calendar days.
    (BEFORE_NATIONAL_DAY, date(2026, 10, 9), date(2026, 10, 19), date(2026, 10, 15)),
])
def test_deadlines_follow_the_working_day_calendar(
        engine: Engine, received: datetime, feedback: date, reply: date,
        decision: date) -> None:
    with unit_of_work(engine, write=True) as session:
        row = complaints.receive_complaint(session, "claims", "理赔太慢", now=received)
        got = (row.feedback_due, row.reply_due, row.decision_due)
    assert got == (feedback, reply, decision)


def test_deadlines_follow_the_branch_settings(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        branch = load_branch(session)
    changed = replace(branch, settings={
        **branch.settings, "feedback_working_days": 1, "complaint_reply_working_days": 5,
        "complaint_decision_days": 30})
    due = complaints.deadlines(changed, date(2026, 11, 27))
    # 30 days after is Sunday 27 December, a day the branch does not work: the Monday
    assert due == complaints.Deadlines(date(2026, 11, 28), date(2026, 12, 3),
                                       date(2026, 12, 28))


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"category_code": "nonsense", "text": "x"}, "unknown_category"),
    ({"category_code": "other", "text": "   \n "}, "empty"),
    ({"category_code": "other", "text": "长" * (complaints.TEXT_MAX + 1)}, "too_long"),
    ({"category_code": "other", "text": "bell\x07"}, "control_character"),
    ({"category_code": "other", "text": "ok", "phone": "13812345678"}, "consent_required"),
    ({"category_code": "other", "text": "ok", "phone": "12345", "consent": True}, "bad_phone"),
    ({"category_code": "other", "text": "ok", "phone": "138 1234 567x", "consent": True},
     "bad_phone"),
    ({"category_code": "other", "text": "ok", "source": "web"}, "bad_choice"),
    ({"category_code": "other", "text": "ok", "ticket_number": "D999"}, "unknown_ticket"),
])
def test_refusals_name_the_problem_and_write_nothing(engine: Engine, kwargs: dict[str, object],
                                                     code: str) -> None:
    with pytest.raises(UsageError) as refused, unit_of_work(engine, write=True) as session:
        complaints.receive_complaint(session, now=MONDAY_10AM, **kwargs)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert refused.value.zh
    assert refused.value.en
    assert count(engine, Complaint) == 0
    assert count(engine, ComplaintEvent) == 0


@pytest.mark.parametrize(("typed", "kept"), [
    ("13812345678", "13812345678"), ("+86 138 1234 5678", "13812345678"),
    ("8613812345678", "13812345678"), ("010-8765-4321", "01087654321"),
    ("0755 2345 6789", "075523456789"),
])
def test_phone_numbers_are_kept_as_digits(typed: str, kept: str) -> None:
    assert complaints.normalise_phone(typed) == kept


def test_a_complaint_links_todays_ticket(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session, now=MONDAY_10AM).take("enquiry").number
    with unit_of_work(engine, write=True) as session:
        row = complaints.receive_complaint(session, "service", "态度不好",
                                           ticket_number=number.lower(), now=MONDAY_10AM)
        assert (row.ticket_number, row.ticket_id is not None) == (number, True)


def test_a_staff_entry_is_audited_with_the_phone_masked(any_engine: Engine) -> None:
    with unit_of_work(any_engine, write=True) as session:
        row = complaints.receive_complaint(
            session, "sales", "业务员承诺不实", phone="13987654321", consent=True,
            source="staff", entered_by="S0401", station="C4", now=MONDAY_10AM)
        reference = row.reference
    with unit_of_work(any_engine) as session:
        entry = session.scalars(select(AuditEntry)).one()
        event = session.scalars(select(ComplaintEvent)).one()
    assert (entry.staff, entry.action, entry.subject, entry.station) == (
        "S0401", "complaint.add", reference, "C4")
    assert "139****4321" in entry.detail
    assert find_unmasked(entry.detail) == []
    assert event.staff == "S0401"


def test_public_text_masks_numbers_the_customer_wrote(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        row = complaints.receive_complaint(
            session, "policy", "请回电13812345678，身份证110101199003071234", now=MONDAY_10AM)
        shown = complaints.public_text(row)
    assert shown == "请回电138****5678，身份证110***********1234"
    assert find_unmasked(shown) == []


def test_lists_newest_first_filtered_by_state_and_date(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        for days, text in ((3, "old"), (0, "new")):
            complaints.receive_complaint(session, "other", text,
                                         now=MONDAY_10AM - timedelta(days=days))
    with unit_of_work(engine) as session:
        assert [c.text for c in complaints.list_complaints(session)] == ["new", "old"]
        assert [c.text for c in complaints.list_complaints(
            session, since=date(2026, 11, 22))] == ["new"]
        assert complaints.list_complaints(session, states=["closed"]) == []
        with pytest.raises(UsageError):
            complaints.list_complaints(session, states=["lost"])
        with pytest.raises(NotFound):
            complaints.find_complaint(session, "FB000000-XXXXXX")


def test_retention_erases_the_phone_and_masks_the_text_but_keeps_the_complaint(
        any_engine: Engine) -> None:
    with unit_of_work(any_engine, write=True) as session:
        for days in (10, 181, 400):
            complaints.receive_complaint(
                session, "other", f"d{days} 电话13812345678", phone="13912345678", consent=True,
                now=MONDAY_10AM - timedelta(days=days))
        complaints.receive_complaint(session, "praise", "d500 很好",
                                     now=MONDAY_10AM - timedelta(days=500))
    assert complaints.COMPLAINT_CONTACTS in retention.registered_holders()
    with unit_of_work(any_engine, write=True) as session:
        dry = retention.purge(session, load_branch(session), MONDAY_10AM, dry_run=True)
        done = retention.purge(session, load_branch(session), MONDAY_10AM)
        again = retention.purge(session, load_branch(session), MONDAY_10AM)
    counted = {item.name: item.records for item in dry.items}
    assert counted["complaint_contact"] == 2  # the praise without numbers holds nothing
    assert {item.name: item.records for item in done.items}["complaint_contact"] == 2
    assert {item.name: item.records for item in again.items}["complaint_contact"] == 0
    with unit_of_work(any_engine) as session:
        rows = {c.text.split()[0]: c for c in session.scalars(select(Complaint))}
    assert rows["d10"].contact_phone == "13912345678"
    assert rows["d10"].text == "d10 电话13812345678"
    for old in ("d181", "d400"):
        assert rows[old].contact_phone is None
        assert rows[old].contact_masked == "139****5678"
        assert rows[old].text == f"{old} 电话138****5678"
        assert rows[old].personal_purged_at is not None
    assert len(rows) == 4


def test_the_receipt_prints_the_promise_stored_with_the_complaint(engine: Engine) -> None:
    from kiosk.devices.printing import acknowledgement_document

    with unit_of_work(engine, write=True) as session:
        row = complaints.receive_complaint(session, "other", "ok", now=FRIDAY_4PM)
        # A reprint after the calendar changed still promises what the customer was told.
        doc = acknowledgement_document(session, row.reference, "其他", "Other",
                                       row.received_at, promised=date(2026, 12, 2))
        first = acknowledgement_document(session, row.reference, "其他", "Other",
                                         row.received_at)
    assert "2026-12-02" in doc.text()
    assert row.feedback_due.isoformat() in first.text()
