"""The kiosk window: screens in a stack, navigation as an explicit state.

Like Anki's ``MainWindowState``/``moveToState``: each role defines an ``Enum`` of its
states, registers one :class:`Screen` per state, and every move goes through
:meth:`Shell.move_to` (``state``, ``params``), which keeps the history Back uses.

Screen contract (docs/ui.md):

- build widgets in ``__init__`` and end it with ``self.retranslate()``;
- ``retranslate()`` sets every visible string with ``self.tr()``; called again on
  every language change;
- ``enter(**params)`` when the screen becomes current (refresh data here, in a task),
  ``leave()`` when another screen takes over;
- ``reset()`` clears anything typed or chosen (idle reset, Home);
- navigate only by ``self.move_to(State.X, key=value)``, ``self.back_requested`` and
  ``self.home_requested``; never by reaching into the shell.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from enum import Enum
from typing import Any, ClassVar, overload

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QScreen
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from ui import tasks
from ui.fullscreen import KioskWindow
from ui.tasks import Failure
from ui.widgets import Banner, MessagePanel, PageHeader
from ui.widgets.retranslate import Retranslating

log = logging.getLogger(__name__)


class Screen(Retranslating, QWidget):
    """Base of every screen. See the module docstring for the contract."""

    navigate_requested = Signal(object, dict)
    """(state, params): ask the shell to move to another state."""
    back_requested = Signal()
    """Ask the shell to go back one step (Home when there is no history)."""
    home_requested = Signal()
    """Ask the shell for the home screen (clears the history)."""

    keeps_history: ClassVar[bool] = True
    """False for a screen Back must skip (a result page that must not be re-done)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header: PageHeader | None = None

    def add_header(self, layout: QVBoxLayout, *, back: bool = True,
                   home: bool = True) -> PageHeader:
        """Put the standard header (title, Back, Home) at the top of ``layout``."""
        self.header = PageHeader(parent=self, back=back, home=home)
        self.header.back_clicked.connect(self.back_requested)
        self.header.home_clicked.connect(self.home_requested)
        layout.insertWidget(0, self.header)
        return self.header

    def move_to(self, state: Enum, **params: Any) -> None:
        self.navigate_requested.emit(state, params)

    def enter(self, **params: Any) -> None:
        """The screen becomes current, with the params of the move."""

    def leave(self) -> None:
        """Another screen becomes current."""

    def reset(self) -> None:
        """Clear typed input and choices (idle reset and Home)."""


ScreenFactory = Callable[[], Screen]


class _ScreenStack(QStackedWidget):
    """The screens, asking only for the room the *current* one needs: a screen that is
    not showing must not stop the window from giving the on-screen keyboard its room
    (Qt's stack asks for the largest minimum of all its pages)."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        current = self.currentWidget()
        if current is None:
            return super().minimumSizeHint()
        hint, fixed = current.minimumSizeHint(), current.minimumSize()  # as layouts do
        return QSize(fixed.width() or hint.width(), fixed.height() or hint.height())


class _MessageOverlay(QWidget):
    """Dims the shell and shows a MessagePanel in the middle."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setProperty("kind", "overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.panel = MessagePanel(self)
        self.panel.setMinimumWidth(720)
        self.panel.setMaximumWidth(1200)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.hide()


class Shell(KioskWindow):
    """Holds the screens of one role and moves between them.

    ``home`` is the state Home and the idle reset go to. Screens are built on first
    use from their factory, so cold start builds only the home screen.
    """

    state_changed = Signal(object)
    """The new state, after the screen's ``enter()``."""

    def __init__(self, home: Enum, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shell")
        # The shell holds focus between screens, so no button shows a focus ring
        # after a touch; Tab still moves the focus for a keyboard user.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._home = home
        self._factories: dict[Enum, ScreenFactory] = {}
        self._screens: dict[Enum, Screen] = {}
        self._state: Enum | None = None
        self._params: dict[str, Any] = {}
        self._history: list[tuple[Enum, dict[str, Any]]] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.banner = Banner(self)
        self.stack = _ScreenStack(self)
        self.keyboard_space = QWidget(self)
        self.keyboard_space.setFixedHeight(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.keyboard_space)
        self._overlay = _MessageOverlay(self)
        self._overlay.panel.back_clicked.connect(self.close_message)
        self._overlay.panel.home_clicked.connect(self.home)
        ref = weakref.ref(self)

        def show_unhandled(failure: Failure) -> None:
            shell = ref()
            if shell is None or not shiboken6.isValid(shell):
                raise RuntimeError("the shell is gone")
            shell.show_failure(failure)

        tasks.set_failure_handler(show_unhandled)

    # -- registration ----------------------------------------------------------------

    def add_screen(self, state: Enum, screen: Screen | ScreenFactory) -> None:
        """Register the screen for ``state`` (an instance, or a factory built lazily)."""
        if isinstance(screen, Screen):
            self._install(state, screen)
        else:
            self._factories[state] = screen

    @overload
    def screen(self) -> QScreen: ...
    @overload
    def screen(self, state: Enum) -> Screen: ...
    def screen(self, state: Enum | None = None) -> QScreen | Screen:
        """The screen of ``state``, built now if needed; without a state, the monitor
        the window is on, as ``QWidget.screen()`` (what code handed any widget expects)."""
        if state is None:
            return super().screen()
        if state not in self._screens:
            if state not in self._factories:
                raise KeyError(f"no screen registered for {state!r}")
            self._install(state, self._factories.pop(state)())
        return self._screens[state]

    def built_screens(self) -> list[Screen]:
        return list(self._screens.values())

    def _install(self, state: Enum, screen: Screen) -> None:
        screen.setObjectName(screen.objectName() or f"screen-{state.name.lower()}")
        screen.navigate_requested.connect(lambda target, params: self.move_to(target, **params))
        screen.back_requested.connect(self.back)
        screen.home_requested.connect(self.home)
        self._screens[state] = screen
        self.stack.addWidget(screen)

    # -- navigation ------------------------------------------------------------------

    @property
    def state(self) -> Enum | None:
        return self._state

    @property
    def home_state(self) -> Enum:
        return self._home

    @property
    def history(self) -> tuple[Enum, ...]:
        return tuple(state for state, _ in self._history)

    def current_screen(self) -> Screen | None:
        return self._screens.get(self._state) if self._state is not None else None

    def move_to(self, state: Enum, **params: Any) -> None:
        """Make ``state`` current: the old screen's ``leave()``, history, then the new
        screen's ``enter(**params)``. Moving home clears the history."""
        self._switch(state, params, remember=True)

    def back(self) -> None:
        """The previous state with the params it was entered with; Home if none."""
        if not self._history:
            self.home()
            return
        state, params = self._history.pop()
        self._switch(state, params, remember=False)

    def home(self) -> None:
        self.close_message()
        self._switch(self._home, {}, remember=False)

    def reset(self) -> None:
        """Idle reset: every built screen forgets its input, then home."""
        self.close_message()
        self.banner.dismiss()
        for screen in self._screens.values():
            screen.reset()
        self._switch(self._home, {}, remember=False)

    def _switch(self, state: Enum, params: dict[str, Any], *, remember: bool) -> None:
        target = self.screen(state)
        current = self.current_screen()
        if current is not None:
            current.leave()
            if remember and current.keeps_history and state != self._state:
                self._history.append((self._state, self._params))  # type: ignore[arg-type]
        if state == self._home:
            self._history.clear()
        self.stack.setCurrentWidget(target)
        self.stack.updateGeometry()  # its minimum is the current screen's
        self._state, self._params = state, dict(params)
        log.debug("state %s %s", state, params)
        target.enter(**params)
        focus = self.focusWidget()
        if focus is None or not target.isAncestorOf(focus):
            self.setFocus()  # a screen that wants a field focused does it in enter()
        self.state_changed.emit(state)

    # -- messages --------------------------------------------------------------------

    def show_message(self, title: str, text: str, error_id: str | None = None) -> None:
        """A friendly message over the current screen, with Back (close it) and Home."""
        self._overlay.panel.show_message(title, text, error_id)
        self._show_overlay()

    def show_failure(self, failure: Failure) -> None:
        self._overlay.panel.show_failure(failure)
        self._show_overlay()

    def message_panel(self) -> MessagePanel | None:
        """The message panel if one is showing."""
        return self._overlay.panel if self._overlay.isVisible() else None

    def close_message(self) -> None:
        self._overlay.hide()

    def notify(self, text: str, level: str = "info", timeout_ms: int = 8_000) -> None:
        """A banner over the screens (``level``: info, success, warning, error)."""
        self.banner.show_message(text, level, timeout_ms)

    def set_keyboard_space(self, height: int) -> None:
        """Room kept free at the bottom for the on-screen keyboard (ui.keyboard)."""
        self.keyboard_space.setFixedHeight(max(0, height))

    def _show_overlay(self) -> None:
        self._overlay.setGeometry(self.rect())
        self._overlay.show()
        self._overlay.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._overlay.setGeometry(self.rect())
        super().resizeEvent(event)
