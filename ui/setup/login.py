"""The setup role's login: a technician's (or supervisor's) staff number and PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk.app import staff as staff_app
from kiosk.staff.permissions import StaffSession
from ui.counter.parts import scrolled_body
from ui.shell import Screen
from ui.tasks import Failure, run_task
from ui.widgets import PinPad

if TYPE_CHECKING:
    from ui.admin.window import AdminWindow


class SetupLogin(Screen):
    """Staff number, PIN pad, and why a login was refused, in words."""

    def __init__(self, window: AdminWindow) -> None:
        super().__init__()
        self.window_ = window
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer, margins=40)
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setProperty("kind", "muted")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row = QHBoxLayout()
        self.number_label = QLabel()
        self.number = QLineEdit()
        self.number.setObjectName("staff-number")
        self.number.setMaxLength(20)
        self.number.returnPressed.connect(lambda: self.pinpad.setFocus())
        row.addStretch(1)
        row.addWidget(self.number_label)
        row.addWidget(self.number)
        row.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("login-status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pinpad = PinPad()
        self.pinpad.setObjectName("pinpad")
        self.pinpad.submitted.connect(self.submit)
        pad = QHBoxLayout()
        pad.addStretch(1)
        pad.addWidget(self.pinpad)
        pad.addStretch(1)
        for widget in (self.title, self.hint):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(pad)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Device setup"))
        self.hint.setText(self.tr("Technician login: your staff number, then your PIN."))
        self.number_label.setText(self.tr("Staff number"))
        self.number.setAccessibleName(self.tr("Staff number"))
        self.number.setPlaceholderText(self.tr("e.g. S9101"))

    def enter(self, **params: Any) -> None:
        self.number.setFocus()

    def reset(self) -> None:
        self.pinpad.clear()
        self.number.clear()
        self.status.clear()

    def submit(self, pin: str) -> None:
        number = self.number.text().strip()
        if not number:
            self.status.setText(self.tr("Enter your staff number first."))
            self.number.setFocus()
            return
        self.status.setText(self.tr("Checking…"))
        self.pinpad.setEnabled(False)
        run_task(staff_app.login, self.window_.context.app, number, pin, owner=self,
                 on_result=self._logged_in, on_error=self._refused, name="login")

    def _logged_in(self, session: StaffSession) -> None:
        self.pinpad.setEnabled(True)
        if not self.window_.can_log_in(session):
            self.status.setText(self.tr("Only a technician or a supervisor may set up "
                                        "devices."))
            return
        self.status.clear()
        self.number.clear()
        self.window_.start_session(session)

    def _refused(self, failure: Failure) -> None:
        self.pinpad.setEnabled(True)
        self.status.setText(failure.message())
        self.pinpad.setFocus()


__all__ = ["SetupLogin"]
