"""The counter terminal's login: staff number and PIN. Also the screen the terminal
returns to when it locks itself after being left idle (the number stays filled in,
so the same clerk types only the PIN)."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import QVBoxLayout

from kiosk.app import staff as staff_app
from ui.counter.controller import CounterDesk
from ui.shell import Screen
from ui.widgets import LoginForm, scrolled_body


class LoginScreen(Screen):
    """The counter's number and a hint over the login form (wrong PIN with attempts
    left, locked until HH:MM, disabled: in words)."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__()
        self.desk = desk
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer)
        self.form = LoginForm(partial(staff_app.login, desk.app), wide_number=True)
        self.form.admitted.connect(desk.start_session)
        layout.addWidget(self.form)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.form.title.setText(self.tr("Counter %1").replace("%1", str(self.desk.counter)))
        self.form.hint.setText(self.tr("Locked after a pause. Enter your PIN to carry on.")
                               if self.form.locked else
                               self.tr("Staff login: your staff number, then your PIN."))
        self.form.number.setPlaceholderText(self.tr("e.g. S0401"))

    def enter(self, **params: Any) -> None:
        self.form.enter(**params)
        self.retranslate()

    def reset(self) -> None:
        """Logout or idle lock: nothing typed stays (the lock puts the number back)."""
        self.form.clear()


__all__ = ["LoginScreen"]
