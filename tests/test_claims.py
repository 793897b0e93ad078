"""The completeness check: every claim type, every document, every condition, the
decision date on the working-day calendar, storage, the ticket link and the fast lane."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select

from kiosk.branch.settings import BranchConfig, apply_config, default_config, parse_hours
from kiosk.claims.catalogue import ClaimCatalogue, parse_catalogue, shipped_text
from kiosk.claims.checks import evaluate, parse_answers, parse_codes, parse_received
from kiosk.claims.records import (
    checks_for_ticket,
    find_check,
    link_ticket,
    record_check,
    record_handover,
)
from kiosk.claims.views import check_view
from kiosk.db import unit_of_work
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import ClaimCatalogueVersion, ClaimCheck, ClaimHandover, TicketEvent
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM, open_all_hours

CLAIM_TYPES = ("outpatient", "inpatient", "critical_illness", "accident_disability",
               "death_illness", "death_accident", "motor_single", "motor_two_party",
               "motor_injury", "home_property")


@pytest.fixture(scope="module")
def catalogue() -> ClaimCatalogue:
    return parse_catalogue(shipped_text(), "resources/claims/catalogue.toml")


def base_documents(catalogue: ClaimCatalogue, claim_type: str) -> list[str]:
    return list(catalogue.types[claim_type].documents)


# ----- the catalogue shipped ---------------------------------------------------------------


def test_shipped_catalogue_has_the_ten_claim_types_of_the_branch(
        catalogue: ClaimCatalogue) -> None:
    assert tuple(catalogue.types) == CLAIM_TYPES


def test_shipped_catalogue_follows_the_domain_notes(catalogue: ClaimCatalogue) -> None:
    inpatient = base_documents(catalogue, "inpatient")
    assert inpatient == ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "DISCHARGE", "DIAG_CERT",
                         "INVOICE", "EXP_LIST", "BANK"]
    death = base_documents(catalogue, "death_illness")
    assert base_documents(catalogue, "death_accident") == [*death, "ACC_PROOF"]
    single = base_documents(catalogue, "motor_single")
    two = base_documents(catalogue, "motor_two_party")
    assert two[:len(single)] == single
    assert base_documents(catalogue, "motor_injury")[:len(two)] == two
    # Medical invoices are originals in every source.
    assert catalogue.documents["INVOICE"].original == "O"
    assert catalogue.documents["ID_INSURED"].original == "O*"
    assert catalogue.documents["BANK"].original == "C"


# ----- every type complete, each document missing in turn -----------------------------------


@pytest.mark.parametrize("claim_type", CLAIM_TYPES)
def test_every_claim_type_is_complete_with_its_documents(
        catalogue: ClaimCatalogue, claim_type: str) -> None:
    result = evaluate(catalogue, claim_type, {}, base_documents(catalogue, claim_type))
    assert result.complete
    assert result.missing == []


@pytest.mark.parametrize("claim_type", CLAIM_TYPES)
def test_each_document_missing_in_turn_is_named_alone(
        catalogue: ClaimCatalogue, claim_type: str) -> None:
    documents = base_documents(catalogue, claim_type)
    for left_out in documents:
        have = [d for d in documents if d != left_out]
        result = evaluate(catalogue, claim_type, {}, have)
        assert not result.complete, left_out
        assert result.missing == [left_out]


def test_all_missing_documents_come_in_one_list(catalogue: ClaimCatalogue) -> None:
    result = evaluate(catalogue, "inpatient", {"by_agent": True}, ["CLAIM_FORM"])
    assert result.missing == ["ID_INSURED", "MED_RECORD", "DISCHARGE", "DIAG_CERT", "INVOICE",
                              "EXP_LIST", "BANK", "POWER_OF_ATTORNEY", "AGENT_ID"]


def test_originals_needed_follow_the_marks(catalogue: ClaimCatalogue) -> None:
    result = evaluate(catalogue, "inpatient", {}, [])
    assert result.originals_needed == ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "DIAG_CERT",
                                       "INVOICE"]
    # Motor insurers keep a copy of the insured's ID: the claim type overrides the mark.
    motor = evaluate(catalogue, "motor_single", {}, [])
    assert "ID_INSURED" not in motor.originals_needed
    assert "LOSS_ASSESSMENT" in motor.originals_needed


# ----- conditions ---------------------------------------------------------------------------

CONDITIONS = [
    (claim_type, question)
    for claim_type in CLAIM_TYPES
    for question in parse_catalogue(shipped_text(), "x").types[claim_type].questions
]


@pytest.mark.parametrize(("claim_type", "question"), CONDITIONS)
def test_every_condition_adds_its_documents(
        catalogue: ClaimCatalogue, claim_type: str, question: str) -> None:
    effect = catalogue.types[claim_type].questions[question]
    base = base_documents(catalogue, claim_type)
    result = evaluate(catalogue, claim_type, {question: True}, base)
    assert result.missing == [c for c in effect.adds if c not in base]
    assert result.missing, "a yes must ask for something"
    assert not result.complete
    everything = [*base, *effect.adds]
    done = evaluate(catalogue, claim_type, {question: True}, everything)
    assert done.complete
    # "no" is the same as not answering.
    assert evaluate(catalogue, claim_type, {question: False}, base).complete


def test_conditions_named_in_the_domain_notes(catalogue: ClaimCatalogue) -> None:
    def adds(claim_type: str, question: str) -> list[str]:
        return evaluate(catalogue, claim_type, {question: True},
                        base_documents(catalogue, claim_type)).missing

    assert adds("inpatient", "minor_or_incapable") == ["GUARDIAN_ID", "GUARDIANSHIP_PROOF"]
    assert adds("outpatient", "by_agent") == ["POWER_OF_ATTORNEY", "AGENT_ID"]
    assert adds("outpatient", "accident_related") == ["ACC_PROOF"]
    assert adds("inpatient", "paid_elsewhere") == ["SPLIT_SLIP"]
    assert adds("death_illness", "no_beneficiary") == ["INHERITANCE_PROOF"]
    assert adds("death_accident", "declared_dead") == ["DEATH_JUDGMENT"]
    assert adds("motor_two_party", "company_over_10k") == ["BUSINESS_LICENSE"]
    assert adds("motor_single", "theft") == ["REG_CERT", "POLICE_CASE"]
    assert adds("home_property", "theft") == ["POLICE_REPORT"]
    assert adds("home_property", "fire") == ["FIRE_CERT"]
    assert adds("home_property", "storm") == ["WEATHER_CERT"]
    assert adds("motor_injury", "disabled") == ["DISAB_APPR"]


def test_paid_elsewhere_takes_the_invoice_as_a_copy(catalogue: ClaimCatalogue) -> None:
    result = evaluate(catalogue, "inpatient", {"paid_elsewhere": True}, [])
    marks = {d.code: d.original for d in result.required}
    assert marks["INVOICE"] == "C"
    assert marks["SPLIT_SLIP"] == "O"
    assert "INVOICE" not in result.originals_needed


def test_declared_dead_replaces_certificates_no_one_can_have(catalogue: ClaimCatalogue) -> None:
    result = evaluate(catalogue, "death_illness", {"declared_dead": True}, [])
    codes = [d.code for d in result.required]
    assert "DEATH_CERT" not in codes
    assert "CREMATION" not in codes
    assert "DEATH_JUDGMENT" in codes


def test_several_conditions_combine_without_duplicates(catalogue: ClaimCatalogue) -> None:
    result = evaluate(catalogue, "outpatient",
                      {"by_agent": True, "minor_or_incapable": True, "accident_related": True},
                      base_documents(catalogue, "outpatient"))
    assert result.missing == ["GUARDIAN_ID", "GUARDIANSHIP_PROOF", "POWER_OF_ATTORNEY",
                              "AGENT_ID", "ACC_PROOF"]


# ----- unknown codes -------------------------------------------------------------------------


def test_unknown_claim_type_lists_the_valid_ones(catalogue: ClaimCatalogue) -> None:
    with pytest.raises(UsageError) as caught:
        evaluate(catalogue, "boat", {}, [])
    for code in CLAIM_TYPES:
        assert code in caught.value.en


def test_unknown_document_lists_the_documents_of_the_type(catalogue: ClaimCatalogue) -> None:
    with pytest.raises(UsageError) as caught:
        evaluate(catalogue, "outpatient", {}, ["CLAIM_FORM", "PASSPORT"])
    assert "PASSPORT" in caught.value.en
    assert "MED_RECORD" in caught.value.en
    assert "MED_RECORD" in caught.value.zh


def test_document_of_another_claim_type_is_refused(catalogue: ClaimCatalogue) -> None:
    with pytest.raises(UsageError, match="not used by outpatient"):
        evaluate(catalogue, "outpatient", {}, ["LOSS_ASSESSMENT"])


def test_question_that_does_not_apply_is_a_usage_error(catalogue: ClaimCatalogue) -> None:
    with pytest.raises(UsageError, match="does not apply to inpatient") as caught:
        evaluate(catalogue, "inpatient", {"theft": True}, [])
    assert "by_agent" in caught.value.en
    with pytest.raises(UsageError, match="disabled"):
        evaluate(catalogue, "motor_single", {"disabled": False}, [])
    with pytest.raises(UsageError, match="is unknown"):
        evaluate(catalogue, "inpatient", {"weather": True}, [])


def test_document_the_customer_brings_beyond_what_is_needed_is_kept_as_extra(
        catalogue: ClaimCatalogue) -> None:
    have = [*base_documents(catalogue, "outpatient"), "AGENT_ID"]
    result = evaluate(catalogue, "outpatient", {}, have)
    assert result.complete
    assert result.extra == ("AGENT_ID",)


def test_parsing_command_line_values() -> None:
    assert parse_codes(["claim_form, bank", "INVOICE", "BANK"]) == ["CLAIM_FORM", "BANK",
                                                                    "INVOICE"]
    assert parse_answers(["by_agent=yes", "theft=no,fire=YES"]) == {
        "by_agent": True, "theft": False, "fire": True}
    for bad in (["by_agent"], ["by_agent=maybe"], ["by_agent=yes", "by_agent=no"]):
        with pytest.raises(UsageError):
            parse_answers(bad)
    assert parse_received(["claim_form=o,BANK=C"]) == {"CLAIM_FORM": "O", "BANK": "C"}
    with pytest.raises(UsageError):
        parse_received(["BANK=O*"])


# ----- the decision date on the branch calendar ------------------------------------------------


def at_10am(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def weekdays_only(**settings: object) -> BranchConfig:
    """The default branch and its 2026 calendar, open Monday to Friday only."""
    config = default_config()
    hours = {d: parse_hours("08:30-17:30") for d in range(5)}
    return replace(config, hours=hours, settings={**config.settings, **settings})


@pytest.fixture
def weekday_engine(engine: Engine) -> Engine:
    with unit_of_work(engine, write=True) as session:
        apply_config(session, weekdays_only())
    return engine


def decision_on(engine: Engine, day: date) -> date | None:
    complete = ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE", "EXP_LIST", "BANK"]
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "outpatient", {}, complete, now=at_10am(day))
    return check.decision_by


@pytest.mark.parametrize(("checked", "promised"), [
    # Monday: three weekdays later.
    (date(2026, 11, 23), date(2026, 11, 26)),
    # Thursday: across the weekend.
    (date(2026, 11, 26), date(2026, 12, 1)),
    # A check on a Saturday starts counting on Monday.
    (date(2026, 11, 28), date(2026, 12, 2)),
    # Before National Day: 1-7 October are holidays, Saturday 10 October is a make-up
    # working day.
    (date(2026, 9, 30), date(2026, 10, 10)),
    # Friday before the make-up Sunday 20 September.
    (date(2026, 9, 18), date(2026, 9, 22)),
    # Before the Spring Festival: Saturday 14 February is a make-up working day, then
    # 15-23 February are holidays.
    (date(2026, 2, 13), date(2026, 2, 25)),
])
def test_decision_date_follows_the_working_day_calendar(
        weekday_engine: Engine, checked: date, promised: date) -> None:
    assert decision_on(weekday_engine, checked) == promised


def test_decision_working_days_is_a_branch_setting(weekday_engine: Engine) -> None:
    with unit_of_work(weekday_engine, write=True) as session:
        apply_config(session, weekdays_only(claim_decision_working_days=5))
    assert decision_on(weekday_engine, date(2026, 11, 23)) == date(2026, 11, 30)


def test_incomplete_set_promises_no_date(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "outpatient", {}, ["CLAIM_FORM"], now=MONDAY_10AM)
    assert check.decision_by is None
    assert not check.complete


# ----- storage, ticket link, fast lane (both databases) -----------------------------------------


def test_check_is_stored_with_its_catalogue_version_and_reference(open_engine: Engine) -> None:
    with unit_of_work(open_engine, write=True) as session:
        check = record_check(session, "home_property", {"fire": True, "theft": False},
                             ["CLAIM_FORM", "POLICY"], now=MONDAY_10AM)
        reference = check.reference
    with unit_of_work(open_engine) as session:
        stored = find_check(session, reference.lower())
        view = check_view(session, stored)
        versions = session.scalars(select(ClaimCatalogueVersion.version)).all()
    assert reference.startswith("CL261123-")
    assert versions == ["2026.1"]
    assert view["catalogue_version"] == "2026.1"
    assert view["answers"] == {"fire": "yes", "theft": "no"}
    assert view["missing"] == ["LOSS_LIST", "PURCHASE_INVOICE", "REPAIR_INVOICE", "PHOTOS",
                               "ID_INSURED", "BANK", "FIRE_CERT"]
    assert view["complete"] is False
    assert view["checked_at"] == "2026-11-23T10:00:00+08:00"
    assert [d["code"] for d in view["documents"] if d["present"]] == ["CLAIM_FORM", "POLICY"]


def test_references_are_unique_and_carry_no_sequence(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        refs = {record_check(session, "outpatient", {}, [], now=MONDAY_10AM).reference
                for _ in range(50)}
    assert len(refs) == 50


def test_unknown_reference_is_not_found(engine: Engine) -> None:
    with unit_of_work(engine) as session, pytest.raises(NotFound):
        find_check(session, "CL000000-XXXXXX")


OUTPATIENT_COMPLETE = ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE", "EXP_LIST", "BANK"]


def take(engine: Engine, service: str = "claims") -> str:
    with unit_of_work(engine, write=True) as session:
        return Lobby(session, now=MONDAY_10AM).take(service).number


def enable_fast_lane(engine: Engine) -> None:
    """Turn the fast lane on the way staff do: a settings import."""
    config = open_all_hours()
    with unit_of_work(engine, write=True) as session:
        apply_config(session, replace(config, settings={**config.settings,
                                                        "claims_fast_lane": True}))


def test_counter_finds_the_check_by_its_ticket(open_engine: Engine) -> None:
    number = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        first = record_check(session, "outpatient", {}, ["CLAIM_FORM"], ticket_number=number,
                             now=MONDAY_10AM).reference
        second = record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE,
                              ticket_number=number.lower(), now=MONDAY_10AM).reference
    with unit_of_work(open_engine) as session:
        found = [c.reference for c in checks_for_ticket(session, number, now=MONDAY_10AM)]
    assert found == [second, first]


def test_ticket_of_another_service_is_refused_and_nothing_is_stored(
        open_engine: Engine) -> None:
    number = take(open_engine, "payments")
    with unit_of_work(open_engine, write=True) as session, \
            pytest.raises(RuleRefused, match="not a claims ticket"):
        record_check(session, "outpatient", {}, [], ticket_number=number, now=MONDAY_10AM)
    with unit_of_work(open_engine) as session:
        assert session.scalars(select(ClaimCheck)).all() == []


def test_finished_ticket_cannot_be_linked(open_engine: Engine) -> None:
    number = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        Lobby(session, now=MONDAY_10AM).cancel(number)
    with unit_of_work(open_engine, write=True) as session, pytest.raises(RuleRefused):
        record_check(session, "outpatient", {}, [], ticket_number=number, now=MONDAY_10AM)


def test_unknown_ticket_is_a_usage_error(open_engine: Engine) -> None:
    with unit_of_work(open_engine, write=True) as session, pytest.raises(NotFound):
        record_check(session, "outpatient", {}, [], ticket_number="D999", now=MONDAY_10AM)


def priority_events(engine: Engine) -> list[TicketEvent]:
    with unit_of_work(engine) as session:
        return list(session.scalars(select(TicketEvent).where(TicketEvent.kind == "priority")))


def test_fast_lane_gives_a_complete_set_care_priority(open_engine: Engine) -> None:
    enable_fast_lane(open_engine)
    number = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        check = record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE,
                             ticket_number=number, now=MONDAY_10AM)
        view = check_view(session, check)
    assert view["priority"] == "care"
    events = priority_events(open_engine)
    assert len(events) == 1
    assert check.reference in events[0].reason
    assert events[0].from_state == events[0].to_state == "waiting"


def test_fast_lane_moves_the_ticket_ahead_in_the_queue(open_engine: Engine) -> None:
    enable_fast_lane(open_engine)
    earlier, later = take(open_engine), take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE, ticket_number=later,
                     now=MONDAY_10AM)
    with unit_of_work(open_engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.open_counter(4, "S01")
        called = lobby.call_next(4)
    assert called is not None
    assert called.number == later != earlier


def test_fast_lane_off_or_incomplete_leaves_priority_alone(open_engine: Engine) -> None:
    number = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE, ticket_number=number,
                     now=MONDAY_10AM)
    enable_fast_lane(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        record_check(session, "outpatient", {}, ["CLAIM_FORM"], ticket_number=number,
                     now=MONDAY_10AM)
    with unit_of_work(open_engine) as session:
        assert Lobby(session, now=MONDAY_10AM).ticket(number).priority == "normal"
    assert priority_events(open_engine) == []


def test_check_linked_after_the_ticket_is_taken(open_engine: Engine) -> None:
    enable_fast_lane(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        reference = record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE,
                                 now=MONDAY_10AM).reference
    number = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        view = check_view(session, link_ticket(session, reference, number, now=MONDAY_10AM))
    assert view["ticket"] == number
    assert view["priority"] == "care"


def test_handover_records_each_document_as_original_or_copy(open_engine: Engine) -> None:
    with unit_of_work(open_engine, write=True) as session:
        check = record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE, now=MONDAY_10AM)
        record_handover(session, check, {"CLAIM_FORM": "O", "BANK": "C"}, staff="S07",
                        now=MONDAY_10AM)
        with pytest.raises(UsageError, match="LOSS_LIST"):
            record_handover(session, check, {"LOSS_LIST": "O"}, now=MONDAY_10AM)
    with unit_of_work(open_engine) as session:
        rows = session.scalars(select(ClaimHandover)).all()
    assert [(r.staff, r.received) for r in rows] == [("S07", {"CLAIM_FORM": "O", "BANK": "C"})]


@pytest.mark.parametrize("priority", ["care", "vip"])
def test_fast_lane_never_changes_a_ticket_already_above_normal(
        open_engine: Engine, priority: str) -> None:
    enable_fast_lane(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        number = Lobby(session, now=MONDAY_10AM).take("claims", priority).number
    with unit_of_work(open_engine, write=True) as session:
        record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE, ticket_number=number,
                     now=MONDAY_10AM)
    with unit_of_work(open_engine) as session:
        assert Lobby(session, now=MONDAY_10AM).ticket(number).priority == priority
    assert priority_events(open_engine) == []


def test_fast_lane_leaves_a_ticket_already_called_alone(open_engine: Engine) -> None:
    enable_fast_lane(open_engine)
    number = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.open_counter(4, "S01")
        lobby.call_number(4, number)
    with unit_of_work(open_engine, write=True) as session:
        view = check_view(session, record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE,
                                                ticket_number=number, now=MONDAY_10AM))
    assert view["ticket"] == number
    assert view["priority"] == "normal"
    assert priority_events(open_engine) == []


def test_one_check_cannot_fast_lane_two_waiting_tickets(open_engine: Engine) -> None:
    """A complete check is one customer's: while its ticket is still open, its reference
    cannot be linked to (and move up) a second ticket."""
    enable_fast_lane(open_engine)
    first, second = take(open_engine), take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        reference = record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE,
                                 ticket_number=first, now=MONDAY_10AM).reference
    with unit_of_work(open_engine, write=True) as session, \
            pytest.raises(RuleRefused, match=first) as caught:
        link_ticket(session, reference, second, now=MONDAY_10AM)
    assert caught.value.code == "check_linked"
    assert first in caught.value.zh
    with unit_of_work(open_engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        assert lobby.ticket(second).priority == "normal"
        assert find_check(session, reference).ticket_number == first
    assert len(priority_events(open_engine)) == 1
    # Linking again to the same ticket is harmless.
    with unit_of_work(open_engine, write=True) as session:
        assert link_ticket(session, reference, first, now=MONDAY_10AM).ticket_number == first
    assert len(priority_events(open_engine)) == 1


def test_check_moves_to_a_new_ticket_once_the_old_one_is_closed(open_engine: Engine) -> None:
    """The customer missed their number and took a new ticket: the check follows them."""
    first = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        reference = record_check(session, "outpatient", {}, OUTPATIENT_COMPLETE,
                                 ticket_number=first, now=MONDAY_10AM).reference
        Lobby(session, now=MONDAY_10AM).cancel(first)
    second = take(open_engine)
    with unit_of_work(open_engine, write=True) as session:
        assert link_ticket(session, reference, second, now=MONDAY_10AM).ticket_number == second


def test_handover_of_nothing_is_refused(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "outpatient", {}, [], now=MONDAY_10AM)
        with pytest.raises(UsageError, match="at least one"):
            record_handover(session, check, {}, now=MONDAY_10AM)
        assert session.scalars(select(ClaimHandover)).all() == []


@pytest.mark.postgres
def test_two_first_checks_at_once_both_stored_on_postgresql(pg_url: str) -> None:
    """The first check of a branch stores the shipped catalogue; a second terminal doing
    its first check at the same moment must not fail on that row."""
    import threading

    from sqlalchemy import text

    from kiosk.db import make_engine
    from kiosk.migrate import ensure_ready

    engine = make_engine(pg_url)
    try:
        ensure_ready(engine)
        outcome: dict[str, object] = {}

        def second_terminal() -> None:
            try:
                with unit_of_work(engine, write=True) as session:
                    outcome["reference"] = record_check(session, "outpatient", {}, [],
                                                        now=MONDAY_10AM).reference
            except Exception as exc:  # reported to the test below
                outcome["error"] = exc

        with unit_of_work(engine, write=True) as session:
            first = record_check(session, "outpatient", {}, [], now=MONDAY_10AM).reference
            worker = threading.Thread(target=second_terminal)
            worker.start()
            # Wait until the second terminal is blocked behind our uncommitted version row.
            with engine.connect() as probe:
                for _ in range(600):
                    waiting = probe.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND datname = current_database()"))
                    if waiting or not worker.is_alive():
                        break
                    worker.join(0.05)
        worker.join(60)
        assert not worker.is_alive()
        assert "error" not in outcome, outcome.get("error")
        with unit_of_work(engine) as session:
            references = set(session.scalars(select(ClaimCheck.reference)))
            versions = session.scalars(select(ClaimCatalogueVersion.version)).all()
        assert references == {first, outcome["reference"]}
        assert versions == ["2026.1"]
    finally:
        engine.dispose()
