"""The use cases the customer screens call (kiosk.app): printing a ticket already taken,
the documents a claim needs with the customer's answers, a claims ticket linked to a
check, the comment book (masked in every result), the branch facts and the service
information pages. No Qt: the same calls serve the CLI."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app.admin import apply_settings
from kiosk.app.claims import check_claim, claim_requirements, take_claims_ticket
from kiosk.app.complaints import (
    complaint_categories,
    list_complaints,
    print_complaint_receipt,
    show_complaint,
    submit_complaint,
)
from kiosk.app.information import branch_facts, service_information
from kiosk.app.printer import print_jobs, set_printer
from kiosk.app.tickets import print_ticket, show_ticket, take_ticket
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.privacy.masking import find_unmasked
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM, open_all_hours


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = AppContext(any_engine, "K1")
    apply_settings(context, open_all_hours())
    return context


def test_a_ticket_taken_without_printing_prints_afterwards(
        app: AppContext, printer: FakePrinter) -> None:
    taken = take_ticket(app, "claims")
    assert taken.print is None  # the number first: the screen shows it at once
    no_printer = print_ticket(app, taken.number.lower())
    assert (no_printer.status, no_printer.printed) == ("no_printer", False)
    set_printer(app, printer.path, "generic-80", "text")
    outcome = print_ticket(app, taken.number)
    assert outcome.printed
    assert printer.wait_for(lambda p: len(p.jobs) >= 1)
    assert any("D001" in text for job in printer.jobs for text in job.texts)
    printer.set_state("paper_out")
    second = take_ticket(app, "claims")
    queued = print_ticket(app, second.number)
    assert (queued.status, queued.printed) == ("queued", False)
    assert "缺纸" in queued.reason_zh
    assert show_ticket(app, second.number).status == "waiting"
    with pytest.raises(NotFound):
        print_ticket(app, "D999")


def test_the_documents_a_claim_needs_follow_the_answers(app: AppContext) -> None:
    plain = claim_requirements(app, "outpatient", {})
    assert [d.code for d in plain] == ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE",
                                       "EXP_LIST", "BANK"]
    assert {d.code: d.original for d in plain}["INVOICE"] == "O"
    assert all(d.name_zh and d.name_en and d.hint_zh and d.hint_en for d in plain)
    paid = claim_requirements(app, "outpatient", {"paid_elsewhere": True, "by_agent": True})
    assert [d.code for d in paid] == [d.code for d in plain] + [
        "POWER_OF_ATTORNEY", "AGENT_ID", "SPLIT_SLIP"]
    assert {d.code: d.original for d in paid}["INVOICE"] == "C"  # paid elsewhere: a copy
    with pytest.raises(UsageError):
        claim_requirements(app, "spaceship", {})
    with pytest.raises(UsageError):
        claim_requirements(app, "outpatient", {"is_a_cat": True})


def test_a_claims_ticket_taken_for_a_check_is_linked_to_it(app: AppContext) -> None:
    every = [d.code for d in claim_requirements(app, "critical_illness", {})]
    check = check_claim(app, "critical_illness", {}, every)
    taken = take_claims_ticket(app, check.reference.lower(), "care")
    assert taken.number == "D001"
    assert taken.priority == "care"
    assert taken.print is None
    with pytest.raises(NotFound):
        take_claims_ticket(app, "CL000000-XXXXXX")
    with pytest.raises(NotFound):  # the unknown reference took nothing
        show_ticket(app, "D002")


def test_a_complete_check_puts_its_ticket_in_the_fast_lane_when_the_branch_does(
        app: AppContext) -> None:
    config = open_all_hours()
    apply_settings(app, replace(config, settings={**config.settings, "claims_fast_lane": True}))
    every = [d.code for d in claim_requirements(app, "outpatient", {})]
    check = check_claim(app, "outpatient", {}, every)
    assert take_claims_ticket(app, check.reference).priority == "care"


def test_claims_closed_takes_nothing(app: AppContext) -> None:
    config = open_all_hours()
    apply_settings(app, replace(config, services=tuple(
        replace(s, enabled=False) if s.code == "claims" else s for s in config.services)))
    check = check_claim(app, "outpatient", {}, [])
    with pytest.raises(RuleRefused):
        take_claims_ticket(app, check.reference)


def test_the_comment_book_masks_the_phone_and_the_numbers_in_every_result(
        app: AppContext, printer: FakePrinter) -> None:
    assert [c.code for c in complaint_categories()][:3] == ["service", "waiting", "claims"]
    info = submit_complaint(app, "claims", "理赔慢，身份证110101199003071234，电话13700001111",
                            phone="13812345678", consent=True)
    assert info.contact == "138****5678"
    assert info.text == "理赔慢，身份证110***********1234，电话137****1111"
    assert (info.source, info.station, info.state) == ("kiosk", "K1", "received")
    assert info.feedback_due == "2026-11-25"
    for result in (info, show_complaint(app, info.reference), list_complaints(app)):
        assert find_unmasked(json.dumps(result.to_json(), ensure_ascii=False)) == []
    set_printer(app, printer.path, "generic-80", "text")
    outcome = print_complaint_receipt(app, info.reference)
    assert outcome.printed
    assert printer.wait_for(lambda p: len(p.jobs) == 1)
    printed = "\n".join(printer.jobs[0].texts)
    assert info.reference in printed
    assert "2026-11-25" in printed
    assert find_unmasked(printed) == []
    with_print = submit_complaint(app, "praise", "好", print_receipt=True)
    assert with_print.print is not None
    assert with_print.print.printed
    assert [j.kind for j in print_jobs(app).jobs] == ["acknowledgement", "acknowledgement"]


def test_the_list_filters_by_state_and_day(app: AppContext) -> None:
    submit_complaint(app, "other", "一")
    submit_complaint(app, "other", "二")
    assert [c.text for c in list_complaints(app).complaints] == ["二", "一"]
    assert list_complaints(app, states=["closed"]).complaints == ()
    with pytest.raises(UsageError):
        list_complaints(app, limit=0)


def test_branch_facts_carry_the_idle_setting_and_the_hotline(app: AppContext) -> None:
    facts = branch_facts(app)
    assert (facts.name_zh, facts.hotline, facts.idle_seconds, facts.retention_days) == (
        "客户服务中心", "95500", 60, 180)
    assert facts.hours_today == ("00:00", "23:59")
    config = open_all_hours()
    apply_settings(app, replace(config, settings={**config.settings, "customer_idle_seconds": 90}))
    assert branch_facts(app).idle_seconds == 90


def test_service_information_is_filled_from_the_branch_and_the_catalogue(
        app: AppContext) -> None:
    topics = {t.code: t for t in service_information(app).topics}
    assert list(topics) == ["new_business", "claims", "claim_documents", "commitments",
                            "hotline", "hours"]
    for topic in topics.values():
        assert topic.title_zh
        assert topic.title_en
        assert len(topic.lines_zh) == len(topic.lines_en) > 0
        assert not any("{" in line for line in topic.lines_zh + topic.lines_en)
    assert any("3 个工作日" in line for line in topics["commitments"].lines_zh)
    assert any("95500" in line for line in topics["hotline"].lines_en)
    assert any(line.startswith("理赔申请书（原件）") for line in topics["claim_documents"].lines_zh)
    assert topics["hours"].lines_en[0] == "Mon  00:00-23:59"
