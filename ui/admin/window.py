"""The admin panel's window (``kiosk run --role admin``): the login, then the desk.

States (:class:`AdminState`): ``LOGIN`` (home: a PIN login) and ``DESK`` (the pages
the logged-in role may reach, ``ui.admin.pages``). Logging out, and the idle lock
after the branch's ``staff_idle_lock_minutes``, reset every page (typed input and
revealed data are forgotten) and return to the login.

The window owns the call feed (``ui.feed.FeedWatcher``) while someone is logged in
and hands its events to the pages through :class:`~ui.admin.pages.AdminContext`.

``kiosk run --role admin`` opens it through :func:`make_window`: the PIN login
(``ui.admin.login``), the idle lock (a visible countdown first; any touch cancels it),
and every logout audited (``logout``, ``logout.idle``).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, auto
from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QWidget

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.app.feed import feed_position
from kiosk.staff.permissions import StaffSession
from ui.admin.desk import AdminDesk
from ui.admin.pages import AdminContext, PageEntry, reachable_pages
from ui.feed import FeedWatcher
from ui.idle import IdleOverlay, IdleWatcher
from ui.shell import Screen, Shell
from ui.tasks import Task, run_task

if TYPE_CHECKING:
    from ui.cli import RunContext

LOCK_COUNTDOWN_MS = 15_000


class AdminLockCountdown(IdleOverlay):
    """The idle countdown in the panel's words: it is about to lock."""

    def show_seconds(self, seconds: int) -> None:
        super().show_seconds(seconds)
        self.countdown_label.setText(
            self.tr("The admin panel locks in %1 seconds.").replace("%1", str(seconds)))

    def retranslate(self) -> None:
        super().retranslate()
        self.title_label.setText(self.tr("Still working?"))


class AdminState(Enum):
    LOGIN = auto()
    DESK = auto()


class AdminWindow(Shell):
    """The admin panel. ``login`` builds the login screen (given the window; it calls
    :meth:`start_session` with the session a PIN login gave); ``feed=False`` leaves
    the call feed off (tests of pages that do not need it); ``pages`` replaces the
    registry (tests)."""

    def __init__(self, app: AppContext, *, login: Callable[[AdminWindow], Screen] | None = None,
                 feed: bool = True, pages: dict[str, PageEntry] | None = None) -> None:
        super().__init__(home=AdminState.LOGIN)
        self.setObjectName("admin-window")
        self.context = AdminContext(app, parent=self)
        self.context.set_notifier(self.notify)
        self._pages = pages
        self._use_feed = feed
        self._has_login = login is not None
        self.feed: FeedWatcher | None = None
        self._feed_task: Task | None = None
        self.desk = AdminDesk(self.context, pages)
        self.desk.logout_requested.connect(self.logout)
        if login is not None:
            self.add_screen(AdminState.LOGIN, lambda: login(self))
        self.add_screen(AdminState.DESK, self.desk)
        self.on_logout: Callable[[StaffSession, bool], None] | None = None
        """Called with the session that ends and whether the idle lock ended it (the
        role factory audits it through ``kiosk.app.staff.logout``)."""
        self.idle: IdleWatcher | None = None
        self.lock_overlay: AdminLockCountdown | None = None
        if login is not None:
            self.move_to(AdminState.LOGIN)

    def set_idle_lock(self, minutes: int, *, countdown_ms: int = LOCK_COUNTDOWN_MS) -> None:
        """Lock after ``minutes`` without a touch while someone is logged in (the
        branch's ``staff_idle_lock_minutes``, read at login)."""
        if self.idle is None:
            self.idle = IdleWatcher(idle_ms=max(1, minutes) * 60_000, countdown_ms=countdown_ms,
                                    active=lambda: self.context.logged_in, parent=self)
            self.lock_overlay = AdminLockCountdown(self)
            self.idle.countdown_started.connect(self.lock_overlay.show_seconds)
            self.idle.countdown_tick.connect(self.lock_overlay.show_seconds)
            self.idle.countdown_cancelled.connect(self.lock_overlay.hide)
            self.lock_overlay.continue_clicked.connect(self.idle.activity)
            self.idle.timed_out.connect(self.lock)
            self.idle.start()
        else:
            self.idle.set_idle_ms(max(1, minutes) * 60_000)

    def lock(self) -> None:
        """The idle lock: the session ends (audited ``logout.idle``), every page forgets,
        the login comes back with the staff number kept."""
        number = self.context.staff.number if self.context.logged_in else None
        if self.lock_overlay is not None:
            self.lock_overlay.hide()
        self.reset()
        if number is not None and self._has_login:
            self.move_to(AdminState.LOGIN, number=number, locked=True)

    def can_log_in(self, staff: StaffSession) -> bool:
        """Whether ``staff``'s role reaches at least one page."""
        return bool(reachable_pages(staff, self._pages))

    def start_session(self, staff: StaffSession, page: str | None = None) -> None:
        """``staff`` logged in: the desk with the pages of their role, the call feed."""
        self.context.set_staff(staff)
        self.desk.start()
        self._start_feed()
        self.move_to(AdminState.DESK, page=page)

    def logout(self, *, idle: bool = False) -> None:
        """End the session: every page forgets, back to the login."""
        staff = self.context.staff if self.context.logged_in else None
        self._stop_feed()
        self.desk.reset()
        if self._has_login:
            self.screen(AdminState.LOGIN).reset()
        self.context.set_staff(None)
        self.banner.dismiss()
        self.close_message()
        if staff is not None and self.on_logout is not None:
            self.on_logout(staff, idle)
        if self._has_login:
            self.home()

    def reset(self) -> None:
        """The idle lock: log out, then the login (``Shell.reset``)."""
        if self.context.logged_in:
            self.logout(idle=True)
        if self._has_login:
            super().reset()

    def _start_feed(self) -> None:
        """Follow the feed from its position now (read in a task): what any page read
        after this is either in its read or arrives as an event."""
        if not self._use_feed or self.feed is not None:
            return
        self._feed_task = run_task(feed_position, self.context.app, owner=self,
                                   on_result=self._follow_from, name="feed_position")

    def _follow_from(self, position: int) -> None:
        self._feed_task = None
        if not self.context.logged_in or self.feed is not None:
            return
        watcher = FeedWatcher(self.context.app.engine, position, parent=self)
        watcher.events.connect(self.context.feed_events)
        watcher.connection_lost.connect(self.context.feed_lost)
        watcher.connection_restored.connect(self.context.feed_restored)
        watcher.start()
        self.feed = watcher

    def _stop_feed(self) -> None:
        if self._feed_task is not None:
            self._feed_task.cancel()
            self._feed_task = None
        if self.feed is not None:
            self.feed.stop()
            self.feed.deleteLater()
            self.feed = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)
        if event.isAccepted():
            self._stop_feed()
            if self.idle is not None:
                self.idle.stop()


def make_window(context: RunContext) -> QWidget:
    """``kiosk run --role admin``: the PIN login first; every logout audited."""
    from ui.admin.login import AdminLogin

    app = context.cli.app
    window = AdminWindow(app, login=AdminLogin)

    def audit_logout(staff: StaffSession, idle: bool) -> None:
        run_task(staff_app.logout, app, staff, idle=idle, owner=window, name="admin_logout")

    window.on_logout = audit_logout
    return window


__all__ = ["AdminState", "AdminWindow", "AdminLockCountdown", "make_window"]
