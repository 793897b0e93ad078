"""Shell: navigation as an explicit state with history, Back and Home, lazy screens,
friendly messages with a way out, language changes reaching every screen."""

from __future__ import annotations

from enum import Enum

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication
from pytestqt.qtbot import QtBot

from kiosk.errors import RuleRefused, UsageError
from tests.ui.sample_screens import State, sample_shell
from ui import i18n
from ui.cli import parse_size
from ui.fullscreen import show_fullscreen, target_screen
from ui.shell import Shell
from ui.tasks import Failure


@pytest.fixture
def shell(qtbot: QtBot) -> Shell:
    return sample_shell(qtbot)


def test_move_to_enters_the_screen_with_its_params_and_leaves_the_old_one(
        shell: Shell) -> None:
    welcome = shell.screen(State.WELCOME)
    assert len(shell.built_screens()) == 1  # the others are built on first use
    shell.move_to(State.SERVICES, priority="care")
    services = shell.screen(State.SERVICES)
    assert shell.state is State.SERVICES
    assert shell.stack.currentWidget() is services
    assert services.calls == [("enter", {"priority": "care"})]  # type: ignore[attr-defined]
    assert welcome.calls[-1] == ("leave", {})  # type: ignore[attr-defined]
    assert shell.history == (State.WELCOME,)


def test_back_returns_with_the_old_params_and_skips_screens_that_keep_no_history(
        shell: Shell, qtbot: QtBot) -> None:
    shell.move_to(State.SERVICES, priority="care")
    shell.move_to(State.RESULT, number="A001")
    shell.move_to(State.FORM)
    assert shell.history == (State.WELCOME, State.SERVICES)  # RESULT is not kept
    form = shell.screen(State.FORM)
    assert form.header is not None
    qtbot.mouseClick(form.header.back_button, Qt.MouseButton.LeftButton)
    assert shell.state is State.SERVICES
    assert shell.screen(State.SERVICES).calls[-1] == (  # type: ignore[attr-defined]
        "enter", {"priority": "care"})
    shell.back()
    assert shell.state is State.WELCOME
    shell.back()  # nothing left: stays home
    assert shell.state is State.WELCOME
    assert shell.history == ()


def test_home_clears_the_history_and_screens_navigate_by_signal(
        shell: Shell, qtbot: QtBot) -> None:
    welcome = shell.screen(State.WELCOME)
    welcome.move_to(State.SERVICES, lang="en")
    assert shell.state is State.SERVICES
    services = shell.screen(State.SERVICES)
    services.move_to(State.FORM)
    form = shell.screen(State.FORM)
    assert form.header is not None
    qtbot.mouseClick(form.header.home_button, Qt.MouseButton.LeftButton)
    assert shell.state is State.WELCOME
    assert shell.history == ()


def test_reset_clears_typed_input_everywhere_and_goes_home(shell: Shell) -> None:
    shell.move_to(State.FORM)
    form = shell.screen(State.FORM)
    form.field.setText("13812345678")  # type: ignore[attr-defined]
    shell.notify("打印机缺纸", "warning", timeout_ms=0)
    shell.reset()
    assert shell.state is State.WELCOME
    assert form.field.text() == ""  # type: ignore[attr-defined]
    assert not shell.banner.isVisible()


def test_an_unknown_state_is_an_error(shell: Shell) -> None:
    class Other(Enum):
        NOWHERE = 1

    with pytest.raises(KeyError, match="NOWHERE"):
        shell.move_to(Other.NOWHERE)
    assert shell.state is State.WELCOME


def test_screen_without_a_state_is_still_the_monitor_the_window_is_on(shell: Shell) -> None:
    # Shell.screen(state) must not take away QWidget.screen(), which code handed any
    # widget calls to find the window's monitor.
    shell.show()
    assert shell.screen() is QGuiApplication.primaryScreen()


def test_a_failure_shows_a_friendly_message_with_back_and_home(
        shell: Shell, qtbot: QtBot) -> None:
    shell.show()
    qtbot.wait_exposed(shell)
    shell.move_to(State.SERVICES)
    shell.show_failure(Failure(ZeroDivisionError("boom"), "E-ABC123"))
    panel = shell.message_panel()
    assert panel is not None
    assert panel.isVisible()
    assert "E-ABC123" in panel.text_label.text()
    assert not panel.id_label.isVisible()  # the message quotes it once
    assert panel.title_label.text() == "无法完成此操作"
    assert "boom" not in panel.text_label.text()
    shell.show_message("打印机缺纸", "请记住您的号码", error_id="E-777777")
    assert panel.id_label.isVisible()
    assert "E-777777" in panel.id_label.text()
    assert panel.back_button.isVisible()
    assert panel.home_button.isVisible()
    qtbot.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)
    assert shell.message_panel() is None
    assert shell.state is State.SERVICES
    shell.show_failure(Failure(RuleRefused("该业务今日已满", "this service is full today")))
    panel = shell.message_panel()
    assert panel is not None
    assert panel.text_label.text() == "该业务今日已满"
    assert not panel.id_label.isVisible()
    i18n.set_language("en")
    assert panel.text_label.text() == "this service is full today"
    assert panel.home_button.text() == "Home"
    qtbot.mouseClick(panel.home_button, Qt.MouseButton.LeftButton)
    assert shell.message_panel() is None
    assert shell.state is State.WELCOME


def test_a_language_change_reaches_every_screen(shell: Shell) -> None:
    shell.move_to(State.SERVICES)
    services = shell.screen(State.SERVICES)
    assert services.label.text() == "返回"  # type: ignore[attr-defined]
    i18n.set_language("en")
    assert services.label.text() == "Back"  # type: ignore[attr-defined]
    assert services.header is not None
    assert services.header.home_button.text() == "Home"


class _WindowManagerClose(QCloseEvent):
    """A close request from outside the program (Alt+F4, a title-bar button)."""

    def spontaneous(self) -> bool:
        return True


def test_the_kiosk_window_refuses_outside_close_requests_until_staff_allow_it(
        shell: Shell, qtbot: QtBot) -> None:
    shell.show()
    qtbot.wait_exposed(shell)
    request = _WindowManagerClose()
    shell.closeEvent(request)
    assert not request.isAccepted()
    qtbot.keyClick(shell, Qt.Key.Key_Escape)
    qtbot.keyClick(shell, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    assert shell.isVisible()
    shell.allow_close = True
    request = _WindowManagerClose()
    shell.closeEvent(request)
    assert request.isAccepted()


def test_the_program_itself_can_close_the_window_and_quit(shell: Shell, qtbot: QtBot) -> None:
    shell.show()
    qtbot.wait_exposed(shell)
    assert shell.close() is True  # app.quit() closes windows this way (Qt 6 cancels a
    assert not shell.isVisible()  # quit when one refuses)


def test_full_screen_is_frameless_and_covers_the_screen(shell: Shell, qtbot: QtBot) -> None:
    screen = show_fullscreen(shell)
    qtbot.wait_exposed(shell)
    assert shell.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert shell.geometry() == screen.geometry()


def test_a_screen_number_that_does_not_exist_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        target_screen(7)
    assert "no screen 7" in caught.value.en
    assert "7" in caught.value.zh


def test_window_size_parsing() -> None:
    assert parse_size("1080x1920") == (1080, 1920)
    for bad in ("big", "100x100", "1080"):
        with pytest.raises(UsageError):
            parse_size(bad)


def test_only_the_current_screen_sets_how_small_the_stack_may_be(shell: Shell) -> None:
    # A tall screen that is not showing must not stop the window from giving the
    # on-screen keyboard its room (the stack would ask for the tallest of its pages).
    welcome = shell.screen(State.WELCOME)
    welcome.setMinimumHeight(900)
    shell.move_to(State.FORM)
    form_height = shell.screen(State.FORM).minimumSizeHint().height()
    assert shell.stack.minimumSizeHint().height() == form_height < 900
    shell.home()
    assert shell.stack.minimumSizeHint().height() == 900
