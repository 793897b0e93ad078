"""Idle reset: when nobody touches the kiosk for a while, count down visibly, then go
back to the welcome screen and forget what was typed.

    watcher = attach_idle_reset(shell, idle_ms=settings.idle_seconds * 1000)

The intervals are parameters, and :meth:`IdleWatcher.idle_elapsed` /
:meth:`IdleWatcher.tick` are what the timers call, so tests drive the logic without
waiting for real minutes.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui.shell import Shell
from ui.widgets import TouchButton
from ui.widgets.overlay import Overlay

DEFAULT_IDLE_MS = 60_000
DEFAULT_COUNTDOWN_MS = 15_000

_INPUT_EVENTS = frozenset({
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.KeyPress, QEvent.Type.Wheel,
    QEvent.Type.InputMethod, QEvent.Type.TabletPress,
})


class IdleWatcher(QObject):
    """Watches every input event of the application.

    After ``idle_ms`` without input (and only while ``active()`` says there is
    something to reset) it emits ``countdown_started``, then ``countdown_tick(seconds
    left)`` every ``tick_ms``; any input during the countdown cancels it
    (``countdown_cancelled``); at the end ``timed_out`` fires.
    """

    countdown_started = Signal(int)
    countdown_tick = Signal(int)
    countdown_cancelled = Signal()
    timed_out = Signal()

    def __init__(self, *, idle_ms: int = DEFAULT_IDLE_MS,
                 countdown_ms: int = DEFAULT_COUNTDOWN_MS, tick_ms: int = 1_000,
                 active: Callable[[], bool] = lambda: True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        if idle_ms <= 0 or countdown_ms <= 0 or tick_ms <= 0:
            raise ValueError("idle, countdown and tick intervals must be positive")
        self.idle_ms, self.countdown_ms, self.tick_ms = idle_ms, countdown_ms, tick_ms
        self._active = active
        self._ticks_left = 0
        self.overlay: IdleOverlay | None = None  # set by attach_idle_reset
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms)
        self.idle_timer.timeout.connect(self.idle_elapsed)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(tick_ms)
        self.tick_timer.timeout.connect(self.tick)

    @property
    def counting_down(self) -> bool:
        return self._ticks_left > 0

    def seconds_left(self) -> int:
        return math.ceil(self._ticks_left * self.tick_ms / 1000)

    def start(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.idle_timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle_timer.stop()
        self.tick_timer.stop()
        self._ticks_left = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS:
            self.activity()
        return False

    def activity(self) -> None:
        """Someone touched the kiosk: cancel a countdown, start the idle wait again."""
        if self.counting_down:
            self._ticks_left = 0
            self.tick_timer.stop()
            self.countdown_cancelled.emit()
        self.idle_timer.start()

    def set_idle_ms(self, idle_ms: int) -> None:
        """A new idle period (the branch setting, read after start-up); the wait in
        progress starts again with it."""
        if idle_ms <= 0:
            raise ValueError("the idle interval must be positive")
        self.idle_ms = idle_ms
        self.idle_timer.setInterval(idle_ms)
        if self.idle_timer.isActive():
            self.idle_timer.start()

    def idle_elapsed(self) -> None:
        """The idle wait is over: start the countdown (if there is anything to reset)."""
        if not self._active():
            self.idle_timer.start()
            return
        self._ticks_left = max(1, self.countdown_ms // self.tick_ms)
        self.countdown_started.emit(self.seconds_left())
        self.tick_timer.start()

    def tick(self) -> None:
        if not self.counting_down:
            return
        self._ticks_left -= 1
        if self._ticks_left > 0:
            self.countdown_tick.emit(self.seconds_left())
            return
        self.tick_timer.stop()
        self.timed_out.emit()
        self.idle_timer.start()


class IdleOverlay(Overlay):
    """The visible countdown: "Are you still there?", seconds left, and Continue."""

    continue_clicked = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, "idle-overlay", width=(720, 1000), margins=(48, 40),
                         spacing=24)
        self._seconds = 0
        inner = self.panel_layout
        self.title_label = QLabel()
        self.title_label.setProperty("kind", "title")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown_label = QLabel()
        self.countdown_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown_label.setWordWrap(True)
        self.continue_button = TouchButton(kind="primary")
        self.continue_button.setObjectName("continue")
        self.continue_button.clicked.connect(self.continue_clicked)
        inner.addWidget(self.title_label)
        inner.addWidget(self.countdown_label)
        inner.addWidget(self.continue_button)
        self.hide()
        self.retranslate()

    def show_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.countdown_label.setText(
            self.tr("Returning to the start screen in %1 seconds.").replace("%1", str(seconds)))
        if not self.isVisible():
            self.cover()
            self.show()
        self.raise_()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Are you still there?"))
        self.continue_button.setText(self.tr("Continue"))
        if self._seconds:
            self.show_seconds(self._seconds)


def attach_idle_reset(shell: Shell, *, idle_ms: int = DEFAULT_IDLE_MS,
                      countdown_ms: int = DEFAULT_COUNTDOWN_MS, tick_ms: int = 1_000,
                      hold: Callable[[], bool] = lambda: False) -> IdleWatcher:
    """Idle reset for ``shell``: countdown overlay, then ``shell.reset()`` (every
    screen's ``reset()``, keyboard hidden, home). Nothing happens on the home screen
    with no message open: there is nothing to reset. Nor while ``hold()`` is True (a
    screen that must stay up until it is touched, e.g. a number the printer could not
    print)."""
    overlay = IdleOverlay(shell)

    def has_something_to_reset() -> bool:
        if hold():
            return False
        return shell.state != shell.home_state or shell.message_panel() is not None

    watcher = IdleWatcher(idle_ms=idle_ms, countdown_ms=countdown_ms, tick_ms=tick_ms,
                          active=has_something_to_reset, parent=shell)
    watcher.countdown_started.connect(overlay.show_seconds)
    watcher.countdown_tick.connect(overlay.show_seconds)
    watcher.countdown_cancelled.connect(overlay.hide)
    overlay.continue_clicked.connect(watcher.activity)

    def reset() -> None:
        overlay.hide()
        QGuiApplication.inputMethod().hide()
        shell.reset()

    watcher.timed_out.connect(reset)
    watcher.overlay = overlay
    watcher.start()
    return watcher
