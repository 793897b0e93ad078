"""The counter terminal's window: its states, the login session, the idle lock and
the call feed it follows.

``kiosk run --role counter --counter N`` opens it as a compact window that stays on
top of the counter PC's other programs (``ui.cli``). It locks itself when left idle
for the branch's ``staff_idle_lock_minutes`` (a visible countdown first; any touch or
key cancels it): the session ends (audited ``logout.idle``) and the login comes back
with the staff number filled in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QWidget

from kiosk.app import AppContext
from kiosk.app.desk import DeskSetup
from kiosk.errors import UsageError
from kiosk.staff.permissions import StaffSession
from ui.counter.controller import CounterDesk
from ui.counter.desk import DeskScreen
from ui.counter.devices import DevicesScreen
from ui.counter.forms import CallNumberScreen, OverrideScreen, RatingScreen, TransferScreen
from ui.counter.login import LoginScreen
from ui.counter.states import CounterState
from ui.feed import FeedWatcher
from ui.idle import IdleOverlay, IdleWatcher
from ui.shell import Shell

if TYPE_CHECKING:
    from ui.cli import RunContext

COMPACT_SIZE = (640, 1000)
LOCK_COUNTDOWN_MS = 15_000


class LockCountdown(IdleOverlay):
    """The idle countdown, in the counter's words: the terminal is about to lock."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        fit_panels(self)

    def show_seconds(self, seconds: int) -> None:
        super().show_seconds(seconds)
        self.countdown_label.setText(
            self.tr("The terminal locks in %1 seconds.").replace("%1", str(seconds)))

    def retranslate(self) -> None:
        super().retranslate()
        self.title_label.setText(self.tr("Still working?"))


def fit_panels(overlay: QWidget) -> None:
    """An overlay's panel made for a full screen (720 px at least) fits the compact
    window: as wide as the window allows."""
    for panel in overlay.findChildren(QFrame):
        if panel.property("kind") == "panel":
            panel.setMinimumWidth(0)


class CounterWindow(Shell):
    """One counter's terminal."""

    def __init__(self, app: AppContext, counter: int, *,
                 lock_countdown_ms: int = LOCK_COUNTDOWN_MS, parent: QWidget | None = None,
                 ) -> None:
        super().__init__(home=CounterState.LOGIN, parent=parent)
        self.setObjectName("counter-window")
        self.desk = CounterDesk(app, counter, parent=self)
        self.desk_screen = DeskScreen(self.desk)
        self.add_screen(CounterState.LOGIN, LoginScreen(self.desk))
        self.add_screen(CounterState.DESK, self.desk_screen)
        self.add_screen(CounterState.TRANSFER, TransferScreen(self.desk))
        self.add_screen(CounterState.CALL_NUMBER, CallNumberScreen(self.desk))
        self.add_screen(CounterState.OVERRIDE, OverrideScreen(self.desk))
        self.add_screen(CounterState.RATING, RatingScreen(self.desk))
        self.add_screen(CounterState.DEVICES, DevicesScreen(self.desk))
        self.desk.session_changed.connect(self._session_changed)
        self.desk.setup_ready.connect(self._setup_ready)
        self.desk.rating_wanted.connect(lambda ticket: self.move_to(CounterState.RATING,
                                                                    ticket=ticket))
        self.idle = IdleWatcher(countdown_ms=lock_countdown_ms,
                                active=lambda: self.desk.session is not None, parent=self)
        self.lock_overlay = LockCountdown(self)
        self.idle.countdown_started.connect(self.lock_overlay.show_seconds)
        self.idle.countdown_tick.connect(self.lock_overlay.show_seconds)
        self.idle.countdown_cancelled.connect(self.lock_overlay.hide)
        self.lock_overlay.continue_clicked.connect(self.idle.activity)
        self.idle.timed_out.connect(self.lock)
        self.feed: FeedWatcher | None = None
        fit_panels(self._overlay)  # the shell's message overlay
        self.home()

    def follow_feed(self) -> FeedWatcher:
        """Follow the branch's call feed (a call made at this counter's keypad, by
        another terminal or from the command line shows at once); stopped when the
        window closes."""
        if self.feed is None:
            self.feed = FeedWatcher(self.desk.app.engine, parent=self)
            self.feed.events.connect(self.desk.follow)
            self.feed.connection_lost.connect(self._connection_lost)
            self.feed.connection_restored.connect(self._connection_restored)
            self.feed.start()
        return self.feed

    def stop_feed(self) -> None:
        if self.feed is not None:
            self.feed.stop()
            self.feed = None

    def _connection_lost(self, reason: str) -> None:
        self.notify(self.tr("The branch database cannot be reached; retrying…"), "error", 0)

    def _connection_restored(self) -> None:
        self.banner.dismiss()
        self.desk.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)
        if event.isAccepted():
            self.stop_feed()

    def _setup_ready(self, setup: DeskSetup) -> None:
        self.idle.idle_ms = setup.idle_lock_minutes * 60_000
        self.idle.idle_timer.setInterval(self.idle.idle_ms)
        self.idle.activity()

    def _session_changed(self, session: StaffSession | None) -> None:
        if session is not None:
            self.idle.start()
            self.move_to(CounterState.DESK if self.desk.serves else CounterState.DEVICES)
            return
        self.idle.stop()
        self.lock_overlay.hide()
        self.reset()

    def lock(self) -> None:
        """The idle lock: end the session, back to the login with the number kept."""
        session = self.desk.session
        self.desk.end_session(idle=True)
        if session is not None:
            self.move_to(CounterState.LOGIN, number=session.number, locked=True)


def make_window(context: RunContext) -> CounterWindow:
    """``kiosk run --role counter --counter N``."""
    counter = getattr(context.args, "counter", None)
    if counter is None:
        raise UsageError("请用 --counter N 指定窗口号", "name the counter with --counter N",
                         code="usage")
    window = CounterWindow(context.cli.app, int(counter))
    window.follow_feed()
    return window


__all__ = ["COMPACT_SIZE", "CounterWindow", "LockCountdown", "make_window"]
