"""The setup role's login: a technician's (or supervisor's) staff number and PIN."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.app import staff as staff_app
from kiosk.staff.permissions import StaffSession
from ui.shell import Screen
from ui.widgets import LoginForm, scrolled_body

if TYPE_CHECKING:
    from ui.admin.window import AdminWindow


class SetupLogin(Screen):
    """The role's title and hint over the login form; a role that may not set up
    devices is told so."""

    def __init__(self, window: AdminWindow) -> None:
        super().__init__()
        self.window_ = window
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer, margins=40)
        self.form = LoginForm(partial(staff_app.login, window.context.app),
                              check=self._refusal)
        self.form.admitted.connect(self._logged_in)
        layout.addWidget(self.form)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.form.title.setText(self.tr("Device setup"))
        self.form.hint.setText(self.tr("Technician login: your staff number, then your PIN."))
        self.form.number.setPlaceholderText(self.tr("e.g. S9101"))

    def enter(self, **params: Any) -> None:
        self.form.number.setFocus()

    def reset(self) -> None:
        self.form.clear()

    def _refusal(self, session: StaffSession) -> str | None:
        if self.window_.can_log_in(session):
            return None
        return self.tr("Only a technician or a supervisor may set up devices.")

    def _logged_in(self, session: StaffSession) -> None:
        self.form.number.clear()
        self.window_.start_session(session)


__all__ = ["SetupLogin"]
