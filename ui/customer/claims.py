"""Checking claim documents before queueing: the claim type (icon and words), the
yes/no questions, the documents the customer has (each with its explanation and
original or copy), then complete or everything missing, the one-time notice printed,
and a claims ticket linked to the check."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import AppContext
from kiosk.app.claims import (
    ClaimCheckInfo,
    ClaimTypeDocuments,
    ClaimTypes,
    DocumentInfo,
    check_claim,
    claim_documents,
    claim_requirements,
    claim_types,
)
from ui.customer.page import Page
from ui.customer.states import State
from ui.customer.widgets import ChoiceButton, TileButton, pick
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton, muted_label

ORIGINAL = {"O": ("原件", "original"), "C": ("复印件", "copy"),
            "O*": ("原件核对后留复印件", "original shown, copy kept")}


def original_text(mark: str) -> str:
    zh, en = ORIGINAL.get(mark, (mark, mark))
    return pick(zh, en)


class ClaimTypeScreen(Page):
    """Which claim: one tile per claim type with its icon."""

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.types: ClaimTypes | None = None
        self.tiles: dict[str, TileButton] = {}
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.body.addLayout(self.grid)
        self.body.addStretch(1)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        if self.types is None:
            run_task(claim_types, self.app, owner=self, on_result=self._show,
                     on_error=self.failed, name="claim types")

    def _show(self, types: ClaimTypes) -> None:
        self.types = types
        for index, kind in enumerate(types.types):
            tile = TileButton()
            tile.setObjectName(f"claim-{kind.code}")
            tile.set_icon_name(f"claim-{kind.code}")
            tile.clicked.connect(lambda _=False, c=kind.code: self.move_to(
                State.CLAIM_QUESTIONS, claim_type=c))
            self.grid.addWidget(tile, index // 2, index % 2)
            tile.show()  # at once, not at the next turn of the event loop
            self.tiles[kind.code] = tile
        self.retranslate()

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Check claim documents"))
        self.intro.setText(self.tr("What is your claim about? We list every document you "
                                   "need, so you can hand everything in at once."))
        for kind in self.types.types if self.types else ():
            self.tiles[kind.code].set_texts(pick(kind.name_zh, kind.name_en))


class ClaimQuestionsScreen(Page):
    """The yes/no questions of the claim type; Next once every one is answered."""

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.claim_type = ""
        self.documents: ClaimTypeDocuments | None = None
        self.groups: dict[str, QButtonGroup] = {}
        self.labels: dict[str, QLabel] = {}
        self.choices: dict[str, list[ChoiceButton]] = {}  # per question: yes, no
        self.next_button = TouchButton(kind="primary")
        self.next_button.setObjectName("next")
        self.next_button.clicked.connect(self._next)
        self.buttons.addWidget(self.next_button)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        claim_type = params.get("claim_type")
        if claim_type and claim_type != self.claim_type:
            self.claim_type, self.documents = claim_type, None
            self.clear_rows()
            self.groups, self.labels, self.choices = {}, {}, {}
            self.retranslate()
            run_task(claim_documents, self.app, claim_type, owner=self, on_result=self._show,
                     on_error=self.failed, name="claim questions")

    def reset(self) -> None:
        for group in self.groups.values():
            group.setExclusive(False)
            for button in group.buttons():
                button.setChecked(False)
            group.setExclusive(True)
        self._update()

    def _show(self, documents: ClaimTypeDocuments) -> None:
        self.documents = documents
        for question in documents.questions:
            label = QLabel()
            label.setWordWrap(True)
            row = QWidget()
            row.setObjectName(f"question-{question.code}")
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, 8, 0, 8)
            answers = QHBoxLayout()
            group = QButtonGroup(row)
            self.choices[question.code] = []
            for value in ("yes", "no"):
                button = ChoiceButton()
                button.setObjectName(f"{question.code}-{value}")
                group.addButton(button)
                answers.addWidget(button)
                self.choices[question.code].append(button)
            group.buttonToggled.connect(lambda *_: self._update())
            row_layout.addWidget(label)
            row_layout.addLayout(answers)
            self.body.addWidget(row)
            row.show()
            self.groups[question.code], self.labels[question.code] = group, label
        self.body.addStretch(1)
        self.retranslate()

    def answers(self) -> dict[str, bool]:
        return {code: group.checkedButton() is group.buttons()[0]
                for code, group in self.groups.items() if group.checkedButton() is not None}

    def _update(self) -> None:
        self.next_button.setEnabled(self.documents is not None
                                    and len(self.answers()) == len(self.groups))

    def _next(self) -> None:
        self.move_to(State.CLAIM_DOCUMENTS, claim_type=self.claim_type, answers=self.answers())

    def retranslate(self) -> None:
        assert self.header is not None
        name = pick(self.documents.name_zh, self.documents.name_en) if self.documents else ""
        self.header.set_title(self.tr("Claim: %1").replace("%1", name) if name
                              else self.tr("Check claim documents"))
        self.intro.setText(self.tr("Please answer each question: the answers decide which "
                                   "documents you need.") if self.documents
                           else self.tr("Loading..."))
        self.next_button.setText(self.tr("Next"))
        for question in self.documents.questions if self.documents else ():
            self.labels[question.code].setText(pick(question.text_zh, question.text_en))
            yes, no = self.choices[question.code]
            yes.setText(self.tr("Yes"))
            no.setText(self.tr("No"))
            for button in (yes, no):
                button.set_accessible(f"{button.text()}: {self.labels[question.code].text()}")
        self._update()


class ClaimDocumentsScreen(Page):
    """Every document needed, to tick the ones the customer has."""

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.claim_type = ""
        self.answers: dict[str, bool] = {}
        self.required: tuple[DocumentInfo, ...] = ()
        self.boxes: dict[str, QCheckBox] = {}
        self.hints: dict[str, QLabel] = {}
        self.check_button = TouchButton(kind="primary")
        self.check_button.setObjectName("check")
        self.check_button.clicked.connect(self._check)
        self.buttons.addWidget(self.check_button)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        claim_type, answers = params.get("claim_type"), params.get("answers")
        if claim_type is None or answers is None:
            return
        if (claim_type, answers) == (self.claim_type, self.answers) and self.required:
            return  # Back from the result: keep what was ticked
        self.claim_type, self.answers, self.required = claim_type, dict(answers), ()
        self.clear_rows()
        self.boxes, self.hints = {}, {}
        self.check_button.setEnabled(False)
        self.retranslate()
        run_task(claim_requirements, self.app, claim_type, answers, owner=self,
                 on_result=self._show, on_error=self.failed, name="claim documents")

    def reset(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)

    def _show(self, required: tuple[DocumentInfo, ...]) -> None:
        self.required = required
        for document in required:
            box = QCheckBox()
            box.setObjectName(f"doc-{document.code}")
            box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            hint = muted_label()
            row = QWidget()
            row_layout = QVBoxLayout(row)
            row_layout.setContentsMargins(0, 4, 0, 4)
            row_layout.setSpacing(2)
            row_layout.addWidget(box)
            row_layout.addWidget(hint)
            self.body.addWidget(row)
            row.show()
            self.boxes[document.code], self.hints[document.code] = box, hint
        self.body.addStretch(1)
        self.check_button.setEnabled(True)
        self.retranslate()

    def have(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def _check(self) -> None:
        self.check_button.setEnabled(False)
        run_task(check_claim, self.app, self.claim_type, self.answers, self.have(),
                 owner=self, on_result=self._checked, on_error=self._check_failed,
                 name="check claim")

    def _checked(self, check: ClaimCheckInfo) -> None:
        self.check_button.setEnabled(True)
        self.move_to(State.CLAIM_RESULT, check=check)

    def _check_failed(self, failure: Failure) -> None:
        self.check_button.setEnabled(True)
        self.failed(failure)

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Your documents"))
        self.intro.setText(self.tr("Tick every document you have with you today.")
                           if self.required else self.tr("Loading..."))
        self.check_button.setText(self.tr("Check my documents"))
        for document in self.required:
            name = pick(document.name_zh, document.name_en)
            mark = original_text(document.original)
            hint = pick(document.hint_zh, document.hint_en)
            self.boxes[document.code].setText(name)  # short: a check box does not wrap
            self.boxes[document.code].setAccessibleName(self.tr("%1 (%2)").replace(
                "%1", name).replace("%2", mark))
            self.hints[document.code].setText(self.tr("%1 · %2").replace(
                "%1", mark).replace("%2", hint))
