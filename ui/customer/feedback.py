"""Feedback and complaints (the comment book): a category, the text typed on the
on-screen keyboard (Pinyin or English), an optional phone number for a call back with
its consent line; then the acknowledgement with its reference and the promised date,
printed. The phone is shown masked from the moment it is stored."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
)

from kiosk.app import AppContext
from kiosk.app.complaints import (
    ComplaintInfo,
    complaint_categories,
    print_complaint_receipt,
    submit_complaint,
)
from kiosk.app.printout import PrintOutcome
from kiosk.feedback.complaints import TEXT_MAX
from ui.customer.page import Page
from ui.customer.states import State
from ui.customer.widgets import ChoiceButton, pick
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton, muted_label

PHONE_MAX = 20


class FeedbackScreen(Page):
    """The form. Nothing typed is lost when the phone number is refused."""

    def __init__(self, app: AppContext, retention_days: int = 180) -> None:
        super().__init__()
        self.app = app
        self.retention_days = retention_days
        self.categories = complaint_categories()  # fixed data, no database
        self.sending = False
        self.category_label = QLabel()
        self.category_label.setProperty("kind", "section")
        grid = QGridLayout()
        grid.setSpacing(16)
        self.group = QButtonGroup(self)
        self.category_buttons: dict[str, ChoiceButton] = {}
        for index, category in enumerate(self.categories):
            button = ChoiceButton()
            button.setObjectName(f"category-{category.code}")
            self.group.addButton(button)
            grid.addWidget(button, index // 3, index % 3)
            self.category_buttons[category.code] = button
        self.text_label = QLabel()
        self.text_label.setProperty("kind", "section")
        self.text = QPlainTextEdit()
        self.text.setObjectName("feedback-text")
        self.text.setTabChangesFocus(True)
        self.count = QLabel()
        self.count.setProperty("kind", "muted")
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.phone_label = QLabel()
        self.phone_label.setProperty("kind", "section")
        self.phone = QLineEdit()
        self.phone.setObjectName("feedback-phone")
        self.phone.setMaxLength(PHONE_MAX)
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.consent = QCheckBox()
        self.consent.setObjectName("feedback-consent")
        self.consent.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.consent_note = muted_label()
        self.problem = QLabel()
        self.problem.setObjectName("feedback-problem")
        self.problem.setProperty("kind", "error")
        self.problem.setWordWrap(True)
        self.problem.hide()
        # Two columns in landscape (what and the text | the call back), one in portrait.
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.columns.setSpacing(32)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.setSpacing(16)
        right.setSpacing(16)
        left.addWidget(self.category_label)
        left.addLayout(grid)
        for widget in (self.text_label, self.text, self.count):
            left.addWidget(widget)
        for part in (self.phone_label, self.phone, self.consent, self.consent_note,
                     self.problem):
            right.addWidget(part)
        left.addStretch(1)
        right.addStretch(1)
        self.columns.addLayout(left, 3)
        self.columns.addLayout(right, 2)
        self.body.addLayout(self.columns)
        self.body.addStretch(1)
        self.submit_button = TouchButton(kind="primary")
        self.submit_button.setObjectName("submit")
        self.buttons.addWidget(self.submit_button)
        self.group.buttonToggled.connect(lambda *_: self._update())
        self.text.textChanged.connect(self._update)
        self.phone.textChanged.connect(self._update)
        self.phone.textChanged.connect(self.problem.hide)  # the number is being corrected
        self.consent.toggled.connect(self._update)
        self.submit_button.clicked.connect(self.submit)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        wide = event.size().width() > event.size().height()
        self.columns.setDirection(QBoxLayout.Direction.LeftToRight if wide
                                  else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)

    def set_retention_days(self, days: int) -> None:
        self.retention_days = days
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.sending = False
        self._update()

    def leave(self) -> None:
        QGuiApplication.inputMethod().hide()

    def reset(self) -> None:
        self.group.setExclusive(False)
        for button in self.category_buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)
        self.text.clear()
        self.phone.clear()
        self.consent.setChecked(False)
        self.problem.hide()
        self.sending = False
        self._update()

    def chosen(self) -> str | None:
        for code, button in self.category_buttons.items():
            if button.isChecked():
                return code
        return None

    def _update(self) -> None:
        length = len(self.text.toPlainText().strip())
        self.count.setText(f"{length} / {TEXT_MAX}")
        phone = bool(self.phone.text().strip())
        self.consent.setEnabled(phone)
        if not phone and self.consent.isChecked():
            self.consent.setChecked(False)
        ready = (self.chosen() is not None and 0 < length <= TEXT_MAX
                 and (not phone or self.consent.isChecked()) and not self.sending)
        self.submit_button.setEnabled(ready)

    def submit(self) -> None:
        category = self.chosen()
        if category is None:
            return
        self.sending = True
        self.problem.hide()
        self._update()
        QGuiApplication.inputMethod().hide()
        run_task(submit_complaint, self.app, category, self.text.toPlainText(),
                 phone=self.phone.text().strip() or None, consent=self.consent.isChecked(),
                 source="kiosk", owner=self, on_result=self._received,
                 on_error=self._refused, name="submit feedback")

    def _received(self, info: ComplaintInfo) -> None:
        self.reset()
        self.move_to(State.FEEDBACK_DONE, complaint=info)

    def _refused(self, failure: Failure) -> None:
        self.sending = False
        if failure.expected:  # a phone that is not one: say so here, keep the text
            self.problem.setText(failure.message())
            self.problem.show()
            self.scroller.ensureWidgetVisible(self.problem)
        else:
            self.failed(failure)
        self._update()

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Feedback and complaints"))
        self.intro.setText(self.tr("Tell us what went well or what we can do better. "
                                   "Touch the box to type; the keyboard writes Pinyin or "
                                   "English."))
        self.category_label.setText(self.tr("1. What is it about?"))
        for category in self.categories:
            self.category_buttons[category.code].setText(
                pick(category.name_zh, category.name_en))
        self.text_label.setText(self.tr("2. Your feedback"))
        self.text.setPlaceholderText(self.tr("Write here..."))
        self.text.setAccessibleName(self.tr("Your feedback"))
        self.phone_label.setText(self.tr("3. Phone number for a call back (optional)"))
        self.phone.setPlaceholderText(self.tr("Mobile or landline with area code"))
        self.phone.setAccessibleName(self.tr("Phone number for a call back"))
        self.consent.setText(self.tr("I agree to be called back on this number"))
        self.consent_note.setText(self.tr(
            "We use the number only to call you back about this feedback, show it only "
            "masked, and delete it after %1 days. Leave it empty to stay anonymous.").replace(
            "%1", str(self.retention_days)))
        self.submit_button.setText(self.tr("Submit"))
        self._update()


class FeedbackDoneScreen(Page):
    """The acknowledgement: reference, promised date, the masked phone, the printout."""

    keeps_history = False

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.complaint: ComplaintInfo | None = None
        self.outcome: PrintOutcome | None = None
        self.print_failure: Failure | None = None
        self.printing = False
        self.reference = QLabel()
        self.reference.setObjectName("feedback-reference")
        self.reference.setProperty("kind", "title")
        self.reference.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("feedback-details")
        self.details.setWordWrap(True)
        self.print_status = QLabel()
        self.print_status.setObjectName("receipt-status")
        self.print_status.setWordWrap(True)
        for widget in (self.reference, self.details, self.print_status):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self.done_button = TouchButton(kind="primary")
        self.done_button.setObjectName("done")
        self.done_button.clicked.connect(self.home_requested)
        self.buttons.addWidget(self.done_button)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        complaint = params.get("complaint")
        if not isinstance(complaint, ComplaintInfo):
            return
        self.complaint, self.outcome, self.print_failure = complaint, None, None
        self.printing = True
        self.retranslate()
        run_task(print_complaint_receipt, self.app, complaint.reference, owner=self,
                 on_result=self._printed, on_error=self._print_failed, name="print receipt")

    def reset(self) -> None:
        self.complaint, self.outcome, self.print_failure = None, None, None
        self.retranslate()

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printing, self.outcome = False, outcome
        self.retranslate()

    def _print_failed(self, failure: Failure) -> None:
        self.printing, self.print_failure = False, failure
        self.retranslate()

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Thank you"))
        self.done_button.setText(self.tr("Done"))
        complaint = self.complaint
        if complaint is None:
            for label in (self.intro, self.reference, self.details, self.print_status):
                label.clear()
            return
        self.intro.setText(self.tr("We have received your feedback."))
        self.reference.setText(self.tr("Reference %1").replace("%1", complaint.reference))
        lines = [self.tr("Category: %1").replace(
                     "%1", pick(complaint.category_name_zh, complaint.category_name_en)),
                 self.tr("We will tell you how it is going by %1.").replace(
                     "%1", complaint.feedback_due)]
        if complaint.contact:
            lines.append(self.tr("We will call you on %1.").replace("%1", complaint.contact))
        self.details.setText("\n".join(lines))
        self.print_status.setText(self._print_text())

    def _print_text(self) -> str:
        if self.printing:
            return self.tr("Printing your receipt...")
        if self.outcome is not None and self.outcome.printed:
            return self.tr("Please take your receipt from the printer.")
        reason = (pick(self.outcome.reason_zh, self.outcome.reason_en) if self.outcome
                  else self.print_failure.message() if self.print_failure else "")
        return self.tr("The receipt could not be printed (%1). Please note your reference; "
                       "your feedback is saved.").replace("%1", reason.rstrip("。."))
