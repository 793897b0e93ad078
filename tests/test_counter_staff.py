"""The counter actions under a staff session (kiosk.app.counters): every action
audited with who, what and where; the 暂停办公 override and the out-of-order call
approved by a supervisor's PIN; a role that may not serve is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from kiosk.app import AppContext, counters, desk, privacy
from kiosk.app import staff as staff_app
from kiosk.app.staff import SupervisorPin
from kiosk.branch.settings import apply_config
from kiosk.errors import RuleRefused, UsageError
from kiosk.models import CounterEvent, TicketEvent
from kiosk.queue.lobby import Lobby
from kiosk.staff.accounts import LoginRefused
from kiosk.staff.permissions import NotPermitted, StaffSession
from tests.conftest import open_all_hours
from tests.staff_support import PINS, add, at, audit_rows


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)
    context = AppContext(any_engine, "C4")
    with context.write() as session:
        apply_config(session, open_all_hours())
    add(context, "S0401", "counter")
    add(context, "S0001", "supervisor", "李主管")
    add(context, "T01", "technician")
    return context


@pytest.fixture
def clerk(app: AppContext) -> StaffSession:
    return staff_app.login(app, "S0401", PINS["counter"])


def take(app: AppContext, service: str = "claims", count: int = 1) -> list[str]:
    with app.write() as session:
        lobby = Lobby(session)
        return [lobby.take(service).number for _ in range(count)]


def desk_rows(app: AppContext) -> list[tuple[str, str, str, str]]:
    return [row for row in audit_rows(app) if row[1].startswith("counter.")]


def test_every_counter_action_is_done_as_the_logged_in_clerk_and_audited(
        app: AppContext, clerk: StaffSession) -> None:
    take(app, count=2)
    view = counters.open_counter(app, clerk, 4)
    assert (view.status, view.staff) == ("open", "S0401")
    view = counters.call_next(app, clerk, 4)
    assert view.current is not None
    assert view.current.number == "D001"
    assert counters.recall(app, clerk, 4).current.recalls == 1  # type: ignore[union-attr]
    counters.start_serving(app, clerk, 4)
    finished = counters.finish(app, clerk, 4)
    assert finished.current is None
    assert finished.ticket is not None
    assert finished.ticket.number == "D001"
    counters.call_next(app, clerk, 4)
    counters.transfer(app, clerk, 4, "enquiry")
    setup = desk.desk_setup(app, clerk, 4)
    assert setup.has_keypad is False
    assert setup.rating_values == ("very_satisfied", "satisfied", "neutral", "dissatisfied")
    assert setup.idle_lock_minutes == 5
    assert "claims" in [s.code for s in setup.services]
    counters.close_counter(app, clerk, 4)
    assert desk_rows(app) == [
        ("S0401", "counter.open", "counter 4", "C4"),
        ("S0401", "counter.call", "D001", "C4"),
        ("S0401", "counter.recall", "D001", "C4"),
        ("S0401", "counter.start", "D001", "C4"),
        ("S0401", "counter.finish", "D001", "C4"),
        ("S0401", "counter.call", "D002", "C4"),
        ("S0401", "counter.transfer", "D002", "C4"),
        ("S0401", "counter.close", "counter 4", "C4"),
    ]
    with app.read() as session:
        staff = set(session.scalars(select(TicketEvent.staff).where(
            TicketEvent.kind.in_(["call", "finish"]))))
    assert staff == {"S0401"}


def test_no_show_after_the_recalls_is_audited(app: AppContext, clerk: StaffSession) -> None:
    take(app)
    counters.open_counter(app, clerk, 4)
    counters.call_next(app, clerk, 4)
    with pytest.raises(RuleRefused) as early:
        counters.no_show(app, clerk, 4)
    assert early.value.code == "recall_first"
    counters.recall(app, clerk, 4)
    counters.recall(app, clerk, 4)
    assert counters.no_show(app, clerk, 4).current is None
    assert desk_rows(app)[-1] == ("S0401", "counter.no_show", "D001", "C4")


def test_pausing_the_last_open_counter_needs_a_supervisor_pin(
        app: AppContext, clerk: StaffSession) -> None:
    counters.open_counter(app, clerk, 4)
    with pytest.raises(RuleRefused) as alone:
        counters.pause_counter(app, clerk, 4, "lunch")
    assert alone.value.code == "only_open_counter"
    with pytest.raises(LoginRefused) as wrong:
        counters.pause_counter(app, clerk, 4, "lunch", SupervisorPin("S0001", "0000"))
    assert wrong.value.code == "wrong_pin"
    with pytest.raises(LoginRefused) as clerk_pin:
        counters.pause_counter(app, clerk, 4, "lunch", SupervisorPin("S0401", PINS["counter"]))
    assert clerk_pin.value.code == "not_supervisor"
    view = counters.pause_counter(app, clerk, 4, "lunch",
                                  SupervisorPin("S0001", PINS["supervisor"]))
    assert view.status == "paused"
    with app.read() as session:
        event = session.scalars(select(CounterEvent).where(CounterEvent.kind == "pause")).one()
    assert (event.supervisor, event.staff) == ("S0001", "S0401")
    assert desk_rows(app)[-1] == ("S0401", "counter.pause", "counter 4", "C4")
    assert ("S0001", "login", "", "C4") in audit_rows(app)
    assert counters.resume_counter(app, clerk, 4).status == "open"


def test_a_pause_the_rule_allows_does_not_ask_for_the_supervisor(
        app: AppContext, clerk: StaffSession) -> None:
    other = staff_app.login(app, "S0001", PINS["supervisor"])
    counters.open_counter(app, other, 5)  # counter 5 also serves claims
    counters.open_counter(app, clerk, 4)
    before = len(audit_rows(app))
    # The rule allows this pause: the (wrong) PIN is not even checked.
    view = counters.pause_counter(app, clerk, 4, "", SupervisorPin("S0001", "0000"))
    assert view.status == "paused"
    assert [a for _, a, _, _ in audit_rows(app)[before:]] == ["counter.pause"]


def test_calling_out_of_order_needs_a_reason_and_a_supervisor_pin(
        app: AppContext, clerk: StaffSession) -> None:
    take(app, count=3)
    counters.open_counter(app, clerk, 4)
    approval = SupervisorPin("S0001", PINS["supervisor"])
    with pytest.raises(UsageError):
        counters.call_number(app, clerk, 4, "D003", "  ", approval)
    with pytest.raises(LoginRefused):
        counters.call_number(app, clerk, 4, "D003", "elderly customer", SupervisorPin("S0001",
                                                                                  "1470"))
    view = counters.call_number(app, clerk, 4, "d003", "elderly customer", approval)
    assert view.current is not None
    assert view.current.number == "D003"
    assert desk_rows(app)[-1] == ("S0401", "counter.call_specific", "D003", "C4")
    entry = privacy.audit_log(app, staff_app.console(app), action="counter.call_specific")
    assert entry[0].detail == "counter 4; approved by S0001; elderly customer"
    with app.read() as session:
        kinds = session.scalars(select(TicketEvent.kind).where(
            TicketEvent.kind == "call_specific")).all()
    assert kinds == ["call_specific"]
    assert repr(approval) == "SupervisorPin('S0001', pin=***)"


def test_a_technician_cannot_serve_at_a_counter(app: AppContext) -> None:
    technician = staff_app.login(app, "T01", PINS["technician"])
    with pytest.raises(NotPermitted):
        counters.call_next(app, technician, 4)
    assert audit_rows(app)[-1] == ("T01", "denied", "serve", "C4")
