"""The counter terminal's state apart from its widgets: who is logged in, the counter
as the application layer last reported it, and the actions, each run as a task.

Screens call :class:`CounterDesk` and listen to its signals; it calls only
``kiosk.app`` (``desk`` for actions under the staff session, ``counters`` for a plain
refresh) and never touches a widget from a worker.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from kiosk.app import AppContext, counters, desk
from kiosk.app import staff as staff_app
from kiosk.app.counters import CounterView
from kiosk.app.desk import DeskSetup
from kiosk.staff.permissions import Permission, StaffSession
from ui.tasks import Failure, run_task


class CounterDesk(QObject):
    """One counter's terminal: session, setup, last view, actions."""

    session_changed = Signal(object)
    """The new :class:`StaffSession`, or None after logout or the idle lock."""
    setup_ready = Signal(object)
    """The :class:`DeskSetup` read after login."""
    view_changed = Signal(object)
    """The :class:`CounterView` after an action or a refresh."""
    action_done = Signal(str, object)
    """(action, view) after an action of the logged-in member of staff."""
    action_failed = Signal(str, object)
    """(action, :class:`Failure`) when an action was refused or failed."""
    rating_wanted = Signal(str)
    """A ticket just finished at a counter without a keypad: rate it on screen."""

    def __init__(self, app: AppContext, counter: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app, self.counter = app, counter
        self.session: StaffSession | None = None
        self.setup: DeskSetup | None = None
        self.view: CounterView | None = None
        self.busy = False
        self._refreshing = False
        self._refresh_again = False
        self._actions = 0  # a refresh read before the latest action is not shown

    # ----- session ------------------------------------------------------------------

    @property
    def serves(self) -> bool:
        return self.session is not None and self.session.can(Permission.SERVE)

    def start_session(self, session: StaffSession) -> None:
        self.session = session
        self.session_changed.emit(session)
        if self.serves:
            run_task(desk.desk_setup, self.app, session, self.counter, owner=self,
                     on_result=self._set_setup,
                     on_error=lambda failure: self.action_failed.emit("setup", failure))
            self.refresh()

    def end_session(self, *, idle: bool = False) -> None:
        session, self.session, self.setup, self.view = self.session, None, None, None
        if session is not None:
            run_task(staff_app.logout, self.app, session, idle=idle, owner=self,
                     on_error=lambda failure: None)  # the lock itself must not fail
            self.session_changed.emit(None)

    def _set_setup(self, setup: DeskSetup) -> None:
        self.setup = setup
        self.setup_ready.emit(setup)

    # ----- actions ------------------------------------------------------------------

    def act(self, action: str, use_case: Callable[..., CounterView], *args: Any,
            **kwargs: Any) -> None:
        """Run ``use_case(app, session, counter, *args)``; one action at a time."""
        if self.session is None or self.busy:
            return
        self.busy = True
        self._actions += 1
        run_task(use_case, self.app, self.session, self.counter, *args, owner=self,
                 on_result=lambda view: self._done(action, view),
                 on_error=lambda failure: self._failed(action, failure), **kwargs)

    def _done(self, action: str, view: CounterView) -> None:
        self.busy = False
        self._show(view)
        self._refresh_if_asked()
        self.action_done.emit(action, view)
        if (action == "finish" and view.ticket is not None and self.setup is not None
                and not self.setup.has_keypad):
            self.rating_wanted.emit(view.ticket.number)

    def _failed(self, action: str, failure: Failure) -> None:
        self.busy = False
        self._refresh_if_asked()
        if getattr(failure.error, "code", "") == "session_ended":
            self.end_session()
        self.action_failed.emit(action, failure)

    def _show(self, view: CounterView) -> None:
        self.view = view
        self.view_changed.emit(view)

    # ----- following the call feed --------------------------------------------------

    def follow(self, events: Sequence[Any]) -> None:
        """New call-feed events (``ui.feed.FeedWatcher.events``): every kind the feed
        carries can change this terminal's ticket, status or waiting counts, so any
        of them refreshes the view (refreshes meanwhile fold into one)."""
        if self.serves and events:
            self.refresh()

    def refresh(self) -> None:
        """Read the counter again; refreshes asked for meanwhile are folded into one."""
        if self._refreshing or self.busy:
            self._refresh_again = True
            return
        self._refreshing = True
        actions = self._actions
        run_task(counters.counter_view, self.app, self.counter, owner=self,
                 on_result=lambda view: self._refreshed(view, actions),
                 on_error=self._refresh_failed)

    def _refreshed(self, view: CounterView, actions: int) -> None:
        self._refreshing = False
        if actions != self._actions or self.busy:
            # An action ran meanwhile: this read may be older than its answer.
            self._refresh_again = True
        elif self.session is not None:
            self._show(view)
        self._refresh_if_asked()

    def _refresh_if_asked(self) -> None:
        if self._refresh_again and not self.busy and not self._refreshing:
            self._refresh_again = False
            self.refresh()

    def _refresh_failed(self, failure: Failure) -> None:
        self._refreshing = self._refresh_again = False
        self.action_failed.emit("refresh", failure)


__all__ = ["CounterDesk"]
