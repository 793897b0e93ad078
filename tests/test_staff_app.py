"""Staff through the application layer: PIN login and lockout, supervisor approval,
the permission check every staff use case goes through, account changes, and the
audit entry each of them leaves."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from sqlalchemy import Engine

import kiosk.app
from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.app.staff import SessionEnded
from kiosk.errors import UsageError
from kiosk.staff.accounts import LoginRefused
from kiosk.staff.permissions import NotPermitted, Permission, StaffSession
from tests.conftest import MONDAY_10AM
from tests.staff_support import PINS, add, at, audit_rows


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)
    return AppContext(any_engine, "C4")


def test_a_right_pin_opens_a_session_at_this_station_and_is_audited(app: AppContext) -> None:
    add(app, "S0401", "counter")
    session = staff_app.login(app, "S0401", PINS["counter"])
    assert (session.number, session.name, session.role, session.station) == (
        "S0401", "王小明", "counter", "C4")
    assert session.started_at == MONDAY_10AM
    assert audit_rows(app)[-1] == ("S0401", "login", "", "C4")
    assert audit_rows(app)[0][:2] == (staff_app.console(app).number, "staff.add")


def test_five_wrong_pins_lock_the_account_until_a_time_then_it_opens_again(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    add(app, "S0401", "counter")
    left = []
    for _ in range(4):
        with pytest.raises(LoginRefused) as wrong:
            staff_app.login(app, "S0401", "1111")
        left.append(wrong.value.attempts_left)
    assert left == [4, 3, 2, 1]
    with pytest.raises(LoginRefused) as locked:
        staff_app.login(app, "S0401", "1111")
    assert locked.value.code == "locked"
    assert "10:05" in locked.value.zh
    at(monkeypatch, 4)
    with pytest.raises(LoginRefused) as still:  # the right PIN does not open it early
        staff_app.login(app, "S0401", PINS["counter"])
    assert still.value.code == "locked"
    at(monkeypatch, 5)
    assert staff_app.login(app, "S0401", PINS["counter"]).number == "S0401"
    actions = [a for s, a, _, _ in audit_rows(app) if s == "S0401"]
    assert actions == ["login.wrong_pin"] * 4 + ["login.locked", "login.locked", "login"]


def test_an_unknown_number_gets_the_wrong_pin_answer_and_a_disabled_one_says_so(
        app: AppContext) -> None:
    add(app, "S0401", "counter")
    with pytest.raises(LoginRefused) as unknown:
        staff_app.login(app, "S9999", "2580")
    assert unknown.value.code == "wrong_pin"
    assert unknown.value.attempts_left is None
    assert ("unknown", "login.unknown_number", "", "C4") in audit_rows(app)
    assert not any("S9999" in "".join(row) for row in audit_rows(app))
    staff_app.set_enabled(app, staff_app.console(app), "S0401", False)
    with pytest.raises(LoginRefused) as disabled:
        staff_app.login(app, "S0401", PINS["counter"])
    assert disabled.value.code == "disabled"


def test_only_a_supervisor_pin_approves_an_override(app: AppContext) -> None:
    add(app, "S0401", "counter")
    add(app, "S0001", "supervisor", "李主管")
    assert staff_app.approve(app, "S0001", PINS["supervisor"], Permission.OVERRIDE).number \
        == "S0001"
    with pytest.raises(LoginRefused) as not_supervisor:
        staff_app.approve(app, "S0401", PINS["counter"], Permission.OVERRIDE)
    assert not_supervisor.value.code == "not_supervisor"
    with pytest.raises(LoginRefused) as wrong:
        staff_app.approve(app, "S0001", "9999", Permission.OVERRIDE)
    assert wrong.value.attempts_left == 4


def test_a_role_without_the_permission_is_refused_and_the_attempt_audited(
        app: AppContext) -> None:
    add(app, "S0401", "counter")
    add(app, "T01", "technician")
    for number, role in (("S0401", "counter"), ("T01", "technician")):
        session = staff_app.login(app, number, PINS[role])
        with pytest.raises(NotPermitted):
            staff_app.list_staff(app, session)
        assert audit_rows(app)[-1] == (number, "denied", "staff", "C4")


def test_a_session_ends_when_its_account_is_disabled_or_changes_role(app: AppContext) -> None:
    add(app, "S0001", "supervisor")
    add(app, "S0002", "supervisor")
    session = staff_app.login(app, "S0001", PINS["supervisor"])
    assert [v.number for v in staff_app.list_staff(app, session)] == ["S0001", "S0002"]
    other = staff_app.login(app, "S0002", PINS["supervisor"])
    staff_app.set_role(app, other, "S0001", "counter")
    with pytest.raises(SessionEnded):
        staff_app.list_staff(app, session)
    staff_app.set_enabled(app, other, "S0002", False)
    with pytest.raises(SessionEnded):
        staff_app.list_staff(app, other)


def test_account_changes_are_validated_and_audited(app: AppContext) -> None:
    console = staff_app.console(app)
    view = staff_app.add_staff(app, console, "S0401", "王小明", "counter", "2580")
    assert (view.number, view.role, view.enabled, view.has_photo) == (
        "S0401", "counter", True, False)
    with pytest.raises(UsageError):
        staff_app.add_staff(app, console, "S0402", "李雷", "counter", "1234")
    staff_app.reset_pin(app, console, "S0401", "7410")
    staff_app.set_photo(app, console, "S0401", b"\xff\xd8\xff" + b"\0" * 10)
    assert staff_app.list_staff(app, console)[0].has_photo
    assert staff_app.login(app, "S0401", "7410").number == "S0401"
    assert [a for _, a, _, _ in audit_rows(app)] == [
        "staff.add", "staff.reset_pin", "staff.photo", "login"]


def test_a_console_session_acts_under_the_operating_system_user(app: AppContext) -> None:
    console = staff_app.console(app)
    assert console.number.startswith("cli:")
    assert staff_app.is_console(console)
    assert console.permissions == set(Permission)


def _staff_use_cases() -> list[tuple[str, object]]:
    found = []
    for info in pkgutil.iter_modules(kiosk.app.__path__):
        module = importlib.import_module(f"kiosk.app.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            hints = inspect.signature(inspect.unwrap(function), eval_str=True).parameters
            if any(p.annotation is StaffSession for p in hints.values()):
                found.append((f"{module.__name__}.{name}", function))
    return found


def test_every_use_case_taking_a_staff_session_checks_its_permission() -> None:
    use_cases = _staff_use_cases()
    assert len(use_cases) >= 8  # the check below must have something to check
    unchecked = [name for name, function in use_cases if not hasattr(function, "permission")
                 and name not in ("kiosk.app.staff.authorize", "kiosk.app.staff.is_console",
                                  "kiosk.app.staff.note")]
    assert unchecked == []
