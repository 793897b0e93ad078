"""The shared PIN login form (ui.widgets.LoginForm) with a real staff login on a SQLite
file: no number, a wrong PIN, a role the screen's check turns away, one it admits;
the login runs as a task under the name given; the number row's two layouts."""

from __future__ import annotations

from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.staff.permissions import StaffSession
from tests.staff_support import PINS, add, at
from ui import i18n, tasks
from ui.widgets import LoginForm, PinPad

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)
    context = AppContext(engine, "K1")
    add(context, "S0101", "counter", "李柜员")
    add(context, "S9001", "supervisor", "王主管")
    return context


def supervisors_only(session: StaffSession) -> str | None:
    return None if session.role == "supervisor" else "Supervisors only here."


def shown(qtbot: QtBot, form: LoginForm, width: int = 1200) -> LoginForm:
    qtbot.addWidget(form)
    form.resize(width, 900)
    form.show()
    return form


def log_in(qtbot: QtBot, form: LoginForm, number: str, pin: str) -> None:
    form.findChild(QLineEdit, "staff-number").setText(number)
    pad = form.findChild(PinPad, "pinpad")
    for digit in pin:
        qtbot.mouseClick(pad.digit_buttons[digit], LEFT)
    qtbot.mouseClick(pad.ok_button, LEFT)


def status(form: LoginForm) -> str:
    return form.findChild(QLabel, "login-status").text()


def test_no_staff_number_asks_for_it_and_starts_no_login(
        qtbot: QtBot, app: AppContext) -> None:
    form = shown(qtbot, LoginForm(partial(staff_app.login, app)))
    log_in(qtbot, form, "  ", PINS["counter"])
    assert status(form) == "请先输入工号。"
    assert tasks.pending_tasks() == []
    assert form.pinpad.isEnabled()


def test_a_wrong_pin_is_refused_in_words_and_the_pad_comes_back(
        qtbot: QtBot, app: AppContext) -> None:
    form = shown(qtbot, LoginForm(partial(staff_app.login, app), name="desk_login"))
    results: list[object] = []
    form.admitted.connect(results.append)
    form.turned_away.connect(results.append)
    log_in(qtbot, form, "S0101", "1111")
    assert tasks.pending_tasks() == ["desk_login"]  # the login runs in a worker
    assert not form.pinpad.isEnabled()
    assert status(form) == "正在验证…"
    qtbot.waitUntil(lambda: status(form) != "正在验证…", timeout=30_000)
    assert "4" in status(form)  # attempts left
    assert form.pinpad.isEnabled()
    assert results == []


@pytest.mark.parametrize(("number", "role", "emitted", "shown_status"), [
    ("S0101", "counter", "turned_away", "Supervisors only here."),
    ("S9001", "supervisor", "admitted", ""),
])
def test_the_check_admits_a_role_or_turns_it_away_with_its_reason(
        qtbot: QtBot, app: AppContext, number: str, role: str, emitted: str,
        shown_status: str) -> None:
    form = shown(qtbot, LoginForm(partial(staff_app.login, app), check=supervisors_only))
    other = {"admitted": form.turned_away, "turned_away": form.admitted}[emitted]
    others: list[StaffSession] = []
    other.connect(others.append)
    with qtbot.waitSignal(getattr(form, emitted), timeout=30_000) as signal:
        log_in(qtbot, form, number, PINS[role])
    assert signal.args[0].number == number
    assert status(form) == shown_status
    assert others == []
    assert form.pinpad.isEnabled()


def test_clear_leaves_nothing_typed(qtbot: QtBot, app: AppContext) -> None:
    form = shown(qtbot, LoginForm(partial(staff_app.login, app)))
    form.number.setText("S0101")
    form.pinpad.press_digit("7")
    form.status.setText("正在验证…")
    form.clear()  # the screen's reset
    assert form.number.text() == ""
    assert form.pinpad.length == 0
    assert status(form) == ""


def test_the_number_row_is_centred_or_takes_the_width(qtbot: QtBot, app: AppContext) -> None:
    centred = shown(qtbot, LoginForm(partial(staff_app.login, app)))
    wide = shown(qtbot, LoginForm(partial(staff_app.login, app), wide_number=True))
    qtbot.waitUntil(lambda: centred.isVisible() and wide.isVisible())
    assert wide.number.width() > 1200 // 2
    assert centred.number.width() < 1200 // 2
    left = centred.number_label.mapTo(centred, centred.number_label.rect().topLeft()).x()
    right = centred.width() - centred.number.mapTo(
        centred, centred.number.rect().topRight()).x()
    assert abs(left - right) <= 2  # label and field stand in the middle


def test_the_focus_goes_to_the_pin_once_a_number_is_there(
        qtbot: QtBot, app: AppContext) -> None:
    form = shown(qtbot, LoginForm(partial(staff_app.login, app)))
    form.activateWindow()
    form.enter()
    qtbot.waitUntil(lambda: form.number.hasFocus())
    assert not form.locked
    form.enter(number="S0101", locked=True)  # the idle lock keeps the number
    qtbot.waitUntil(lambda: form.pinpad.hasFocus())
    assert form.number.text() == "S0101"
    assert form.locked
    form.clear()
    assert not form.locked


def test_its_words_follow_the_language(qtbot: QtBot, app: AppContext) -> None:
    form = shown(qtbot, LoginForm(partial(staff_app.login, app)))
    assert form.number_label.text() == "工号"
    i18n.set_language("en")
    assert form.number_label.text() == "Staff number"
    assert form.number.accessibleName() == "Staff number"
