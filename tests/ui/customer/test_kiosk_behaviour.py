"""What holds on every customer screen: Back and Home everywhere but the welcome, touch
targets of at least 80 px at 1920x1080, a visible text or an accessible name on every
button and field, the language and large text switched at run time, the idle countdown
and reset (typing cleared), service information, and a friendly message with an error
id instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

import kiosk.app.tickets
from kiosk.app import AppContext
from tests.ui.customer.conftest import find, settle, touch
from ui import i18n, theme
from ui.cli import ROLES
from ui.customer.feedback import FeedbackScreen
from ui.customer.info import InfoScreen, InfoTopicScreen
from ui.customer.states import State
from ui.customer.welcome import WelcomeScreen
from ui.customer.window import CustomerWindow
from ui.screenshots import TOURS


def walk(qtbot: QtBot, window: CustomerWindow) -> Iterator[State | None]:
    """Every screen, reached by touch the way a customer reaches it; yields each state."""
    def press(*names: str) -> State | None:
        for name in names:
            touch(qtbot, find(window, name))
            settle(qtbot)
        return window.state  # type: ignore[return-value]

    yield window.state  # type: ignore[misc]
    yield press("entry-services")
    yield press("service-enquiry")
    press("home")
    yield press("entry-claim-type")
    yield press("claim-outpatient")
    yield press("minor_or_incapable-no", "by_agent-no", "accident_related-no",
                "paid_elsewhere-no", "next")
    yield press("check")
    press("home")
    yield press("entry-feedback")
    form = window.current_screen()
    assert isinstance(form, FeedbackScreen)
    form.text.insertPlainText("ok")
    yield press("category-other", "submit")
    press("home")
    yield press("entry-info")
    yield press("topic-hours")
    press("home")


def visible(window: QWidget, kind: type) -> list[QWidget]:
    return [w for w in window.findChildren(kind) if w.isVisible()
            and not w.objectName().startswith("qt_")]


@pytest.mark.parametrize("large", [False, True])
def test_every_screen_has_back_and_home_big_targets_and_names(
        qtbot: QtBot, window: CustomerWindow, large: bool) -> None:
    theme.apply_theme(large=large)
    seen = []
    for state in walk(qtbot, window):
        seen.append(state)
        screen = window.current_screen()
        assert screen is not None
        if state is State.WELCOME:
            assert screen.header is None
        else:
            assert screen.header is not None, state
            assert screen.header.back_button.isVisible(), state
            assert screen.header.home_button.isVisible(), state
        for widget in visible(window, QAbstractButton) + visible(window, QLineEdit) + \
                visible(window, QPlainTextEdit):
            name = widget.objectName() or type(widget).__name__
            if isinstance(widget, QCheckBox):
                assert widget.height() >= 80, (state, name, widget.height())
            else:
                assert min(widget.width(), widget.height()) >= 80, (
                    state, name, widget.size().toTuple())
            label = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
            assert label or widget.accessibleName(), (state, name)
    assert set(seen) == set(State)


def test_language_and_large_text_switch_at_run_time(
        qtbot: QtBot, window: CustomerWindow) -> None:
    welcome = window.current_screen()
    assert isinstance(welcome, WelcomeScreen)
    assert welcome.entries[State.SERVICES].title_label.text() == "取号"
    assert welcome.branch_label.text() == "客户服务中心"
    assert welcome.hotline_label.text() == "服务热线 95500"
    touch(qtbot, welcome.language_button)
    assert i18n.current_language() == "en"
    assert welcome.entries[State.SERVICES].title_label.text() == "Take a ticket"
    assert welcome.branch_label.text() == "Customer Service Centre"
    assert welcome.language_button.text() == "中文"
    touch(qtbot, welcome.large_button)
    assert theme.is_large_text()
    assert welcome.large_button.isChecked()
    assert welcome.language_button.height() >= 104  # 80 px x 1.3
    touch(qtbot, welcome.large_button)
    assert not theme.is_large_text()


def test_idle_countdown_then_welcome_with_the_typing_cleared(
        qtbot: QtBot, window: CustomerWindow) -> None:
    touch(qtbot, find(window, "language"))
    touch(qtbot, find(window, "entry-feedback"))
    form = window.current_screen()
    assert isinstance(form, FeedbackScreen)
    touch(qtbot, form.category_buttons["waiting"])
    form.text.insertPlainText("secret")
    qtbot.keyClicks(form.phone, "13812345678")
    window.idle.idle_elapsed()
    assert window.idle.counting_down
    assert window.idle.overlay is not None
    assert window.idle.overlay.isVisible()
    with qtbot.waitSignal(window.idle.timed_out, timeout=10_000):
        for _ in range(5):
            window.idle.tick()
    assert window.state is State.WELCOME
    assert form.text.toPlainText() == ""
    assert form.phone.text() == ""
    assert form.chosen() is None
    assert i18n.current_language() == "zh_CN"  # the next customer starts in Chinese


def test_the_idle_period_is_the_branch_setting(
        qtbot: QtBot, kiosk_app: AppContext) -> None:
    shell = CustomerWindow(kiosk_app)
    qtbot.add_widget(shell)
    with qtbot.waitSignal(shell.facts_task.finished, timeout=20_000):
        pass
    assert shell.idle.idle_ms == 60_000  # customer_idle_seconds, default 60
    assert shell.idle.idle_timer.interval() == 60_000


def test_service_information_pages(qtbot: QtBot, window: CustomerWindow) -> None:
    touch(qtbot, find(window, "entry-info"))
    settle(qtbot)
    info = window.current_screen()
    assert isinstance(info, InfoScreen)
    assert list(info.tiles) == ["new_business", "claims", "claim_documents", "commitments",
                                "hotline", "hours"]
    expected = {"new_business": "投保单", "claims": "95500", "claim_documents": "理赔申请书",
                "commitments": "3 个工作日", "hotline": "95500", "hours": "周一"}
    for code, words in expected.items():
        touch(qtbot, info.tiles[code])
        topic = window.current_screen()
        assert isinstance(topic, InfoTopicScreen)
        assert words in topic.text.text(), code
        touch(qtbot, find(window, "back"))
        assert window.current_screen() is info
    i18n.set_language("en")
    touch(qtbot, info.tiles["commitments"])
    topic = window.current_screen()
    assert isinstance(topic, InfoTopicScreen)
    assert "within 3 working days" in topic.text.text()


def test_an_unexpected_failure_is_a_friendly_message_with_an_error_id_in_the_log(
        qtbot: QtBot, window: CustomerWindow, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug")

    # A programming error inside the use case (not a KioskError): the customer must
    # not see it, staff must find it in the log.
    monkeypatch.setattr(kiosk.app.tickets, "service_choices", broken)
    monkeypatch.setattr("ui.customer.take.service_choices", broken)
    with caplog.at_level(logging.ERROR, logger="ui.tasks"):
        touch(qtbot, find(window, "entry-services"))
        settle(qtbot)
    panel = window.message_panel()
    assert panel is not None
    text = panel.text_label.text()
    assert "ZeroDivisionError" not in text
    assert "Traceback" not in text
    error_id = text.split("错误编号 ")[1].rstrip("。")
    assert error_id.startswith("E-")
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
    touch(qtbot, panel.home_button)
    assert window.state is State.WELCOME


def test_the_role_and_its_screenshot_tour_are_registered() -> None:
    assert ROLES["customer"].target == "ui.customer.window:make_window"
    assert ROLES["customer"].keyboard
    assert TOURS["customer"] == "ui.customer.tour:tour"
