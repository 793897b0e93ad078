"""Idle reset: after the idle period a visible countdown with Continue, then the
welcome screen with everything typed cleared. Intervals are injected; the logic is
driven by calling what the timers call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.sample_screens import State, sample_shell
from ui import i18n
from ui.idle import IdleWatcher, attach_idle_reset


def test_countdown_ticks_down_and_times_out(qtbot: QtBot) -> None:
    watcher = IdleWatcher(idle_ms=60_000, countdown_ms=3_000, tick_ms=1_000)
    started, ticks, timeouts = [], [], []
    watcher.countdown_started.connect(started.append)
    watcher.countdown_tick.connect(ticks.append)
    watcher.timed_out.connect(lambda: timeouts.append(True))
    watcher.idle_elapsed()
    assert started == [3]
    assert watcher.counting_down
    watcher.tick()
    watcher.tick()
    assert ticks == [2, 1]
    assert timeouts == []
    watcher.tick()
    assert timeouts == [True]
    assert not watcher.counting_down
    assert watcher.idle_timer.isActive()  # waiting for the next idle period


def test_any_input_during_the_countdown_cancels_it() -> None:
    watcher = IdleWatcher(idle_ms=60_000, countdown_ms=3_000)
    cancelled, timeouts = [], []
    watcher.countdown_cancelled.connect(lambda: cancelled.append(True))
    watcher.timed_out.connect(lambda: timeouts.append(True))
    watcher.idle_elapsed()
    watcher.activity()
    for _ in range(5):
        watcher.tick()
    assert cancelled == [True]
    assert timeouts == []


def test_nothing_counts_down_when_there_is_nothing_to_reset() -> None:
    watcher = IdleWatcher(idle_ms=60_000, active=lambda: False)
    started: list[int] = []
    watcher.countdown_started.connect(started.append)
    watcher.idle_elapsed()
    assert started == []
    assert watcher.idle_timer.isActive()


def test_a_touch_restarts_the_idle_wait(qtbot: QtBot) -> None:
    shell = sample_shell(qtbot)
    shell.show()
    qtbot.wait_exposed(shell)
    watcher = attach_idle_reset(shell, idle_ms=600_000)
    watcher.idle_timer.stop()
    qtbot.mouseClick(shell.stack, Qt.MouseButton.LeftButton)  # seen by the app-wide filter
    assert watcher.idle_timer.isActive()
    watcher.stop()


def test_idle_shows_a_countdown_then_clears_input_and_goes_home(qtbot: QtBot) -> None:
    shell = sample_shell(qtbot)
    shell.show()
    qtbot.wait_exposed(shell)
    shell.move_to(State.SERVICES)
    shell.move_to(State.FORM)
    form = shell.screen(State.FORM)
    form.field.setText("138 1234 5678")  # type: ignore[attr-defined]
    watcher = attach_idle_reset(shell, idle_ms=20, countdown_ms=60, tick_ms=20)
    overlay = watcher.overlay
    assert overlay is not None
    with qtbot.wait_signal(watcher.countdown_started, timeout=5_000):
        pass
    assert overlay.isVisible()
    assert "秒后将返回首页" in overlay.countdown_label.text()
    assert overlay.continue_button.text() == "继续"
    assert overlay.geometry() == shell.rect()
    i18n.set_language("en")
    assert "Returning to the start screen in" in overlay.countdown_label.text()
    with qtbot.wait_signal(watcher.timed_out, timeout=5_000):
        pass
    assert shell.state is State.WELCOME
    assert shell.history == ()
    assert form.field.text() == ""  # type: ignore[attr-defined]
    assert not overlay.isVisible()
    watcher.stop()


def test_continue_keeps_the_customer_where_they_were(qtbot: QtBot) -> None:
    shell = sample_shell(qtbot)
    shell.show()
    qtbot.wait_exposed(shell)
    shell.move_to(State.FORM)
    form = shell.screen(State.FORM)
    form.field.setText("A001")  # type: ignore[attr-defined]
    watcher = attach_idle_reset(shell, idle_ms=600_000, countdown_ms=15_000)
    watcher.idle_elapsed()
    overlay = watcher.overlay
    assert overlay is not None
    assert overlay.isVisible()
    assert "15" in overlay.countdown_label.text()
    with qtbot.wait_signal(watcher.countdown_cancelled, timeout=5_000):
        qtbot.mouseClick(overlay.continue_button, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible()
    assert shell.state is State.FORM
    assert form.field.text() == "A001"  # type: ignore[attr-defined]
    watcher.stop()


def test_a_screen_that_holds_stops_the_countdown_until_it_lets_go(qtbot: QtBot) -> None:
    shell = sample_shell(qtbot)
    holding = [True]
    watcher = attach_idle_reset(shell, idle_ms=600_000, hold=lambda: holding[0])
    shell.move_to(State.RESULT)
    watcher.idle_elapsed()
    assert not watcher.counting_down  # a number that did not print stays up
    assert watcher.idle_timer.isActive()
    holding[0] = False
    watcher.idle_elapsed()
    assert watcher.counting_down
    watcher.stop()


def test_the_idle_period_can_change_after_start_up() -> None:
    watcher = IdleWatcher(idle_ms=60_000)
    watcher.start()
    watcher.set_idle_ms(90_000)
    assert watcher.idle_ms == 90_000
    assert watcher.idle_timer.interval() == 90_000
    assert watcher.idle_timer.isActive()
    watcher.stop()
