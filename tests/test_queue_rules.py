"""The rules of the queue engine, one behaviour per test, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import Engine, select

from kiosk.branch.settings import apply_config, default_config
from kiosk.db import unit_of_work
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import CounterEvent, Ticket, TicketEvent
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM, open_all_hours


class Desk:
    """Runs each action in its own unit of work, as the CLI and screens do."""

    def __init__(self, engine: Engine, at: datetime = MONDAY_10AM) -> None:
        self.engine = engine
        self.at = at

    def __call__(self, fn, *args, at: datetime | None = None, **kwargs):  # type: ignore[no-untyped-def]
        with unit_of_work(self.engine, write=True) as session:
            lobby = Lobby(session, now=at or self.at)
            result = getattr(lobby, fn)(*args, **kwargs)
            if isinstance(result, Ticket):
                return lobby.ticket_view(result)
            return result

    def view(self, number: str, at: datetime | None = None) -> dict:  # type: ignore[type-arg]
        with unit_of_work(self.engine) as session:
            lobby = Lobby(session, now=at or self.at)
            return lobby.ticket_view(lobby.ticket(number))

    def events(self, number: str) -> list[tuple[str, str | None, str, int | None, str | None]]:
        with unit_of_work(self.engine) as session:
            ticket = Lobby(session, now=self.at).ticket(number)
            return [(e.kind, e.from_state, e.to_state, e.counter_number, e.staff)
                    for e in session.scalars(select(TicketEvent).where(
                        TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))]


@pytest.fixture
def desk(open_engine: Engine) -> Desk:
    return Desk(open_engine)


# ----- numbering -------------------------------------------------------------------------

def test_numbers_are_prefix_and_three_digits_per_service(desk: Desk) -> None:
    numbers = [desk("take", code)["number"] for code in
               ("claims", "claims", "enquiry", "vip", "claims")]
    assert numbers == ["D001", "D002", "A001", "V001", "D003"]


def test_numbers_restart_at_local_midnight_not_utc_midnight(desk: Desk) -> None:
    # Asia/Shanghai is UTC+8: local midnight is 16:00 UTC.
    before_local_midnight = datetime(2026, 11, 23, 15, 59, tzinfo=UTC)
    after_local_midnight = datetime(2026, 11, 23, 16, 1, tzinfo=UTC)
    after_utc_midnight = datetime(2026, 11, 24, 0, 1, tzinfo=UTC)
    assert desk("take", "claims", at=before_local_midnight)["number"] == "D001"
    assert desk("take", "claims", at=before_local_midnight)["number"] == "D002"
    first_of_day = desk("take", "claims", at=after_local_midnight)
    assert first_of_day["number"] == "D001"
    assert first_of_day["business_date"] == "2026-11-24"
    assert first_of_day["issued_at"] == "2026-11-24T00:01:00+08:00"
    # UTC midnight passes in the middle of the branch's day: numbering goes on.
    assert desk("take", "claims", at=after_utc_midnight)["number"] == "D002"


def test_business_day_follows_a_western_time_zone_too(open_engine: Engine) -> None:
    config = replace(open_all_hours(), timezone="America/New_York")
    with unit_of_work(open_engine, write=True) as session:
        apply_config(session, config)
    desk = Desk(open_engine)
    # 2026-11-24 03:00 UTC is still the 23rd, 22:00, in New York.
    evening = desk("take", "payments", at=datetime(2026, 11, 24, 3, 0, tzinfo=UTC))
    assert evening["business_date"] == "2026-11-23"
    morning = desk("take", "payments", at=datetime(2026, 11, 24, 5, 30, tzinfo=UTC))
    assert (morning["business_date"], morning["number"]) == ("2026-11-24", "E001")


def test_first_action_of_a_new_day_expires_yesterdays_waiting_and_called(desk: Desk) -> None:
    desk("take", "claims")
    desk("take", "claims")
    desk("open_counter", 4, "S1")
    desk("call_next", 4)
    next_morning = MONDAY_10AM + timedelta(days=1)
    desk("take", "enquiry", at=next_morning)
    assert desk.view("D001")["status"] == "expired"
    assert desk.view("D002")["status"] == "expired"
    assert desk.events("D002")[-1][:3] == ("expire", "waiting", "expired")


def test_day_close_expires_today_and_closes_counters(desk: Desk) -> None:
    desk("take", "claims")
    desk("open_counter", 4, "S1")
    assert desk("close_day") == 1
    assert desk.view("D001")["status"] == "expired"
    with unit_of_work(desk.engine) as session:
        assert {c.status for c in Lobby(session, now=MONDAY_10AM).counters()} == {"closed"}


# ----- refusals --------------------------------------------------------------------------

def _refusal(desk: Desk, *args: object, at: datetime | None = None) -> RuleRefused:
    with pytest.raises(RuleRefused) as info:
        desk("take", *args, at=at)
    return info.value


def test_taking_a_ticket_on_a_holiday_is_refused_in_both_languages(any_engine: Engine) -> None:
    desk = Desk(any_engine)  # default calendar: 2026-10-01 is National Day
    refused = _refusal(desk, "claims", at=datetime(2026, 10, 1, 2, 0, tzinfo=UTC))
    assert refused.code == "closed"
    assert "休息" in refused.zh
    assert "closed" in refused.en


def test_make_up_working_day_on_a_weekend_is_open(any_engine: Engine) -> None:
    desk = Desk(any_engine)  # Saturday 2026-10-10 is a make-up working day
    assert desk("take", "claims", at=datetime(2026, 10, 10, 2, 0, tzinfo=UTC))["number"] == "D001"


def test_make_up_saturday_keeps_mondays_hours_not_saturdays(any_engine: Engine) -> None:
    desk = Desk(any_engine)  # default hours: sat 09:00-12:00, mon 08:30-17:30
    before_saturday_opens = datetime(2026, 10, 10, 0, 45, tzinfo=UTC)  # 08:45 local
    assert desk("take", "enquiry", at=before_saturday_opens)["number"] == "A001"
    after_saturday_closes = datetime(2026, 10, 10, 8, 0, tzinfo=UTC)  # 16:00 local
    assert desk("take", "enquiry", at=after_saturday_closes)["number"] == "A002"
    refused = _refusal(desk, "enquiry", at=datetime(2026, 10, 10, 10, 0, tzinfo=UTC))
    assert "08:30–17:30" in refused.en  # 18:00 local: after Monday's closing
    # an ordinary Saturday keeps its own short hours
    refused = _refusal(desk, "enquiry", at=datetime(2026, 10, 17, 8, 0, tzinfo=UTC))
    assert "09:00–12:00" in refused.en


def test_sunday_is_closed_by_default(any_engine: Engine) -> None:
    refused = _refusal(Desk(any_engine), "claims", at=datetime(2026, 11, 22, 2, 0, tzinfo=UTC))
    assert refused.code == "closed"


def test_outside_opening_hours_is_refused_with_the_hours(any_engine: Engine) -> None:
    evening = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)  # 19:00 local, closes 17:30
    refused = _refusal(Desk(any_engine), "claims", at=evening)
    assert refused.code == "outside_hours"
    assert "08:30–17:30" in refused.zh
    assert "08:30–17:30" in refused.en


def test_service_hours_narrower_than_the_branch(any_engine: Engine) -> None:
    config = default_config()
    services = tuple(replace(s, hours=(time(9, 0), time(11, 0))) if s.code == "new_business"
                     else s for s in config.services)
    with unit_of_work(any_engine, write=True) as session:
        apply_config(session, replace(config, services=services))
    desk = Desk(any_engine)
    assert desk("take", "new_business", at=MONDAY_10AM)["number"] == "B001"
    afternoon = MONDAY_10AM + timedelta(hours=4)
    assert _refusal(desk, "new_business", at=afternoon).code == "outside_hours"
    assert desk("take", "claims", at=afternoon)["number"] == "D001"


def test_hours_to_24_00_take_a_ticket_in_the_last_second_and_read_24_00(
        any_engine: Engine) -> None:
    from kiosk.branch.settings import parse_hours

    config = replace(default_config(), hours=dict.fromkeys(range(7), parse_hours("00:00-24:00")))
    services = tuple(replace(s, hours=parse_hours("20:00-24:00")) if s.code == "vip" else s
                     for s in config.services)
    with unit_of_work(any_engine, write=True) as session:
        apply_config(session, replace(config, services=services))
    desk = Desk(any_engine)
    last_tenth = datetime(2026, 11, 23, 15, 59, 59, 900_000, tzinfo=UTC)  # 23:59:59.9 local
    assert desk("take", "claims", at=last_tenth)["number"] == "D001"
    assert desk("take", "vip", at=last_tenth)["number"] == "V001"
    refused = _refusal(desk, "vip", at=MONDAY_10AM)
    assert "20:00–24:00" in refused.zh
    assert "20:00–24:00" in refused.en


def test_disabled_service_is_refused(open_engine: Engine) -> None:
    config = open_all_hours()
    services = tuple(replace(s, enabled=False) if s.code == "complaints" else s
                     for s in config.services)
    with unit_of_work(open_engine, write=True) as session:
        apply_config(session, replace(config, services=services))
    refused = _refusal(Desk(open_engine), "complaints")
    assert refused.code == "disabled"
    assert "投诉建议" in refused.zh


def test_daily_cap_refuses_the_ticket_after_the_last_one(open_engine: Engine) -> None:
    config = open_all_hours()
    services = tuple(replace(s, daily_cap=2) if s.code == "vip" else s for s in config.services)
    with unit_of_work(open_engine, write=True) as session:
        apply_config(session, replace(config, services=services))
    desk = Desk(open_engine)
    desk("take", "vip")
    desk("take", "vip")
    refused = _refusal(desk, "vip")
    assert refused.code == "daily_cap"
    assert "2" in refused.zh
    assert "limit of 2" in refused.en
    # The refusal used no number: tomorrow starts at V001 and today stays at V002.
    assert desk("take", "vip", at=MONDAY_10AM + timedelta(days=1))["number"] == "V001"


def test_unknown_service_is_a_usage_error_listing_valid_codes(desk: Desk) -> None:
    with pytest.raises(UsageError) as info:
        desk("take", "mortgage")
    assert "claims" in info.value.en
    assert "enquiry" in info.value.en


# ----- calling order ---------------------------------------------------------------------

def test_priority_classes_come_first_then_longest_waiting(desk: Desk) -> None:
    t0 = MONDAY_10AM
    desk("take", "claims", at=t0)                                       # D001 normal
    desk("take", "claims", "care", at=t0 + timedelta(minutes=1))        # D002 care
    desk("take", "claims", "vip", at=t0 + timedelta(minutes=2))         # D003 vip
    desk("take", "claims", at=t0 + timedelta(minutes=3))                # D004 normal
    desk("open_counter", 4, "S1")
    later = t0 + timedelta(minutes=5)
    order = []
    for _ in range(4):
        order.append(desk("call_next", 4, at=later)["number"])
    assert order == ["D003", "D002", "D001", "D004"]


def test_a_vip_service_ticket_taken_with_care_keeps_the_vip_class(desk: Desk) -> None:
    t0 = MONDAY_10AM
    assert desk("take", "vip", "care", at=t0)["priority"] == "vip"     # V001
    desk("take", "vip", at=t0 + timedelta(minutes=1))                   # V002 plain
    assert desk.view("V002")["ahead"] == 1
    desk("open_counter", 6, "S6")
    assert desk("call_next", 6, at=t0 + timedelta(minutes=2))["number"] == "V001"


def test_normal_ticket_waiting_twice_the_target_overtakes_priority(desk: Desk) -> None:
    t0 = MONDAY_10AM  # claims target wait is 20 min: overtaking after 40
    desk("take", "claims", at=t0)                                       # D001 normal
    desk("take", "claims", "care", at=t0 + timedelta(minutes=30))       # D002 care
    desk("open_counter", 4, "S1")
    assert desk("call_next", 4, at=t0 + timedelta(minutes=39))["number"] == "D002"
    desk("take", "claims", "care", at=t0 + timedelta(minutes=39))       # D003 care
    assert desk("call_next", 4, at=t0 + timedelta(minutes=41))["number"] == "D001"


def test_within_a_class_the_longest_wait_comes_first_across_services(desk: Desk) -> None:
    desk("take", "enquiry")                                              # A001 first
    desk("take", "policy_change", at=MONDAY_10AM + timedelta(minutes=1))  # C001
    desk("open_counter", 3, "S3")  # counter 3 serves policy_change, then enquiry
    assert desk("call_next", 3, at=MONDAY_10AM + timedelta(minutes=2))["number"] == "A001"
    assert desk("call_next", 3, at=MONDAY_10AM + timedelta(minutes=2))["number"] == "C001"


def test_tickets_issued_at_the_same_instant_are_called_in_the_order_of_issue(
        desk: Desk) -> None:
    desk("take", "enquiry")                                              # A001
    desk("take", "policy_change")                                        # C001, same instant
    desk("open_counter", 3, "S3")  # counter 3 serves policy_change, then enquiry
    assert [desk("call_next", 3)["number"] for _ in range(2)] == ["A001", "C001"]


def test_counter_only_calls_its_own_services(desk: Desk) -> None:
    desk("take", "payments")
    desk("open_counter", 4, "S4")  # claims only
    assert desk("call_next", 4) is None


def test_a_closed_or_paused_counter_cannot_call(desk: Desk) -> None:
    desk("take", "claims")
    with pytest.raises(RuleRefused, match="closed"):
        desk("call_next", 4)
    desk("open_counter", 4, "S4")
    desk("open_counter", 5, "S5")
    desk("pause_counter", 4)
    with pytest.raises(RuleRefused, match="paused"):
        desk("call_next", 4)


def test_every_transition_is_an_event_with_counter_and_staff(desk: Desk) -> None:
    desk("take", "claims")
    desk("open_counter", 4, "S0401")
    desk("call_next", 4)
    desk("recall", 4)
    desk("start", 4)
    desk("finish", 4)
    assert desk.events("D001") == [
        ("issue", None, "waiting", None, None),
        ("call", "waiting", "called", 4, "S0401"),
        ("recall", "called", "called", 4, "S0401"),
        ("start", "called", "serving", 4, "S0401"),
        ("finish", "serving", "done", 4, "S0401"),
    ]
    view = desk.view("D001")
    assert view["status"] == "done"


def test_calling_next_finishes_the_customer_still_at_the_counter(desk: Desk) -> None:
    desk("take", "claims")
    desk("take", "claims")
    desk("open_counter", 4, "S1")
    desk("call_next", 4)
    desk("start", 4)
    assert desk("call_next", 4)["number"] == "D002"
    assert desk.view("D001")["status"] == "done"
    # The finish is an event, the outbox that asks the keypad for this customer's rating.
    assert desk.events("D001")[-1] == ("finish", "serving", "done", 4, "S1")


# ----- recall, no-show, cancel, out of order, transfer ----------------------------------

def test_no_show_needs_the_configured_number_of_recalls(desk: Desk) -> None:
    desk("take", "claims")
    desk("open_counter", 4, "S1")
    desk("call_next", 4)
    with pytest.raises(RuleRefused) as info:
        desk("no_show", 4)
    assert info.value.code == "recall_first"
    desk("recall", 4)
    assert desk("recall", 4)["recalls"] == 2
    assert desk("no_show", 4)["status"] == "no_show"


def test_cancel_a_waiting_ticket_but_not_a_finished_one(desk: Desk) -> None:
    desk("take", "claims")
    desk("take", "claims")
    assert desk("cancel", "D001")["status"] == "cancelled"
    desk("open_counter", 4, "S1")
    assert desk("call_next", 4)["number"] == "D002"
    desk("finish", 4)
    with pytest.raises(RuleRefused):
        desk("cancel", "D002")


def test_call_a_specific_ticket_out_of_order_is_recorded_with_staff(desk: Desk) -> None:
    for _ in range(3):
        desk("take", "claims")
    desk("open_counter", 4)
    with pytest.raises(UsageError):
        desk("call_number", 4, "D003")  # nobody on duty named
    assert desk("call_number", 4, "D003", "S0402")["number"] == "D003"
    assert desk.events("D003")[-1] == ("call_specific", "waiting", "called", 4, "S0402")
    with pytest.raises(RuleRefused):
        desk("call_number", 4, "D003", "S0402")  # no longer waiting
    with pytest.raises(NotFound):
        desk("call_number", 4, "D099", "S0402")


def test_transfer_keeps_number_and_issue_time_and_goes_ahead(desk: Desk) -> None:
    t0 = MONDAY_10AM
    desk("take", "claims", at=t0)                                # D001
    desk("take", "enquiry", at=t0 + timedelta(minutes=5))        # A001
    desk("open_counter", 4, "S4")
    desk("open_counter", 1, "S1")
    later = t0 + timedelta(minutes=10)
    desk("call_next", 4, at=later)
    desk("start", 4, at=later)
    moved = desk("transfer", 4, "enquiry", at=later)
    assert (moved["number"], moved["service"], moved["status"]) == ("D001", "enquiry", "waiting")
    assert moved["issued_at"] == "2026-11-23T10:00:00+08:00"
    assert moved["transferred_from"] == "claims"
    assert desk.events("D001")[-1][:3] == ("transfer", "serving", "waiting")
    # Its original issue time puts it before A001 at the enquiry counter.
    assert desk("call_next", 1, at=later)["number"] == "D001"


# ----- pausing -----------------------------------------------------------------------------

def test_pausing_the_only_open_counter_for_a_service_needs_a_supervisor(desk: Desk) -> None:
    desk("open_counter", 4, "S4")  # claims only
    with pytest.raises(RuleRefused) as info:
        desk("pause_counter", 4)
    assert info.value.code == "only_open_counter"
    assert "理赔" in info.value.zh
    assert "Claims" in info.value.en
    desk("pause_counter", 4, "SUP01")
    with unit_of_work(desk.engine) as session:
        last = session.scalars(select(CounterEvent).order_by(CounterEvent.id.desc())).first()
    assert last is not None
    assert (last.kind, last.supervisor, last.reason) == ("pause", "SUP01", "supervisor override")


def test_pausing_is_allowed_when_another_open_counter_covers_every_service(desk: Desk) -> None:
    desk("open_counter", 4, "S4")   # claims
    desk("open_counter", 5, "S5")   # claims, policy_change, complaints
    assert desk("pause_counter", 4).status == "paused"
    # Counter 5 is now alone for claims (and for its other services).
    with pytest.raises(RuleRefused):
        desk("pause_counter", 5)
    assert desk("resume_counter", 4).status == "open"


def test_set_counter_services_changes_what_it_calls(desk: Desk) -> None:
    desk("take", "payments")
    desk("open_counter", 4, "S4")
    assert desk("call_next", 4) is None
    desk("set_services", 4, ["payments", "claims"])
    assert desk("call_next", 4)["number"] == "E001"


# ----- estimates -------------------------------------------------------------------------

def test_estimate_uses_the_target_until_five_tickets_are_finished(desk: Desk) -> None:
    t0 = MONDAY_10AM
    desk("open_counter", 4, "S4")   # one open claims counter; counter 5 closed
    for i in range(4):
        desk("take", "claims", at=t0 + timedelta(seconds=i))
    # 3 ahead of D004, 1 open counter, target handling 15 min -> 45 min, ±20 % in 5s.
    view = desk.view("D004", at=t0 + timedelta(minutes=1))
    assert view["ahead"] == 3
    assert view["wait_min"] == [35, 55]


def test_estimate_switches_to_the_rolling_average_of_today(desk: Desk) -> None:
    t = MONDAY_10AM
    desk("open_counter", 4, "S4")
    for _ in range(5):  # five customers served in 3 minutes each
        desk("take", "claims", at=t)
        desk("call_next", 4, at=t)
        desk("start", 4, at=t)
        t += timedelta(minutes=3)
        desk("finish", 4, at=t)
    for _ in range(3):
        desk("take", "claims", at=t)
    view = desk.view("D008", at=t)
    assert view["ahead"] == 2
    assert view["wait_min"] == [0, 10]  # 2 x 3 min = 6 -> [4.8, 7.2] -> [0, 10]


def test_estimate_divides_by_open_counters(desk: Desk) -> None:
    for _ in range(5):
        desk("take", "claims")
    desk("open_counter", 4, "S4")
    one = desk.view("D005")["wait_min"]
    desk("open_counter", 5, "S5")
    two = desk.view("D005")["wait_min"]
    assert one == [45, 75]   # 4 x 15 = 60 -> [48, 72]
    assert two == [20, 40]   # 4 x 15 / 2 = 30 -> [24, 36]


def test_priority_ticket_counts_only_those_called_before_it(desk: Desk) -> None:
    for _ in range(3):
        desk("take", "claims")
    care = desk("take", "claims", "care")
    assert care["ahead"] == 0
    assert desk.view("D003")["ahead"] == 3


def test_vip_service_tickets_carry_vip_priority(desk: Desk) -> None:
    assert desk("take", "vip")["priority"] == "vip"


def test_a_refusal_caught_inside_one_action_leaves_the_counter_at_the_cap(
        open_engine: Engine) -> None:
    from kiosk.models import TicketSequence

    config = open_all_hours()
    services = tuple(replace(s, daily_cap=1) if s.code == "vip" else s for s in config.services)
    with unit_of_work(open_engine, write=True) as session:
        apply_config(session, replace(config, services=services))
    with unit_of_work(open_engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.take("vip")
        with pytest.raises(RuleRefused):
            lobby.take("vip")
        lobby.take("claims")  # the action goes on and commits
    with unit_of_work(open_engine) as session:
        last = session.scalar(select(TicketSequence.last_seq).where(
            TicketSequence.service_code == "vip"))
    assert last == 1


def test_calling_order_holds_deep_in_a_long_queue(desk: Desk) -> None:
    t0 = MONDAY_10AM
    for i in range(20):                                                   # D001-D020
        desk("take", "claims", at=t0 + timedelta(minutes=i))
    desk("take", "claims", "vip", at=t0 + timedelta(minutes=25))          # D021 vip
    for i in range(12):                                                   # A001-A012 care
        desk("take", "enquiry", "care", at=t0 + timedelta(minutes=26 + i))
    desk("open_counter", 5, "S5")  # claims first
    desk("set_services", 5, ["claims", "enquiry"])
    at = t0 + timedelta(minutes=39)  # nobody waits 40 min yet
    assert desk("call_next", 5, at=at)["number"] == "D021"                # vip first
    assert [desk("call_next", 5, at=at)["number"] for _ in range(12)] == \
        [f"A{i:03d}" for i in range(1, 13)]                               # then care
    later = t0 + timedelta(minutes=45)  # D001-D005 have waited over 40 min
    assert [desk("call_next", 5, at=later)["number"] for _ in range(7)] == \
        [f"D{i:03d}" for i in range(1, 8)]


def test_a_starving_ticket_behind_many_priority_tickets_is_still_found(desk: Desk) -> None:
    t0 = MONDAY_10AM
    desk("take", "claims", at=t0)                                         # D001 normal
    for i in range(12):                                                   # D002-D013 care
        desk("take", "claims", "care", at=t0 + timedelta(minutes=30 + i))
    desk("open_counter", 4, "S4")
    assert desk("call_next", 4, at=t0 + timedelta(minutes=41))["number"] == "D001"


def test_no_show_follows_the_configured_recall_limit(open_engine: Engine) -> None:
    config = open_all_hours()
    with unit_of_work(open_engine, write=True) as session:
        apply_config(session, replace(config, settings={**config.settings, "recall_limit": 3}))
    desk = Desk(open_engine)
    desk("take", "claims")
    desk("open_counter", 4, "S1")
    desk("call_next", 4)
    for _ in range(2):
        desk("recall", 4)
    with pytest.raises(RuleRefused) as info:
        desk("no_show", 4)  # two recalls of three: not yet
    assert info.value.code == "recall_first"
    assert "2/3" in info.value.zh
    desk("recall", 4)
    assert desk("no_show", 4)["status"] == "no_show"


def test_naming_a_service_twice_for_a_counter_is_a_usage_error(desk: Desk) -> None:
    with pytest.raises(UsageError) as info:
        desk("set_services", 4, ["claims", "enquiry", "claims"])
    assert "claims" in info.value.en
    assert "claims" in info.value.zh
    with unit_of_work(desk.engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        assert [s.code for s in lobby.counter_services(lobby.counter(4))] == ["claims"]
