"""The staff login form every PIN login screen shows: a title and a hint (the screen's
words), the staff number, the PIN pad and what went wrong in words (wrong PIN with
attempts left, locked until HH:MM, disabled, or the screen's own reason to turn a role
away).

    form = LoginForm(partial(staff_app.login, app),
                     check=lambda staff: None if staff.can(X) else self.tr("..."))
    form.admitted.connect(self.start_session)

``login(number, pin)`` runs in a worker (``ui.tasks``); its result comes back on the
GUI thread, where ``check(result)`` says why this screen does not admit it (the text
shown) or None. The screen around it sets the title, the hint and the number's example,
places the form and says what follows a login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.tasks import Failure, run_task
from ui.widgets.layouts import centred, labelled, muted_label
from ui.widgets.pinpad import PinPad
from ui.widgets.retranslate import Retranslating

Login = Callable[[str, str], Any]
"""``login(number, pin)``, run in a worker: the session (or what the screen needs)."""
RoleCheck = Callable[[Any], "str | None"]
"""``check(result)`` on the GUI thread: why the screen turns it away, or None."""


class LoginForm(Retranslating, QWidget):
    """Title, hint, staff number (``staff-number``), PIN pad (``pinpad``) and status
    (``login-status``), in that order.

    ``wide_number`` lets the number field take the row's width (the counter terminal's
    compact window); otherwise label and field stand centred.
    """

    admitted = Signal(object)
    """The login's result, which ``check`` let through."""
    turned_away = Signal(object)
    """The login's result, which ``check`` refused (its reason is on the status)."""

    def __init__(self, login: Login, *, check: RoleCheck | None = None,
                 name: str = "login", wide_number: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.login, self.check, self.task_name = login, check, name
        self.locked = False
        """Shown again by the idle lock (the screen's hint says so)."""
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = muted_label()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.number_label = QLabel()
        self.number = QLineEdit()
        self.number.setObjectName("staff-number")
        self.number.setMaxLength(20)
        self.pinpad = PinPad()
        self.pinpad.setObjectName("pinpad")
        self.number.returnPressed.connect(self.pinpad.setFocus)
        self.pinpad.submitted.connect(self.submit)
        self.status = QLabel()
        self.status.setObjectName("login-status")
        self.status.setWordWrap(True)
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)  # as the screens' scrolled body (ui.widgets.layouts)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(labelled(self.number_label, self.number) if wide_number
                         else centred(self.number_label, self.number))
        layout.addWidget(self.status)
        layout.addLayout(centred(self.pinpad))
        self.retranslate()

    def enter(self, *, number: object = None, locked: object = False, **_: Any) -> None:
        """Shown (a screen's ``enter`` params): after the idle lock, ``locked`` with the
        staff ``number`` kept, so the same person types only the PIN (the focus goes to
        the pad when a number is there, else to the number)."""
        self.locked = bool(locked)
        if number:
            self.number.setText(str(number))
        (self.pinpad if self.number.text() else self.number).setFocus()

    def clear(self) -> None:
        """Nothing typed stays: the PIN, the number and the last message."""
        self.pinpad.clear()
        self.number.clear()
        self.status.clear()
        self.locked = False

    def submit(self, pin: str) -> None:
        """Log in with the number typed and ``pin`` (the PIN pad's OK)."""
        number = self.number.text().strip()
        if not number:
            self.status.setText(self.tr("Enter your staff number first."))
            self.number.setFocus()
            return
        self.status.setText(self.tr("Checking…"))
        self.pinpad.setEnabled(False)
        run_task(self.login, number, pin, owner=self, on_result=self._logged_in,
                 on_error=self._refused, name=self.task_name)

    def _logged_in(self, result: Any) -> None:
        self.pinpad.setEnabled(True)
        reason = self.check(result) if self.check is not None else None
        if reason is not None:
            self.status.setText(reason)
            self.turned_away.emit(result)
            return
        self.status.clear()
        self.admitted.emit(result)

    def _refused(self, failure: Failure) -> None:
        self.pinpad.setEnabled(True)
        self.status.setText(failure.message())
        self.pinpad.setFocus()

    def retranslate(self) -> None:
        self.number_label.setText(self.tr("Staff number"))
        self.number.setAccessibleName(self.tr("Staff number"))


__all__ = ["Login", "LoginForm", "RoleCheck"]
