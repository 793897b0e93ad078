"""``kiosk run --role admin``: the role's window (ui.admin.window.make_window) opens on
the PIN login; a supervisor reaches the desk, a wrong PIN says so, a counter clerk is
turned away (the session ended at once); Log out and the idle lock end the session,
audited, and the lock keeps the staff number for the PIN."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.cli import Context
from tests.staff_support import PINS, add, at, audit_rows
from tests.ui.admin_support import shown_admin
from ui.admin.login import AdminLogin
from ui.admin.window import AdminState, AdminWindow, make_window
from ui.cli import RunContext, resolve_role


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           ) -> Iterator[AdminWindow]:
    at(monkeypatch, 0)
    cli = Context(db_url=f"sqlite:///{tmp_path / 'admin.db'}", station="ADMIN-PC")
    for number, role in (("S9001", "supervisor"), ("S0101", "counter")):
        add(cli.app, number, role)
    made = make_window(RunContext(cli=cli, args=argparse.Namespace(role="admin")))
    assert isinstance(made, AdminWindow)
    try:
        with shown_admin(qtbot, made):
            yield made
    finally:
        cli.close()


def log_in(qtbot: QtBot, window: AdminWindow, number: str, pin: str) -> AdminLogin:
    login = window.screen(AdminState.LOGIN)
    assert isinstance(login, AdminLogin)
    login.findChild(QLineEdit, "staff-number").setText(number)
    for digit in pin:
        qtbot.mouseClick(login.form.pinpad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(login.form.pinpad.ok_button, Qt.MouseButton.LeftButton)
    return login


def status(login: AdminLogin) -> str:
    return login.findChild(QLabel, "login-status").text()


def audited(app: AppContext) -> list[tuple[str, str]]:
    return [(who, action) for who, action, _, _ in audit_rows(app)
            if action.startswith(("login", "logout"))]


def test_the_admin_role_is_built_and_opens_on_the_login() -> None:
    role, factory = resolve_role("admin")
    assert factory is make_window
    assert role.keyboard
    assert role.demo


def test_a_supervisor_logs_in_to_the_desk_and_logs_out_audited(
        qtbot: QtBot, window: AdminWindow) -> None:
    assert window.state is AdminState.LOGIN
    login = log_in(qtbot, window, "S9001", "1111")
    qtbot.waitUntil(lambda: "4" in status(login))  # attempts left, in words
    assert window.state is AdminState.LOGIN
    log_in(qtbot, window, "S9001", PINS["supervisor"])
    qtbot.waitUntil(lambda: window.state is AdminState.DESK)
    assert window.context.staff.number == "S9001"
    assert "board" in window.desk.keys
    assert window.idle is not None
    assert window.idle.idle_ms == 5 * 60_000

    qtbot.mouseClick(window.desk.logout_button, Qt.MouseButton.LeftButton)
    assert window.state is AdminState.LOGIN
    assert login.form.number.text() == ""
    app = window.context.app
    qtbot.waitUntil(lambda: ("S9001", "logout") in audited(app))
    assert audited(app) == [("S9001", "login.wrong_pin"), ("S9001", "login"), ("S9001", "logout")]


def test_a_counter_clerk_is_turned_away_and_the_session_ends(
        qtbot: QtBot, window: AdminWindow) -> None:
    login = log_in(qtbot, window, "S0101", PINS["counter"])
    qtbot.waitUntil(lambda: "counter terminal" in status(login) or "柜台" in status(login))
    assert window.state is AdminState.LOGIN
    assert not window.context.logged_in
    app = window.context.app
    qtbot.waitUntil(lambda: ("S0101", "logout") in audited(app))
    assert audited(app) == [("S0101", "login"), ("S0101", "logout")]


def test_the_idle_lock_ends_the_session_and_keeps_the_number(
        qtbot: QtBot, window: AdminWindow) -> None:
    login = log_in(qtbot, window, "S9001", PINS["supervisor"])
    qtbot.waitUntil(lambda: window.state is AdminState.DESK)
    idle = window.idle
    assert idle is not None
    assert window.lock_overlay is not None
    idle.idle_elapsed()                      # the idle minutes are over: the countdown
    assert window.lock_overlay.isVisible()
    assert "15" in window.lock_overlay.countdown_label.text()
    idle.activity()                          # a touch cancels it
    assert not window.lock_overlay.isVisible()
    assert window.state is AdminState.DESK
    idle.idle_elapsed()
    while idle.counting_down:
        idle.tick()
    assert window.state is AdminState.LOGIN
    assert not window.context.logged_in
    assert not window.lock_overlay.isVisible()
    assert login.form.number.text() == "S9001"
    assert "PIN" in login.form.hint.text() or "密码" in login.form.hint.text()
    app = window.context.app
    qtbot.waitUntil(lambda: ("S9001", "logout.idle") in audited(app))
    idle.idle_elapsed()                      # nobody logged in: nothing counts down
    assert not idle.counting_down
