"""The counter terminal through its real widgets (pytest-qt, offscreen): PIN login and
lockout, every counter action by its button with the audit row it leaves, the two
supervisor overrides, the on-screen rating, the idle lock, a technician's view."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.models import AuditEntry, Rating
from kiosk.privacy.masking import find_unmasked
from tests.conftest import MONDAY_10AM
from tests.ui.counter_support import (
    PINS,
    branch_app,
    click,
    log_in,
    logged_in,
    press,
    take,
    texts,
    type_pin,
)
from ui import i18n, tasks, theme
from ui.counter.states import CounterState
from ui.counter.window import COMPACT_SIZE, CounterWindow
from ui.widgets import PinPad


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = branch_app(tmp_path)
    yield context
    context.close()


@pytest.fixture
def window(app: AppContext, qtbot: QtBot) -> CounterWindow:
    terminal = CounterWindow(app, 4)
    qtbot.addWidget(terminal)
    terminal.resize(*COMPACT_SIZE)
    terminal.show()
    return terminal


def audit(app: AppContext) -> list[tuple[str, str, str]]:
    with app.read() as session:
        return [(e.staff, e.action, e.subject) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.staff.not_like("cli:%"))
            .order_by(AuditEntry.id))]


def status_text(window: CounterWindow) -> str:
    return window.screen(CounterState.LOGIN).findChild(QLabel, "login-status").text()


def test_login_shows_the_desk_with_the_clerk_and_the_counter(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    assert window.state is CounterState.LOGIN
    logged_in(qtbot, window, "S0401")
    assert window.state is CounterState.DESK
    assert "王小明 (S0401)" in window.desk_screen.who.text()
    assert "4 号窗口" in window.desk_screen.who.text()
    assert "未开启" in window.desk_screen.who.text()
    assert window.desk_screen.buttons["open"].isEnabled()
    assert not window.desk_screen.buttons["call"].isEnabled()  # closed: open it first
    assert audit(app)[-1] == ("S0401", "login", "")


def test_wrong_pins_say_how_many_tries_are_left_then_the_lock_until_when(
        window: CounterWindow, qtbot: QtBot) -> None:
    for left in (4, 3, 2, 1):
        log_in(qtbot, window, "S0401", "9999")
        qtbot.waitUntil(lambda left=left: f"还可尝试 {left} 次" in status_text(window),
                        timeout=30_000)
    log_in(qtbot, window, "S0401", "9999")
    qtbot.waitUntil(lambda: "锁定至 10:05" in status_text(window), timeout=30_000)
    log_in(qtbot, window, "S0401")  # the right PIN, too late
    qtbot.waitUntil(lambda: window.screen(CounterState.LOGIN).form.pinpad.isEnabled(),
                    timeout=30_000)
    assert "锁定至 10:05" in status_text(window)
    assert window.state is CounterState.LOGIN


def test_every_counter_action_by_its_button_is_done_and_audited(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    take(app, count=3)
    logged_in(qtbot, window, "S0401")
    desk = window.desk_screen
    press(qtbot, window, "open")
    assert window.desk.view.status == "open"
    press(qtbot, window, "call")
    assert desk.number.text() == "D001"
    press(qtbot, window, "recall")
    assert desk.buttons["recall"].text() == "重呼（1）"
    assert "已重呼 1 次" in desk.details.text()
    press(qtbot, window, "start")
    assert "办理中" in desk.details.text()
    assert not desk.buttons["recall"].isEnabled()
    press(qtbot, window, "finish")
    # No keypad at counter 4: the customer rates on the screen.
    assert window.state is CounterState.RATING
    rating = window.screen(CounterState.RATING)
    click(qtbot, rating.value_buttons["satisfied"])
    qtbot.waitUntil(lambda: window.state is CounterState.DESK, timeout=30_000)
    press(qtbot, window, "call")
    assert desk.number.text() == "D002"
    press(qtbot, window, "recall")
    press(qtbot, window, "recall")
    press(qtbot, window, "no_show")
    assert desk.number.text() == "—"
    press(qtbot, window, "call")
    press(qtbot, window, "transfer")
    assert window.state is CounterState.TRANSFER
    transfer = window.screen(CounterState.TRANSFER)
    assert not transfer.service_buttons["claims"].isEnabled()  # where it already is
    click(qtbot, transfer.service_buttons["enquiry"])
    qtbot.waitUntil(lambda: window.state is CounterState.DESK, timeout=30_000)
    assert desk.number.text() == "—"
    assert desk.buttons["open"].text() == "关闭窗口"
    press(qtbot, window, "open")
    assert "未开启" in desk.who.text()
    assert [a for s, a, _ in audit(app) if s == "S0401"] == [
        "login", "counter.open", "counter.call", "counter.recall", "counter.start",
        "counter.finish", "counter.call", "counter.recall", "counter.recall",
        "counter.no_show", "counter.call", "counter.transfer", "counter.close"]
    with app.read() as session:
        stored = session.scalars(select(Rating)).one()
    assert (stored.value, stored.source, stored.staff) == ("satisfied", "screen", "S0401")


def test_calling_out_of_order_takes_a_reason_and_a_supervisor_pin(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    take(app, count=3)
    logged_in(qtbot, window, "S0401")
    press(qtbot, window, "open")
    press(qtbot, window, "call_specific")
    form = window.screen(CounterState.CALL_NUMBER)
    pad = form.findChild(PinPad, "supervisor-pin")
    form.findChild(QLineEdit, "ticket-number").setText("D003")
    click(qtbot, form.approve_button)
    assert "原因" in form.message.text()  # nothing is called without a reason
    assert not pad.isVisible()
    form.findChild(QLineEdit, "reason").setText("年长客户")
    click(qtbot, form.approve_button)
    assert pad.isVisible()
    form.findChild(QLineEdit, "supervisor-number").setText("S0401")  # a clerk's PIN
    type_pin(qtbot, pad, PINS["S0401"])
    qtbot.waitUntil(lambda: "不是主管" in form.message.text(), timeout=30_000)
    form.findChild(QLineEdit, "supervisor-number").setText("S0001")
    type_pin(qtbot, pad, PINS["S0001"])
    qtbot.waitUntil(lambda: window.state is CounterState.DESK, timeout=30_000)
    assert window.desk_screen.number.text() == "D003"
    assert ("S0401", "counter.call_specific", "D003") in audit(app)
    assert form.findChild(QLineEdit, "reason").text() == ""  # the form forgot it


def test_pausing_the_last_open_counter_asks_for_a_supervisor_then_resumes(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    logged_in(qtbot, window, "S0401")
    press(qtbot, window, "open")
    press(qtbot, window, "pause")
    assert window.state is CounterState.OVERRIDE
    override = window.screen(CounterState.OVERRIDE)
    assert "主管授权" in override.why.text()
    click(qtbot, override.approve_button)
    override.findChild(QLineEdit, "supervisor-number").setText("S0001")
    type_pin(qtbot, override.findChild(PinPad, "supervisor-pin"), "0000")
    qtbot.waitUntil(lambda: "密码错误" in override.message.text(), timeout=30_000)
    type_pin(qtbot, override.findChild(PinPad, "supervisor-pin"), PINS["S0001"])
    qtbot.waitUntil(lambda: window.state is CounterState.DESK, timeout=30_000)
    assert window.desk.view.status == "paused"
    assert window.desk_screen.buttons["pause"].text() == "恢复办公"
    press(qtbot, window, "pause")  # now Resume
    assert window.desk.view.status == "open"
    actions = [a for s, a, _ in audit(app) if s in ("S0401", "S0001")]
    assert actions[-4:] == ["login.wrong_pin", "login", "counter.pause", "counter.resume"]


def test_a_technician_sees_the_devices_and_no_queue(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    logged_in(qtbot, window, "T01")
    assert window.state is CounterState.DEVICES
    devices = window.screen(CounterState.DEVICES)
    assert "技术员" in texts(devices)
    assert "呼叫下一位" not in texts(devices)
    click(qtbot, devices.logout_button)
    assert window.state is CounterState.LOGIN
    # the logout is audited in a task: waited for until delivered, none left running
    qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=30_000)
    assert ("T01", "logout", "") in audit(app)


def test_left_idle_the_terminal_locks_and_keeps_the_number_for_the_pin(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    logged_in(qtbot, window, "S0401")
    assert window.idle.idle_ms == 5 * 60_000  # the branch's staff_idle_lock_minutes
    window.idle.idle_elapsed()  # what the timer calls after 5 idle minutes
    assert window.lock_overlay.isVisible()
    assert "秒后锁定" in window.lock_overlay.countdown_label.text()
    while window.idle.counting_down:
        window.idle.tick()
    assert window.state is CounterState.LOGIN
    assert window.desk.session is None
    login = window.screen(CounterState.LOGIN)
    assert login.findChild(QLineEdit, "staff-number").text() == "S0401"
    assert "锁定" in login.form.hint.text()
    qtbot.waitUntil(lambda: ("S0401", "logout.idle", "") in audit(app), timeout=30_000)
    type_pin(qtbot, login.findChild(PinPad, "pinpad"), PINS["S0401"])
    qtbot.waitUntil(lambda: window.state is CounterState.DESK, timeout=30_000)
    # the desk loads its view and set-up in tasks: delivered before the test ends
    qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=30_000)


def test_the_screens_switch_language_and_show_no_phone_number(
        window: CounterWindow, qtbot: QtBot, app: AppContext) -> None:
    take(app)
    logged_in(qtbot, window, "S0401")
    press(qtbot, window, "open")
    press(qtbot, window, "call")
    i18n.set_language("en")
    desk = window.desk_screen
    assert desk.buttons["call"].text() == "Call next"
    assert "Claims" in desk.details.text()
    assert "Counter 4" in desk.who.text()
    for state in CounterState:
        shown = texts(window.screen(state))
        assert find_unmasked(shown) == [], state


def _laid_out_pad(window: CounterWindow, qtbot: QtBot) -> tuple[QScrollArea, PinPad]:
    """The login's scroll area and PIN pad once laid out at the current text size (every
    key as wide as its text needs)."""
    login = window.screen(CounterState.LOGIN)
    area, pad = login.findChild(QScrollArea), login.findChild(PinPad, "pinpad")
    assert area is not None
    assert pad is not None
    keys = [*pad.digit_buttons.values(), pad.clear_button, pad.delete_button, pad.ok_button]
    qtbot.waitUntil(lambda: all(key.width() >= key.minimumSizeHint().width() for key in keys))
    return area, pad


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_at_large_text_the_login_fits_the_compact_window_without_a_sideways_scroll(
        window: CounterWindow, qtbot: QtBot, language: str) -> None:
    i18n.set_language(language)
    theme.apply_theme(large=True)
    area, pad = _laid_out_pad(window, qtbot)
    assert window.size().toTuple() == COMPACT_SIZE
    assert pad.delete_button.font().pixelSize() == theme.current_theme().title_px  # large keys
    assert area.horizontalScrollBar().maximum() == 0
    for key in (pad.clear_button, pad.delete_button, pad.ok_button):  # within its width
        right = key.mapTo(area.viewport(), key.rect().topRight()).x()
        assert 0 <= right < area.viewport().width(), key.objectName()


def test_where_there_is_room_the_pin_pads_columns_are_even(
        window: CounterWindow, qtbot: QtBot) -> None:
    i18n.set_language("en")  # "Delete" is its widest key
    _area, pad = _laid_out_pad(window, qtbot)
    keys = [*pad.digit_buttons.values(), pad.clear_button, pad.delete_button]
    assert {key.width() for key in keys} == {pad.delete_button.minimumSizeHint().width()}
