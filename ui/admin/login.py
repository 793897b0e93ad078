"""The admin panel's login: staff number and PIN (``kiosk.app.staff.login``, audited).

A role that reaches no admin page (a counter clerk) is told so and its session ends at
once (audited ``logout``): the panel never opens empty. The number is kept after the
idle lock so the same supervisor types only the PIN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.staff.accounts import StaffPolicy
from kiosk.staff.permissions import StaffSession
from ui.counter.parts import centred, scrolled_body
from ui.shell import Screen
from ui.tasks import Failure, run_task
from ui.widgets import PinPad

if TYPE_CHECKING:
    from ui.admin.window import AdminWindow


def admit(app: AppContext, number: str, pin: str) -> tuple[StaffSession, StaffPolicy]:
    """The PIN login and the branch's staff settings (the idle lock), in a task."""
    return staff_app.login(app, number, pin), staff_app.staff_policy(app)


class AdminLogin(Screen):
    """Staff number, PIN pad, and what went wrong in words."""

    def __init__(self, window: AdminWindow) -> None:
        super().__init__()
        self.setObjectName("admin-login")
        self.window_ = window
        self.locked_note = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer, margins=40)  # large text on 1280x800 scrolls
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setProperty("kind", "muted")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number_label = QLabel()
        self.number = QLineEdit()
        self.number.setObjectName("staff-number")
        self.number.setMaxLength(20)
        self.number.setMinimumWidth(360)
        self.pinpad = PinPad()
        self.pinpad.setObjectName("pinpad")
        self.number.returnPressed.connect(self.pinpad.setFocus)
        self.pinpad.submitted.connect(self.submit)
        self.status = QLabel()
        self.status.setObjectName("login-status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.number_label)
        row.addWidget(self.number)
        row.addStretch(1)
        layout.addStretch(1)
        for part in (self.title, self.hint):
            layout.addWidget(part)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(centred(self.pinpad))
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Admin panel"))
        self.hint.setText(self.tr("Locked after a pause. Enter your PIN to carry on.")
                          if self.locked_note else
                          self.tr("Supervisors and technicians: your staff number, then "
                                  "your PIN."))
        self.number_label.setText(self.tr("Staff number"))
        self.number.setAccessibleName(self.tr("Staff number"))
        self.number.setPlaceholderText(self.tr("e.g. S9001"))

    def enter(self, **params: Any) -> None:
        self.locked_note = bool(params.get("locked"))
        if params.get("number"):
            self.number.setText(str(params["number"]))
        self.retranslate()
        (self.pinpad if self.number.text() else self.number).setFocus()

    def reset(self) -> None:
        """Logout: nothing typed stays (the idle lock puts the number back)."""
        self.pinpad.clear()
        self.number.clear()
        self.status.clear()
        self.locked_note = False

    def submit(self, pin: str) -> None:
        number = self.number.text().strip()
        if not number:
            self.status.setText(self.tr("Enter your staff number first."))
            self.number.setFocus()
            return
        self.status.setText(self.tr("Checking…"))
        self.pinpad.setEnabled(False)
        run_task(admit, self.window_.context.app, number, pin, owner=self,
                 on_result=self._admitted, on_error=self._refused, name="admin_login")

    def _admitted(self, result: tuple[StaffSession, StaffPolicy]) -> None:
        staff, policy = result
        self.pinpad.setEnabled(True)
        if not self.window_.can_log_in(staff):
            self.status.setText(self.tr("Your role has no page in the admin panel; use "
                                        "the counter terminal."))
            run_task(staff_app.logout, self.window_.context.app, staff, owner=self,
                     name="admin_logout")
            return
        self.status.clear()
        self.window_.set_idle_lock(policy.idle_lock_minutes)
        self.window_.start_session(staff)

    def _refused(self, failure: Failure) -> None:
        self.pinpad.setEnabled(True)
        self.status.setText(failure.message())
        self.pinpad.setFocus()


__all__ = ["AdminLogin", "admit"]
