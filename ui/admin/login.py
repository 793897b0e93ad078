"""The admin panel's login: staff number and PIN (``kiosk.app.staff.login``, audited).

A role that reaches no admin page (a counter clerk) is told so and its session ends at
once (audited ``logout``): the panel never opens empty. The number is kept after the
idle lock so the same supervisor types only the PIN.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.staff.accounts import StaffPolicy
from kiosk.staff.permissions import StaffSession
from ui.shell import Screen
from ui.tasks import run_task
from ui.widgets import LoginForm, scrolled_body

if TYPE_CHECKING:
    from ui.admin.window import AdminWindow

Admitted = tuple[StaffSession, StaffPolicy]


def admit(app: AppContext, number: str, pin: str) -> Admitted:
    """The PIN login and the branch's staff settings (the idle lock), in a task."""
    return staff_app.login(app, number, pin), staff_app.staff_policy(app)


class AdminLogin(Screen):
    """The panel's title and hint over the login form."""

    def __init__(self, window: AdminWindow) -> None:
        super().__init__()
        self.setObjectName("admin-login")
        self.window_ = window
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer, margins=40)  # large text on 1280x800 scrolls
        self.form = LoginForm(partial(admit, window.context.app), check=self._refusal,
                              name="admin_login")
        self.form.number.setMinimumWidth(360)
        self.form.admitted.connect(self._admitted)
        self.form.turned_away.connect(self._turned_away)
        layout.addStretch(1)
        layout.addWidget(self.form)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.form.title.setText(self.tr("Admin panel"))
        self.form.hint.setText(self.tr("Locked after a pause. Enter your PIN to carry on.")
                               if self.form.locked else
                               self.tr("Supervisors and technicians: your staff number, then "
                                       "your PIN."))
        self.form.number.setPlaceholderText(self.tr("e.g. S9001"))

    def enter(self, **params: Any) -> None:
        self.form.enter(**params)
        self.retranslate()

    def reset(self) -> None:
        """Logout: nothing typed stays (the idle lock puts the number back)."""
        self.form.clear()

    def _refusal(self, result: Admitted) -> str | None:
        if self.window_.can_log_in(result[0]):
            return None
        return self.tr("Your role has no page in the admin panel; use the counter "
                       "terminal.")

    def _turned_away(self, result: Admitted) -> None:
        run_task(staff_app.logout, self.window_.context.app, result[0], owner=self,
                 name="admin_logout")

    def _admitted(self, result: Admitted) -> None:
        staff, policy = result
        self.window_.set_idle_lock(policy.idle_lock_minutes)
        self.window_.start_session(staff)


__all__ = ["AdminLogin", "admit"]
