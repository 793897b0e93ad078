"""Settings page: staff accounts (list, add, new PIN, disable or enable) through the
staff accounts' use cases (``kiosk.app.staff``), each audited there. A PIN is typed
twice, hidden, and never shown or kept after the action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from kiosk.app import staff as staff_app
from kiosk.app.staff import StaffView
from kiosk.staff.permissions import ROLE_NAMES
from ui import i18n
from ui.admin.settings_base import SettingsPage
from ui.admin.settings_rows import RowPicker
from ui.widgets import TouchButton, grid_widget

ROLES = tuple(ROLE_NAMES)


def pin_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly
                              | Qt.InputMethodHint.ImhSensitiveData
                              | Qt.InputMethodHint.ImhNoPredictiveText)
    return field


class StaffSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-staff`` (permission ``staff``)."""

    name = "staff"
    has_save = False  # each action is its own button
    code_fields = {"bad_number": "staff.number", "duplicate_staff": "staff.number",
                   "bad_name": "staff.name", "bad_role": "staff.role",
                   "bad_pin": "staff.pin", "weak_pin": "staff.pin",
                   "pins_differ": "staff.pin"}

    def build(self, form: QVBoxLayout) -> None:
        self.accounts: tuple[StaffView, ...] = ()
        body = self.split()
        left = QVBoxLayout()
        self.picker = RowPicker("staff-list")
        self.picker.chosen.connect(self._show_account)
        self.new_button = TouchButton()
        self.new_button.setObjectName("staff-new")
        self.new_button.clicked.connect(lambda: self._show_account(-1))
        left.addWidget(self.picker)
        left.addWidget(self.new_button)
        left.addStretch(1)
        body.addLayout(left, 1)
        host, grid = grid_widget()
        self.title = QLabel()
        self.title.setProperty("kind", "section")
        self.title.setObjectName("staff-title")
        self.state = QLabel()
        self.state.setObjectName("staff-state")
        self.state.setWordWrap(True)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.state, 1, 0, 1, 2)
        self.number, self.person = QLineEdit(), QLineEdit()
        self.number.setObjectName("staff-number")
        self.person.setObjectName("staff-name")
        self.role = QComboBox()
        self.role.setObjectName("staff-role")
        self.role.addItems(["", "", ""])
        self.pin, self.pin_again = pin_field("staff-pin"), pin_field("staff-pin-again")
        self.labels = {key: QLabel() for key in ("number", "name", "role", "pin", "pin_again")}
        widgets = {"number": self.number, "name": self.person, "role": self.role,
                   "pin": self.pin, "pin_again": self.pin_again}
        for row, (key, widget) in enumerate(widgets.items()):
            grid.addWidget(self.labels[key], 2 + 2 * row, 0)
            grid.addWidget(widget, 2 + 2 * row, 1)
            self.labels[key].setBuddy(widget)
            if key != "pin_again":
                grid.addWidget(self.error_label(f"staff.{key}"), 3 + 2 * row, 1)
        buttons = QHBoxLayout()
        self.add_button = TouchButton(kind="primary")
        self.add_button.setObjectName("staff-add")
        self.add_button.clicked.connect(self.add_account)
        self.pin_button = TouchButton()
        self.pin_button.setObjectName("staff-reset-pin")
        self.pin_button.clicked.connect(self.reset_pin)
        self.enable_button = TouchButton(kind="danger")
        self.enable_button.setObjectName("staff-enable")
        self.enable_button.clicked.connect(self.toggle_enabled)
        self.role_button = TouchButton()
        self.role_button.setObjectName("staff-set-role")
        self.role_button.clicked.connect(self.change_role)
        for button in (self.add_button, self.pin_button, self.role_button,
                       self.enable_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 12, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        body.addWidget(host, 2)
        form.addLayout(body)
        self._current = -1

    # -- showing ----------------------------------------------------------------------

    def read(self) -> Any:
        return staff_app.list_staff(self.app, self.staff)

    def fill(self, view: Any) -> None:
        self.accounts = tuple(view)
        self.picker.set_rows([self._row_text(a) for a in self.accounts])
        numbers = [a.number for a in self.accounts]
        chosen = self._chosen_number
        self._show_account(numbers.index(chosen) if chosen in numbers else -1)

    _chosen_number: str | None = None

    def _role_name(self, role: str) -> str:
        zh, en = ROLE_NAMES.get(role, (role, role))
        return zh if i18n.current_language() == "zh_CN" else en

    def _row_text(self, account: StaffView) -> str:
        text = f"{account.number} {account.name} · {self._role_name(account.role)}"
        return text if account.enabled else text + " · " + self.tr("disabled")

    def _show_account(self, index: int) -> None:
        self._current = index
        self.picker.current = index
        self.picker.set_rows([self._row_text(a) for a in self.accounts])
        account = self._account()
        self._chosen_number = account.number if account else None
        self.clear_errors()
        self.pin.clear()
        self.pin_again.clear()
        adding = account is None
        for field in (self.number, self.person):
            field.setReadOnly(not adding)
        self.number.setText(account.number if account else "")
        self.person.setText(account.name if account else "")
        self.role.setCurrentIndex(ROLES.index(account.role) if account else 0)
        self.add_button.setVisible(adding)
        self.pin_button.setVisible(not adding)
        self.role_button.setVisible(not adding)
        self.enable_button.setVisible(not adding)
        self._describe(account)

    def _describe(self, account: StaffView | None) -> None:
        if account is None:
            self.title.setText(self.tr("New account"))
            self.state.setText(self.tr("Type the staff number, the name, the role and a "
                                       "PIN of 4 to 8 digits twice."))
            return
        self.title.setText(f"{account.number} {account.name}")
        state = self.tr("Enabled") if account.enabled else self.tr("Disabled")
        if account.locked_until:
            state += " · " + self.tr("locked after wrong PINs until %1").replace(
                "%1", account.locked_until[11:16])
        state += " · " + self.tr("last login %1").replace(
            "%1", account.last_login_at[:16].replace("T", " ") if account.last_login_at
            else self.tr("never"))
        self.state.setText(state)
        self.enable_button.setText(self.tr("Disable") if account.enabled else self.tr("Enable"))
        self.enable_button.set_kind("danger" if account.enabled else "secondary")

    # -- acting -----------------------------------------------------------------------

    def _pins(self) -> str | None:
        """The PIN typed twice, or None (the difference shown by the field)."""
        pin, again = self.pin.text(), self.pin_again.text()
        self.pin.clear()
        self.pin_again.clear()
        if pin != again:
            self.show_problem("staff.pin", self.tr("The two PINs differ: type them again."))
            return None
        return pin

    def _act(self, call: Callable[[], Any]) -> None:
        if self.task is not None:
            return
        self.clear_errors()
        self._run(call, self._saved)

    def add_account(self) -> None:
        pin = self._pins()
        if pin is None:
            return
        number, name = self.number.text().strip(), self.person.text()
        role = ROLES[max(self.role.currentIndex(), 0)]
        self._chosen_number = number
        self._act(lambda: staff_app.add_staff(self.app, self.staff, number, name, role, pin))

    def reset_pin(self) -> None:
        number = self._chosen_number
        pin = self._pins()
        if pin is None or number is None:
            return
        self._act(lambda: staff_app.reset_pin(self.app, self.staff, number, pin))

    def _account(self) -> StaffView | None:
        """The account shown (None: a new one is being typed)."""
        index = self._current
        return self.accounts[index] if 0 <= index < len(self.accounts) else None

    def change_role(self) -> None:
        account = self._account()
        role = ROLES[max(self.role.currentIndex(), 0)]
        if account is None:
            return
        if role == account.role:
            self.context.notify(self.tr("The role is unchanged."), "info")
            return
        self._act(lambda: staff_app.set_role(self.app, self.staff, account.number, role))

    def toggle_enabled(self) -> None:
        account = self._account()
        if account is None:
            return
        self._act(lambda: staff_app.set_enabled(self.app, self.staff, account.number,
                                                not account.enabled))

    def needs_view(self) -> bool:
        return False

    def reset(self) -> None:
        super().reset()
        self.accounts, self._chosen_number = (), None
        self.picker.set_rows([])
        for field in (self.number, self.person, self.pin, self.pin_again):
            field.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Staff accounts. A PIN is never shown; a new one lifts "
                                   "a lockout. A disabled account cannot log in and its "
                                   "open sessions end at their next action."))
        self.new_button.setText(self.tr("New account"))
        names = {"number": self.tr("Staff number"), "name": self.tr("Name"),
                 "role": self.tr("Role"), "pin": self.tr("PIN (4-8 digits)"),
                 "pin_again": self.tr("PIN again")}
        for key, text in names.items():
            self.labels[key].setText(text)
        for widget, key in ((self.number, "number"), (self.person, "name"),
                            (self.role, "role"), (self.pin, "pin"),
                            (self.pin_again, "pin_again")):
            widget.setAccessibleName(names[key])
        for index, role in enumerate(ROLES):
            self.role.setItemText(index, self._role_name(role))
        self.add_button.setText(self.tr("Add account"))
        self.pin_button.setText(self.tr("Set new PIN"))
        self.role_button.setText(self.tr("Change role"))
        self.picker.setAccessibleName(self.tr("Staff accounts"))
        self.picker.set_rows([self._row_text(a) for a in self.accounts])
        self._describe(self._account())
        super().retranslate()


__all__ = ["StaffSettingsPage"]
