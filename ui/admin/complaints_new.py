"""A complaint a customer makes to a member of staff, entered on the register page:
category, what the customer said, the call-back phone only with the customer's consent,
the ticket it is about. Saved through ``kiosk.app.complaint_register.enter_complaint``
(audited, the phone masked); a refusal (a phone that is not one, no consent, an unknown
ticket) shows in the banner and keeps what was typed."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from kiosk.app import complaint_register as register
from kiosk.app.complaints import ComplaintInfo, complaint_categories
from ui import i18n
from ui.admin.pages import AdminContext
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton, choice_button
from ui.widgets.retranslate import Retranslating

COLUMNS = 3


class NewComplaint(Retranslating, QFrame):
    """The form; ``saved(reference)`` once stored, ``closed`` on Cancel."""

    saved = Signal(str)
    closed = Signal()

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.setObjectName("new-complaint")
        self.setProperty("kind", "panel")
        self.context = context
        self.category: str | None = None
        self._task: Task | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        self.title = QLabel()
        self.title.setProperty("kind", "section")
        grid = QGridLayout()
        grid.setSpacing(8)
        self.categories = complaint_categories()
        self.category_buttons: dict[str, TouchButton] = {}
        for index, kind in enumerate(self.categories):
            button = choice_button(f"new-category-{kind.code}", self.choose, kind.code)
            grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.category_buttons[kind.code] = button
        self.text = QPlainTextEdit()
        self.text.setObjectName("new-complaint-text")
        self.text.setFixedHeight(110)
        row = QHBoxLayout()
        self.phone = QLineEdit()
        self.phone.setObjectName("new-complaint-phone")
        self.phone.setMaxLength(20)
        self.ticket = QLineEdit()
        self.ticket.setObjectName("new-complaint-ticket")
        self.ticket.setMaxLength(8)
        row.addWidget(self.phone, 2)
        row.addWidget(self.ticket, 1)
        self.consent = QCheckBox()
        self.consent.setObjectName("new-complaint-consent")
        buttons = QHBoxLayout()
        self.save_button = TouchButton(kind="primary")
        self.save_button.setObjectName("new-complaint-save")
        self.save_button.clicked.connect(self.save)
        self.cancel_button = TouchButton()
        self.cancel_button.setObjectName("new-complaint-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addWidget(self.text)
        layout.addLayout(row)
        layout.addWidget(self.consent)
        layout.addLayout(buttons)
        self.retranslate()

    def choose(self, code: str) -> None:
        self.category = code
        for key, button in self.category_buttons.items():
            button.setChecked(key == code)

    def reset(self) -> None:
        """Nothing typed stays (Cancel, a saved complaint, logout)."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.category = None
        for button in self.category_buttons.values():
            button.setChecked(False)
        for field in (self.text, self.phone, self.ticket):
            field.clear()
        self.consent.setChecked(False)
        self.save_button.setEnabled(True)

    def cancel(self) -> None:
        self.reset()
        self.closed.emit()

    def save(self) -> None:
        if self._task is not None:
            return
        if self.category is None:
            self.context.notify(self.tr("Choose what the complaint is about."), "error")
            return
        self.save_button.setEnabled(False)
        self._task = run_task(
            register.enter_complaint, self.context.app, self.context.staff, self.category,
            self.text.toPlainText(), phone=self.phone.text().strip() or None,
            consent=self.consent.isChecked(), ticket=self.ticket.text().strip() or None,
            owner=self, name="enter_complaint", on_result=self._saved, on_error=self._refused)

    def _saved(self, info: ComplaintInfo) -> None:
        self._task = None
        self.reset()
        self.context.notify(self.tr("%1 received; feedback due by %2").replace(
            "%1", info.reference).replace("%2", info.feedback_due), "success")
        self.saved.emit(info.reference)

    def _refused(self, failure: Failure) -> None:
        self._task = None
        self.save_button.setEnabled(True)
        self.context.notify(failure.message(), "error")

    def retranslate(self) -> None:
        zh = i18n.current_language() == "zh_CN"
        self.title.setText(self.tr("New complaint (a customer at the desk or on the phone)"))
        for kind in self.categories:
            self.category_buttons[kind.code].setText(kind.name_zh if zh else kind.name_en)
        self.text.setPlaceholderText(self.tr("What the customer said"))
        self.text.setAccessibleName(self.tr("What the customer said"))
        self.phone.setPlaceholderText(self.tr("Call-back phone (optional)"))
        self.phone.setAccessibleName(self.tr("Call-back phone (optional)"))
        self.ticket.setPlaceholderText(self.tr("Ticket, e.g. D007"))
        self.ticket.setAccessibleName(self.tr("Ticket, e.g. D007"))
        self.consent.setText(self.tr("The customer agrees to be called back on this number"))
        self.save_button.setText(self.tr("Save"))
        self.cancel_button.setText(self.tr("Cancel"))


__all__ = ["NewComplaint"]
