"""The counter terminal's login: staff number and PIN. Also the screen the terminal
returns to when it locks itself after being left idle (the number stays filled in,
so the same clerk types only the PIN)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from kiosk.app import staff as staff_app
from kiosk.staff.permissions import StaffSession
from ui.counter.controller import CounterDesk
from ui.counter.parts import centred, labelled, scrolled_body
from ui.shell import Screen
from ui.tasks import Failure, run_task
from ui.widgets import PinPad


class LoginScreen(Screen):
    """Staff number, PIN pad, and what went wrong (wrong PIN with attempts left,
    locked until HH:MM, disabled) in words."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__()
        self.desk = desk
        self.locked_note = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer)
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
        self.number.returnPressed.connect(self._to_pin)
        self.pinpad = PinPad()
        self.pinpad.setObjectName("pinpad")
        self.pinpad.submitted.connect(self.submit)
        self.status = QLabel()
        self.status.setObjectName("login-status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(labelled(self.number_label, self.number))
        layout.addWidget(self.status)
        layout.addLayout(centred(self.pinpad))
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Counter %1").replace("%1", str(self.desk.counter)))
        self.hint.setText(self.tr("Locked after a pause. Enter your PIN to carry on.")
                          if self.locked_note else
                          self.tr("Staff login: your staff number, then your PIN."))
        self.number_label.setText(self.tr("Staff number"))
        self.number.setAccessibleName(self.tr("Staff number"))
        self.number.setPlaceholderText(self.tr("e.g. S0401"))

    def enter(self, **params: Any) -> None:
        self.locked_note = bool(params.get("locked"))
        if params.get("number"):
            self.number.setText(str(params["number"]))
        self.retranslate()
        if not self.number.text():
            self.number.setFocus()
        else:
            self.pinpad.setFocus()

    def reset(self) -> None:
        """Logout or idle lock: nothing typed stays (the lock puts the number back)."""
        self.pinpad.clear()
        self.number.clear()
        self.status.clear()

    def _to_pin(self) -> None:
        self.pinpad.setFocus()

    def submit(self, pin: str) -> None:
        number = self.number.text().strip()
        if not number:
            self.status.setText(self.tr("Enter your staff number first."))
            self.number.setFocus()
            return
        self.status.setText(self.tr("Checking…"))
        self.pinpad.setEnabled(False)
        run_task(staff_app.login, self.desk.app, number, pin, owner=self,
                 on_result=self._logged_in, on_error=self._refused)

    def _logged_in(self, session: StaffSession) -> None:
        self.pinpad.setEnabled(True)
        self.status.clear()
        self.desk.start_session(session)

    def _refused(self, failure: Failure) -> None:
        self.pinpad.setEnabled(True)
        self.status.setText(failure.message())
        self.pinpad.setFocus()


__all__ = ["LoginScreen"]
