"""The application layer as a screen calls it: typed results, one unit of work per call,
only KioskErrors, and what each screen needs in one answer."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import time, timedelta

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app import counters as desk
from kiosk.app.board import lobby_board
from kiosk.app.printer import PrinterStatus, printer_status, set_printer
from kiosk.app.staff import SupervisorPin, console, login
from kiosk.app.tickets import cancel_ticket, service_choices, show_ticket, take_ticket
from kiosk.branch.settings import apply_config
from kiosk.claims.records import record_check
from kiosk.db import unit_of_work
from kiosk.devices import printing
from kiosk.errors import RuleRefused, UsageError
from kiosk.privacy import audit
from kiosk.queue.lobby import Lobby
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.staff_support import PINS, add


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    return AppContext(any_engine, "K1")


def at(monkeypatch: pytest.MonkeyPatch, minutes: int) -> None:
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(minutes=minutes)).isoformat())


def test_the_take_screen_says_for_each_service_whether_and_why_not(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    with app.write() as session:
        branch = open_all_hours()
        services = tuple(
            replace(s, daily_cap=1) if s.code == "claims"
            else replace(s, enabled=False) if s.code == "complaints"
            else replace(s, hours=(time(13, 0), time(16, 30))) if s.code == "payments"
            else s for s in branch.services)
        apply_config(session, replace(branch, services=services))
    take_ticket(app, "claims")
    take_ticket(app, "enquiry")
    take_ticket(app, "enquiry")
    choices = {c.code: c for c in service_choices(app)}
    assert [c.code for c in service_choices(app)][:2] == ["enquiry", "new_business"]
    assert choices["enquiry"].available
    assert choices["enquiry"].waiting == 2
    assert choices["enquiry"].wait_min is not None
    assert choices["claims"].reason_code == "daily_cap"
    assert "1" in choices["claims"].reason_zh  # type: ignore[operator]
    assert not choices["complaints"].available
    assert choices["complaints"].reason_code == "disabled"
    assert not choices["complaints"].enabled
    assert choices["payments"].reason_code == "outside_hours"
    assert "13:00–16:30" in choices["payments"].reason_en  # type: ignore[operator]
    # The refusal the screen shows is the one taking would give.
    with pytest.raises(RuleRefused) as refused:
        take_ticket(app, "payments")
    assert refused.value.en == choices["payments"].reason_en
    json.dumps([c.to_json() for c in choices.values()])


def test_on_a_closed_day_no_service_can_be_taken(app: AppContext,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_NOW", "2026-11-22T10:00:00+08:00")  # a Sunday
    choices = service_choices(app)
    assert {c.reason_code for c in choices} <= {"closed", "disabled"}
    assert "closed" in {c.reason_code for c in choices}
    assert not any(c.available for c in choices)


def test_taking_a_ticket_answers_the_number_the_qr_and_the_print(
        app: AppContext, printer: FakePrinter) -> None:
    with app.write() as session:
        apply_config(session, open_all_hours())
    no_printer = take_ticket(app, "claims", print_ticket=True)
    assert no_printer.number == "D001"
    assert no_printer.print is not None
    assert no_printer.print.status == "no_printer"
    assert not no_printer.print.printed
    assert "devices set printer" in no_printer.print.reason_en
    assert no_printer.print.error is not None
    assert "D001" in no_printer.print.error.en  # the number is never lost with the error

    with app.write() as session:
        printing.set_printer(session, str(printer.link), "generic-80", "text",
                             station=app.station)
    printed = take_ticket(app, "claims", "care", print_ticket=True)
    assert printed.print is not None
    assert printed.print.status == "printed"
    assert printed.priority == "care"
    assert printed.reference == f"KIOSK:T:BR0001:2026-11-23:{printed.number}"
    assert printer.wait_for(lambda p: any(printed.reference in q for j in p.jobs for q in j.qr))

    printer.set_state("paper_out")
    queued = take_ticket(app, "claims", print_ticket=True)
    assert queued.print is not None
    assert queued.print.status == "queued"
    assert "paper" in queued.print.reason_en
    assert queued.print.port == str(printer.link)
    assert show_ticket(app, queued.number).status == "waiting"
    data = queued.to_json()
    assert "error" not in data["print"]
    assert json.loads(json.dumps(data))["print"]["job"] == queued.print.job
    assert plain_ticket_keys() <= set(data)


def test_printer_status_is_the_configured_printer_and_its_answer(
        app: AppContext, printer: FakePrinter) -> None:
    nothing = printer_status(app)
    assert nothing.printer is None
    assert nothing.status is None
    set_printer(app, str(printer.link), "generic-80", "text")
    state = printer_status(app)
    assert state.printer is not None
    assert state.printer.port == str(printer.link)
    assert state.status == PrinterStatus(True, False, "ok")
    printer.set_state("paper_out")
    assert printer_status(app).status == PrinterStatus(False, False, "out")
    printer.set_state("silent")
    assert printer_status(app).status == PrinterStatus(None, None, "unknown")
    json.dumps(state.to_json())


def plain_ticket_keys() -> set[str]:
    return {"number", "service", "service_name_zh", "service_name_en", "status", "priority",
            "issued_at", "business_date", "ahead", "wait_min", "counter", "recalls",
            "called_at", "transferred_from"}


def test_a_counter_view_has_its_queues_the_current_ticket_and_its_claim_check(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    with app.write() as session:
        apply_config(session, open_all_hours())
    first = take_ticket(app, "claims")
    take_ticket(app, "claims")
    take_ticket(app, "complaints")
    with app.write() as session:
        check = record_check(session, "inpatient", {}, ["CLAIM_FORM", "ID_INSURED"],
                             ticket_number=first.number)
        reference = check.reference
    opened = desk.open_counter(app, console(app), 5, "S0501")
    assert opened.status == "open"
    assert opened.ticket is None
    assert opened.current is None
    assert [(q.code, q.waiting) for q in opened.queues] == [
        ("claims", 2), ("policy_change", 0), ("complaints", 1)]
    at(monkeypatch, 17)
    called = desk.call_next(app, console(app), 5)
    assert called.ticket is not None
    assert called.ticket.number == first.number
    current = called.current
    assert current is not None
    assert current.number == first.number
    assert current.waited_min == 17
    assert current.recalls == 0
    assert current.claim_check is not None
    assert current.claim_check.reference == reference
    assert not current.claim_check.complete
    missing = {d.code: d.name_zh for d in current.claim_check.missing}
    assert "DISCHARGE" in missing
    assert "CLAIM_FORM" not in missing
    assert missing["DISCHARGE"] != "DISCHARGE"  # named for the clerk, not a code
    assert [(q.code, q.waiting) for q in called.queues][0] == ("claims", 1)
    recalled = desk.recall(app, console(app), 5)
    assert recalled.current is not None
    assert recalled.current.recalls == 1
    finished = desk.finish(app, console(app), 5)
    assert finished.ticket is not None
    assert finished.ticket.status == "done"
    assert finished.current is None
    assert desk.counter_view(app, 5).to_json() == {**finished.to_json(), "action": "view",
                                                   "ticket": None}
    json.dumps(called.to_json())


def test_counter_input_that_cannot_fit_the_database_is_a_usage_error(app: AppContext) -> None:
    for number in (0, 2**31, 99999999999999999999999):
        with pytest.raises(UsageError) as caught:
            desk.open_counter(app, console(app), number)
        assert "counter" in caught.value.en
    with pytest.raises(UsageError) as long_staff:
        desk.open_counter(app, console(app), 1, "S" * 41)
    assert long_staff.value.code == "too_long"
    with pytest.raises(UsageError):
        desk.pause_counter(app, console(app), 1, reason="x" * 201)
    with pytest.raises(UsageError):
        desk.open_counter(app, console(app), 1, "S\x00")
    with pytest.raises(UsageError):
        cancel_ticket(app, "A001", "r" * 201)
    assert desk.open_counter(app, console(app), 1, "S" * 40).staff == "S" * 40


def test_overriding_a_rule_at_the_counter_is_audited_with_the_station(
        app: AppContext) -> None:
    with app.write() as session:
        apply_config(session, open_all_hours())
    add(app, "S0401", "counter")
    add(app, "SUP1", "supervisor")
    clerk = login(app, "S0401", PINS["counter"])
    approval = SupervisorPin("SUP1", PINS["supervisor"])
    for _ in range(3):
        take_ticket(app, "claims")
    desk.open_counter(app, clerk, 4)
    desk.call_number(app, clerk, 4, "D003", "elderly", approval)
    desk.pause_counter(app, clerk, 4, "lunch", approval)  # the only claims counter open
    desk.resume_counter(app, clerk, 4)
    desk.open_counter(app, clerk, 5, "S0501")
    desk.pause_counter(app, clerk, 4, "", approval)  # counter 5 serves claims too
    with app.read() as session:
        rows = [(e.staff, e.action, e.subject, e.station, e.detail)
                for e in audit.entries(session, "BR0001", "Asia/Shanghai")
                if e.action in ("counter.call_specific", "counter.pause")]
    assert rows == [
        ("S0401", "counter.call_specific", "D003", "K1", "counter 4; approved by SUP1; elderly"),
        ("S0401", "counter.pause", "counter 4", "K1", "counter 4; override by SUP1; lunch"),
        ("S0401", "counter.pause", "counter 4", "K1", "counter 4"),
    ]


def test_the_board_is_the_lobby_snapshot_typed(app: AppContext) -> None:
    with app.write() as session:
        apply_config(session, open_all_hours())
    take_ticket(app, "enquiry")
    desk.open_counter(app, console(app), 1, "S1")
    desk.call_next(app, console(app), 1)
    board = lobby_board(app)
    with unit_of_work(app.engine) as session:
        assert board.to_json() == Lobby(session).snapshot()
    assert board.counters[0].ticket is not None
    assert board.counters[0].ticket.number == "A001"
