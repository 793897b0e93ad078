"""The end of a claim documents check: complete, or everything missing; the one-time
notice printed; a claims ticket taken and linked to the check."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from kiosk.app import AppContext
from kiosk.app.claims import ClaimCheckInfo, print_notice, take_claims_ticket
from kiosk.app.tickets import TakenTicket
from ui.customer.claims import original_text
from ui.customer.page import Page
from ui.customer.states import State
from ui.customer.widgets import ChoiceButton, pick
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton


class ClaimResultScreen(Page):
    """Complete, or everything missing; print the notice; take a linked claims ticket."""

    keeps_history = True

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.check: ClaimCheckInfo | None = None
        self.printing = False
        self.verdict = QLabel()
        self.verdict.setObjectName("claim-verdict")
        self.verdict.setProperty("kind", "title")
        self.verdict.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("claim-details")
        self.details.setWordWrap(True)
        self.reference = QLabel()
        self.reference.setProperty("kind", "muted")
        self.print_status = QLabel()
        self.print_status.setObjectName("notice-status")
        self.print_status.setWordWrap(True)
        self.care = ChoiceButton()
        self.care.setObjectName("priority-care")
        for widget in (self.verdict, self.details, self.reference, self.print_status,
                       self.care):
            self.body.addWidget(widget)
        self.body.addStretch(1)
        self.print_button = TouchButton()
        self.print_button.setObjectName("print-notice")
        self.ticket_button = TouchButton(kind="primary")
        self.ticket_button.setObjectName("take-claims-ticket")
        self.buttons.addWidget(self.print_button, 1)
        self.buttons.addWidget(self.ticket_button, 1)
        self.print_button.clicked.connect(self._print)
        self.ticket_button.clicked.connect(self._take)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        check = params.get("check")
        if isinstance(check, ClaimCheckInfo):
            self.check = check
            self.ticket_button.setEnabled(True)
            self.print_button.setEnabled(True)
        self.retranslate()

    def reset(self) -> None:
        self.check = None
        self.care.setChecked(False)

    def _print(self) -> None:
        if self.check is None:
            return
        self.printing = True
        self.print_button.setEnabled(False)
        self.retranslate()
        run_task(print_notice, self.app, self.check, owner=self, on_result=self._printed,
                 on_error=self._print_failed, name="print claim notice")

    def _printed(self, check: ClaimCheckInfo) -> None:
        self.printing = False
        self.check = check
        self.print_button.setEnabled(True)
        self.retranslate()

    def _print_failed(self, failure: Failure) -> None:
        self.printing = False
        self.print_button.setEnabled(True)
        self.failed(failure)
        self.retranslate()

    def _take(self) -> None:
        if self.check is None:
            return
        self.ticket_button.setEnabled(False)
        priority = "care" if self.care.isChecked() else "normal"
        run_task(take_claims_ticket, self.app, self.check.reference, priority, owner=self,
                 on_result=self._taken, on_error=self._take_failed, name="take claims ticket")

    def _taken(self, ticket: TakenTicket) -> None:
        self.care.setChecked(False)
        self.move_to(State.TICKET, ticket=ticket)

    def _take_failed(self, failure: Failure) -> None:
        self.ticket_button.setEnabled(True)
        self.failed(failure)

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Document check"))
        self.print_button.setText(self.tr("Print this list"))
        self.ticket_button.setText(self.tr("Take a claims ticket"))
        self.care.setText(self.tr("Priority care (爱心通道)"))
        self.care.set_accessible(self.tr("Priority care"))
        check = self.check
        if check is None:
            for label in (self.verdict, self.details, self.reference, self.print_status):
                label.clear()
            self.intro.clear()
            return
        self.intro.setText(pick(check.claim_type_name_zh, check.claim_type_name_en))
        missing = [d for d in check.documents if not d.present]
        if check.complete:
            self.verdict.setText(self.tr("Your documents are complete."))
            lines = [self.tr("With complete documents we decide by %1, unless the claim "
                             "needs an investigation.").replace("%1", check.decision_by or "")]
        else:
            self.verdict.setText(self.tr("%1 document(s) missing").replace(
                "%1", str(len(missing))))
            lines = [self.tr("Please also bring:")]
            lines += ["• " + self.tr("%1 (%2)").replace("%1", pick(d.name_zh, d.name_en))
                      .replace("%2", original_text(d.original)) for d in missing]
        originals = [d for d in check.documents if d.original != "C"]
        if originals:
            lines.append("")
            lines.append(self.tr("Bring the originals of: %1").replace(
                "%1", pick("、", ", ").join(pick(d.name_zh, d.name_en) for d in originals)))
        self.details.setText("\n".join(lines))
        self.reference.setText(self.tr("Check reference %1").replace("%1", check.reference))
        self.print_status.setText(self._print_text())
        self.print_status.setVisible(bool(self.print_status.text()))

    def _print_text(self) -> str:
        if self.printing:
            return self.tr("Printing...")
        outcome = self.check.print if self.check is not None else None
        if outcome is None:
            return ""
        if outcome.printed:
            return self.tr("Printed: please take the list from the printer.")
        return self.tr("The list could not be printed (%1). Staff can print it for you "
                       "with reference %2.").replace(
            "%1", pick(outcome.reason_zh, outcome.reason_en).rstrip("。.")).replace(
            "%2", self.check.reference if self.check else "")
