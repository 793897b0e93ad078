"""The customer kiosk's staff exit: a hidden gesture (five taps in the top-left corner
within three seconds), then a staff number and PIN; a technician or supervisor gets
the staff menu: leave full screen (and come back), reprint the last ticket, the
printer's status, close the kiosk program.

    exit = install_staff_exit(window, app)      # window: a ui.fullscreen.KioskWindow

A customer who taps the corner by chance sees nothing; one who reaches the PIN pad
gets no further without a PIN, and a clerk's PIN is refused (audited). The menu
forgets the session when it closes, by Done or after a minute without a touch.
Reprint and printer status are actions given by the caller (the customer window
knows its printer): ``actions={"reprint": fn, "printer": fn}``, each ``fn(app,
staff) -> str`` run in a worker, its text shown in the menu.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import AppContext, kiosk_staff
from kiosk.app import staff as staff_app
from kiosk.staff.permissions import StaffSession
from ui.fullscreen import KioskWindow, show_fullscreen
from ui.tasks import Failure, run_task
from ui.widgets import PinPad, TouchButton
from ui.widgets.overlay import Overlay

TAPS, WITHIN_S, CORNER_PX = 5, 3.0, 120
MENU_IDLE_MS = 60_000
StaffAction = Callable[[AppContext, StaffSession], str]


class CornerTaps(QObject):
    """Counts presses in the top-left ``corner_px`` square of ``window``; ``taps`` of
    them within ``within_s`` seconds emit :attr:`triggered`."""

    triggered = Signal()

    def __init__(self, window: QWidget, *, taps: int = TAPS, within_s: float = WITHIN_S,
                 corner_px: int = CORNER_PX, clock: Callable[[], float] = time.monotonic,
                 ) -> None:
        super().__init__(window)
        self.window, self.taps, self.within_s = window, taps, within_s
        self.corner_px, self.clock = corner_px, clock
        self._times: deque[float] = deque(maxlen=taps)
        self._last_event: tuple[int, int, int] | None = None

    def start(self) -> None:
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin) \
                and isinstance(watched, QWidget) and watched.window() is self.window:
            point = self._global_point(event)
            if point is not None:
                # A press a child ignores reaches its parents too: count it once.
                key = (int(event.timestamp()), point.x(), point.y())  # type: ignore[attr-defined]
                if key != self._last_event:
                    self._last_event = key
                    self.press_at(self.window.mapFromGlobal(point))
        return False

    @staticmethod
    def _global_point(event: QEvent) -> QPoint | None:
        if isinstance(event, QMouseEvent):
            return event.globalPosition().toPoint()
        if isinstance(event, QTouchEvent) and event.points():
            return event.points()[0].globalPosition().toPoint()
        return None

    def press_at(self, pos: QPoint) -> bool:
        """A press at ``pos`` (window coordinates); True when it completed the gesture."""
        if not (0 <= pos.x() < self.corner_px and 0 <= pos.y() < self.corner_px):
            self._times.clear()  # a press elsewhere breaks the sequence
            return False
        now = self.clock()
        self._times.append(now)
        if len(self._times) == self.taps and now - self._times[0] <= self.within_s:
            self._times.clear()
            self.triggered.emit()
            return True
        return False


class StaffExit(Overlay):
    """The overlay: PIN first, then the staff menu."""

    closed = Signal()

    def __init__(self, window: KioskWindow, app: AppContext, *,
                 actions: dict[str, StaffAction] | None = None,
                 menu_idle_ms: int = MENU_IDLE_MS) -> None:
        super().__init__(window, "staff-exit", width=(0, 900), margins=(32, 24), spacing=16)
        self.window_, self.app = window, app
        self.staff_actions = dict(actions or {})
        self.session: StaffSession | None = None
        inner = self.panel_layout
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setObjectName("staff-exit-status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages = QStackedWidget()
        self.page_widgets = (self._login_page(), self._menu_page())
        for page in self.page_widgets:
            self.pages.addWidget(page)
        self.cancel_button = TouchButton()
        self.cancel_button.setObjectName("staff-exit-close")
        self.cancel_button.clicked.connect(self.close_menu)
        inner.addWidget(self.title)
        inner.addWidget(self.pages)
        inner.addWidget(self.status)
        inner.addWidget(self.cancel_button)
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(menu_idle_ms)
        self.idle.timeout.connect(self.close_menu)
        self.hide()
        self.retranslate()

    def _login_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.number = QLineEdit()
        self.number.setObjectName("staff-exit-number")
        self.number.setMaxLength(20)
        self.pinpad = PinPad()
        self.pinpad.setObjectName("staff-exit-pin")
        self.pinpad.submitted.connect(self.submit)
        column.addWidget(self.number)
        column.addWidget(self.pinpad, 0, Qt.AlignmentFlag.AlignHCenter)
        return page

    def _menu_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.menu_buttons: dict[str, TouchButton] = {}
        for name in ("fullscreen", "reprint", "printer", "close_program"):
            button = TouchButton(kind="danger" if name == "close_program" else "secondary")
            button.setObjectName(f"staff-exit-{name}")
            button.clicked.connect(lambda _=False, n=name: self.choose(n))
            column.addWidget(button)
            self.menu_buttons[name] = button
        return page

    def _page(self, index: int) -> None:
        """Show page ``index``; the panel takes that page's height, not the tallest's."""
        for i, page in enumerate(self.page_widgets):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.pages.setCurrentIndex(index)
        self.pages.adjustSize()

    # ----- opening and closing ------------------------------------------------------

    def open_menu(self) -> None:
        """The gesture: show the PIN page over the window."""
        self.session = None
        self._page(0)
        self.status.clear()
        self.pinpad.clear()
        self.number.clear()
        self.cover()
        self.show()
        self.raise_()
        self.idle.start()
        self.retranslate()

    def close_menu(self) -> None:
        self.session = None
        self.idle.stop()
        self.pinpad.clear()
        self.number.clear()
        self.hide()
        self.closed.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.isVisible() and event.type() in (QEvent.Type.MouseButtonPress,
                                                 QEvent.Type.KeyPress):
            self.idle.start()
        return super().eventFilter(watched, event)

    # ----- PIN ----------------------------------------------------------------------

    def submit(self, pin: str) -> None:
        self.idle.start()
        number = self.number.text().strip()
        if not number:
            self.status.setText(self.tr("Enter your staff number first."))
            return
        self.status.setText(self.tr("Checking…"))
        run_task(staff_app.login, self.app, number, pin, owner=self,
                 on_result=self._logged_in, on_error=self._refused)

    def _logged_in(self, session: StaffSession) -> None:
        run_task(kiosk_staff.open_menu, self.app, session, owner=self,
                 on_result=lambda _: self._show_menu(session), on_error=self._refused)

    def _show_menu(self, session: StaffSession) -> None:
        if not self.isVisible():
            return  # closed meanwhile: no session survives the menu
        self.session = session
        self.status.clear()
        self._page(1)
        self.retranslate()

    def _refused(self, failure: Failure) -> None:
        self.status.setText(failure.message())

    # ----- the menu -----------------------------------------------------------------

    @property
    def fullscreen(self) -> bool:
        return bool(self.window_.windowState() & Qt.WindowState.WindowFullScreen)

    def choose(self, name: str) -> None:
        session = self.session
        if session is None:
            return
        self.idle.start()
        if name == "fullscreen":
            use_case = (kiosk_staff.leave_fullscreen if self.fullscreen
                        else kiosk_staff.return_fullscreen)
            run_task(use_case, self.app, session, owner=self,
                     on_result=lambda _: self._toggle_fullscreen(), on_error=self._refused)
        elif name == "close_program":
            run_task(kiosk_staff.close_program, self.app, session, owner=self,
                     on_result=lambda _: self._close_program(), on_error=self._refused)
        elif name in self.staff_actions:
            self.status.setText(self.tr("Working…"))
            run_task(self.staff_actions[name], self.app, session, owner=self,
                     on_result=self.status.setText, on_error=self._refused)

    def _toggle_fullscreen(self) -> None:
        window = self.window_
        if self.fullscreen:
            window.allow_close = True  # a technician may close it from the desktop now
            window.setWindowFlags(window.windowFlags() & ~(
                Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint))
            window.showNormal()
            screen = QWidget.screen(window).availableGeometry()  # Shell.screen is its own
            window.setGeometry(screen.adjusted(screen.width() // 8, screen.height() // 8,
                                               -screen.width() // 8, -screen.height() // 8))
        else:
            window.allow_close = False
            show_fullscreen(window)
        self.retranslate()

    def _close_program(self) -> None:
        self.window_.allow_close = True
        self.close_menu()
        self.window_.close()

    def retranslate(self) -> None:
        if self.pages.currentIndex() == 0 or self.session is None:
            self.title.setText(self.tr("Staff only"))
        else:
            self.title.setText(self.tr("Staff menu: %1").replace("%1", self.session.name))
        self.number.setPlaceholderText(self.tr("Staff number"))
        self.number.setAccessibleName(self.tr("Staff number"))
        self.cancel_button.setText(self.tr("Done") if self.session else self.tr("Cancel"))
        texts = {"fullscreen": self.tr("Leave full screen") if self.fullscreen
                 else self.tr("Return to full screen"),
                 "reprint": self.tr("Reprint the last ticket"),
                 "printer": self.tr("Printer status"),
                 "close_program": self.tr("Close the kiosk program")}
        for name, button in self.menu_buttons.items():
            button.setText(texts[name])
            button.setVisible(name not in ("reprint", "printer") or name in self.staff_actions)


def install_staff_exit(window: KioskWindow, app: AppContext, *,
                       actions: dict[str, StaffAction] | None = None) -> StaffExit:
    """The gesture and the overlay on ``window``; returns the overlay (its
    ``gesture`` attribute is the :class:`CornerTaps`)."""
    overlay = StaffExit(window, app, actions=actions)
    gesture = CornerTaps(window)
    gesture.triggered.connect(overlay.open_menu)
    gesture.start()
    overlay.gesture = gesture  # type: ignore[attr-defined]
    return overlay


__all__ = ["CornerTaps", "StaffAction", "StaffExit", "install_staff_exit"]
