"""The counter terminal's secondary screens: transfer, call a number out of order,
the supervisor's approval of a pause, and the on-screen rating."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import counters as counters_app
from kiosk.app import desk as desk_app
from kiosk.app.counters import CounterView
from kiosk.app.desk import DeskSetup
from kiosk.app.staff import SupervisorPin
from ui import i18n
from ui.counter.controller import CounterDesk
from ui.counter.states import CounterState
from ui.shell import Screen
from ui.tasks import Failure, run_task
from ui.widgets import PinPad, TouchButton, centred, labelled, scrolled_body


class _DeskForm(Screen):
    """A page with the header (Back to the desk, no Home: Home would be the login),
    a message line, and the desk's answer to its action handled."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__()
        self.desk = desk
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.add_header(outer, home=False)
        self.content = scrolled_body(outer)
        self.message = QLabel()
        self.message.setObjectName("form-message")
        self.message.setWordWrap(True)
        desk.action_done.connect(self._done)
        desk.action_failed.connect(self._failed)
        self.action = ""

    def _done(self, action: str, view: CounterView) -> None:
        if action == self.action and self.isVisible():
            self.action = ""
            self.reset()
            self.back_requested.emit()

    def _failed(self, action: str, failure: Failure) -> None:
        if action == self.action and self.isVisible():
            self.action = ""
            self.message.setText(failure.message())

    def reset(self) -> None:
        self.message.clear()


class TransferScreen(_DeskForm):
    """One button per service the ticket can go to (not the one it is in)."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__(desk)
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.content.addWidget(self.message)
        self.content.addLayout(self.grid)
        self.content.addStretch(1)
        self.service_buttons: dict[str, TouchButton] = {}
        desk.setup_ready.connect(self._build)
        self.retranslate()

    def _build(self, setup: DeskSetup) -> None:
        for button in self.service_buttons.values():
            button.deleteLater()
        self.service_buttons = {}
        for index, service in enumerate(setup.services):
            button = TouchButton()
            button.setObjectName(f"service-{service.code}")
            button.clicked.connect(lambda _=False, c=service.code: self.choose(c))
            self.grid.addWidget(button, index, 0)  # one column: long names fit 640 px
            self.service_buttons[service.code] = button
        self.retranslate()

    def enter(self, **params: Any) -> None:
        current = self.desk.view.current if self.desk.view else None
        for code, button in self.service_buttons.items():
            button.setEnabled(current is None or code != current.service)
        self.message.clear()

    def choose(self, code: str) -> None:
        self.action = "transfer"
        self.desk.act("transfer", counters_app.transfer, code)

    def retranslate(self) -> None:
        if self.header:
            self.header.set_title(self.tr("Transfer to another service"))
        english = i18n.current_language() == "en"
        setup = self.desk.setup
        for service in setup.services if setup else ():
            button = self.service_buttons.get(service.code)
            if button is not None:
                button.setText(service.name_en if english else service.name_zh)


class _SupervisorForm(_DeskForm):
    """Two steps: the details of the request (the subclass's fields), then a
    supervisor's number and PIN. The PIN pad has a page of its own so the form fits
    the compact window without scrolling."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__(desk)
        self.steps = QStackedWidget()
        self.details_page = QWidget()
        self.details = QVBoxLayout(self.details_page)
        self.details.setContentsMargins(0, 0, 0, 0)
        self.details.setSpacing(12)
        self.approve_button = TouchButton(kind="primary")
        self.approve_button.setObjectName("to-supervisor")
        self.approve_button.clicked.connect(self.to_supervisor)
        pin_page = QWidget()
        pin_column = QVBoxLayout(pin_page)
        pin_column.setContentsMargins(0, 0, 0, 0)
        pin_column.setSpacing(12)
        self.supervisor_label = QLabel()
        self.supervisor = QLineEdit()
        self.supervisor.setObjectName("supervisor-number")
        self.supervisor.setMaxLength(20)
        self.pinpad = PinPad()
        self.pinpad.setObjectName("supervisor-pin")
        self.pinpad.submitted.connect(self.submit)
        self.details_button = TouchButton()
        self.details_button.setObjectName("to-details")
        self.details_button.clicked.connect(self.to_details)
        pin_column.addLayout(labelled(self.supervisor_label, self.supervisor))
        pin_column.addLayout(centred(self.pinpad))
        pin_column.addWidget(self.details_button)
        pin_column.addStretch(1)
        self.steps.addWidget(self.details_page)
        self.steps.addWidget(pin_page)
        self.content.addWidget(self.message)
        self.content.addWidget(self.steps)
        self.content.addStretch(1)

    def _finish_details(self) -> None:
        self.details.addWidget(self.approve_button)
        self.details.addStretch(1)

    def details_missing(self) -> str:
        """What the first step still lacks, in words; empty when complete."""
        return ""

    def to_supervisor(self) -> None:
        missing = self.details_missing()
        if missing:
            self.message.setText(missing)
            return
        self.message.clear()
        self.steps.setCurrentIndex(1)
        self.supervisor.setFocus()

    def to_details(self) -> None:
        self.pinpad.clear()
        self.steps.setCurrentIndex(0)

    def submit(self, pin: str) -> None:
        if not self.supervisor.text().strip():
            self.message.setText(self.tr("Enter the supervisor's number."))
            return
        self.approve(SupervisorPin(self.supervisor.text(), pin))

    def approve(self, supervisor: SupervisorPin) -> None:
        raise NotImplementedError

    def _retranslate_supervisor(self) -> None:
        self.supervisor_label.setText(self.tr("Supervisor number"))
        self.supervisor.setAccessibleName(self.tr("Supervisor number"))
        self.approve_button.setText(self.tr("Supervisor approval"))
        self.details_button.setText(self.tr("Back to the details"))

    def reset(self) -> None:
        super().reset()
        self.supervisor.clear()
        self.pinpad.clear()
        self.steps.setCurrentIndex(0)


class CallNumberScreen(_SupervisorForm):
    """Call one waiting number out of order: the number and the reason, then a
    supervisor's approval by PIN (the call is audited with all three)."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__(desk)
        self.number_label = QLabel()
        self.number = QLineEdit()
        self.number.setObjectName("ticket-number")
        self.number.setMaxLength(8)
        self.reason_label = QLabel()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.details.addLayout(labelled(self.number_label, self.number))
        self.details.addLayout(labelled(self.reason_label, self.reason))
        self._finish_details()
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.message.clear()
        self.number.setFocus()

    def details_missing(self) -> str:
        if not self.number.text().strip() or not self.reason.text().strip():
            return self.tr("Fill in the number and the reason.")
        return ""

    def approve(self, supervisor: SupervisorPin) -> None:
        self.action = "call_specific"
        self.desk.act("call_specific", counters_app.call_number, self.number.text(),
                      self.reason.text(), supervisor)

    def reset(self) -> None:
        super().reset()
        self.number.clear()
        self.reason.clear()

    def retranslate(self) -> None:
        if self.header:
            self.header.set_title(self.tr("Call a number out of order"))
        self.number_label.setText(self.tr("Ticket number"))
        self.number.setAccessibleName(self.tr("Ticket number"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setAccessibleName(self.tr("Reason"))
        self._retranslate_supervisor()


class OverrideScreen(_SupervisorForm):
    """暂停办公 refused because this is the last open counter of a service: the rule
    in words and an optional reason, then a supervisor approves by PIN (or the clerk
    goes back and stays open)."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__(desk)
        self.why = QLabel()
        self.why.setObjectName("override-why")
        self.why.setWordWrap(True)
        self.reason_label = QLabel()
        self.reason = QLineEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaxLength(200)
        self.details.addWidget(self.why)
        self.details.addLayout(labelled(self.reason_label, self.reason))
        self._finish_details()
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.why.setText(str(params.get("message", "")))
        self.message.clear()

    def approve(self, supervisor: SupervisorPin) -> None:
        self.action = "pause"
        self.desk.act("pause", counters_app.pause_counter, self.reason.text(), supervisor)

    def reset(self) -> None:
        super().reset()
        self.reason.clear()

    def retranslate(self) -> None:
        if self.header:
            self.header.set_title(self.tr("Pause needs a supervisor"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setAccessibleName(self.tr("Reason"))
        self._retranslate_supervisor()


class RatingScreen(Screen):
    """Shown to the customer after 办结 at a counter without a keypad: one big button
    per value of the branch's scale, and Skip (stored as not rated)."""

    keeps_history = False

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__()
        self.desk = desk
        self.ticket = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer)
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.column = QVBoxLayout()
        self.column.setSpacing(12)
        self.skip = TouchButton()
        self.skip.setObjectName("skip")
        self.skip.clicked.connect(lambda: self.rate("none"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addLayout(self.column)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.skip)
        self.value_buttons: dict[str, TouchButton] = {}
        desk.setup_ready.connect(self._build)
        self.retranslate()

    def _build(self, setup: DeskSetup) -> None:
        for button in self.value_buttons.values():
            button.deleteLater()
        self.value_buttons = {}
        for value in setup.rating_values:
            button = TouchButton()  # every value looks the same: no nudging
            button.setObjectName(f"rate-{value}")
            button.clicked.connect(lambda _=False, v=value: self.rate(v))
            self.column.addWidget(button)
            self.value_buttons[value] = button
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.ticket = str(params.get("ticket", ""))
        self.message.clear()
        self.retranslate()

    def rate(self, value: str) -> None:
        if not self.ticket:
            self.back_requested.emit()
            return
        session = self.desk.session
        if session is None:
            return
        run_task(desk_app.rate_on_screen, self.desk.app, session, self.desk.counter,
                 self.ticket, value, owner=self, on_result=lambda _: self._rated(),
                 on_error=self._failed)

    def _rated(self) -> None:
        self.ticket = ""
        self.move_to(CounterState.DESK)

    def _failed(self, failure: Failure) -> None:
        self.message.setText(failure.message())

    def retranslate(self) -> None:
        self.title.setText(self.tr("How satisfied are you with our service?") + (
            f"  {self.ticket}" if self.ticket else ""))
        labels = {"very_satisfied": self.tr("Very satisfied"),
                  "satisfied": self.tr("Satisfied"), "neutral": self.tr("Neutral"),
                  "dissatisfied": self.tr("Dissatisfied"),
                  "very_dissatisfied": self.tr("Very dissatisfied")}
        for value, button in self.value_buttons.items():
            button.setText(labels.get(value, value))
        self.skip.setText(self.tr("Skip"))


__all__ = ["CallNumberScreen", "OverrideScreen", "RatingScreen", "TransferScreen"]
