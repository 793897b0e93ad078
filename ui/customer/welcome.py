"""The welcome screen: the branch, the date and time, the language and large-text
switches, and the four ways in (ticket, claim documents, feedback, information)."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.app.information import BranchFacts
from ui import i18n, theme
from ui.customer.states import State
from ui.customer.widgets import TileButton, pick
from ui.shell import Screen
from ui.widgets import TouchButton, muted_label

ENTRIES = (State.SERVICES, State.CLAIM_TYPE, State.FEEDBACK, State.INFO)


class WelcomeScreen(Screen):
    """Home of the customer kiosk; no Back or Home here."""

    def __init__(self) -> None:
        super().__init__()
        self.facts: BranchFacts | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.setSpacing(24)
        top = QHBoxLayout()
        self.branch_label = QLabel()
        self.branch_label.setProperty("kind", "title")
        self.branch_label.setWordWrap(True)
        self.clock_label = QLabel()
        self.clock_label.setObjectName("clock")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.branch_label, 1)
        top.addWidget(self.clock_label)
        self.greeting = QLabel()
        self.greeting.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.entries: dict[State, TileButton] = {}
        for state in ENTRIES:
            button = TileButton(kind="entry")
            button.setObjectName(f"entry-{state.name.lower().replace('_', '-')}")
            button.set_icon_name(f"entry-{state.name.lower()}")
            button.clicked.connect(lambda _=False, s=state: self.move_to(s))
            self.entries[state] = button
        self._columns = 0
        self._place_entries(2)
        bottom = QHBoxLayout()
        bottom.setSpacing(24)
        self.language_button = TouchButton()
        self.language_button.setObjectName("language")
        self.large_button = TouchButton(kind="choice")
        self.large_button.setObjectName("large-text")
        self.large_button.setCheckable(True)
        self.hotline_label = muted_label()
        self.hotline_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.language_button)
        bottom.addWidget(self.large_button)
        bottom.addWidget(self.hotline_label, 1)
        layout.addLayout(top)
        layout.addWidget(self.greeting)
        layout.addLayout(self.grid, 1)
        layout.addLayout(bottom)
        self.language_button.clicked.connect(self._toggle_language)
        self.large_button.toggled.connect(self._large_text)
        theme.signals().changed.connect(self._theme_changed)
        self.large_button.setChecked(theme.is_large_text())
        self._clock = QTimer(self)
        self._clock.setInterval(1_000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self.retranslate()

    def _place_entries(self, columns: int) -> None:
        """Two columns in landscape, one in portrait (each entry a wide band)."""
        if columns == self._columns:
            return
        self._columns = columns
        for index, state in enumerate(ENTRIES):
            self.grid.addWidget(self.entries[state], index // columns, index % columns)
        for row in range(len(ENTRIES)):
            self.grid.setRowStretch(row, 1 if row < (len(ENTRIES) + columns - 1) // columns
                                    else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        size = event.size()
        self._place_entries(1 if size.height() > size.width() else 2)
        super().resizeEvent(event)

    def set_facts(self, facts: BranchFacts) -> None:
        """The branch's name and hotline, once read (start-up task)."""
        self.facts = facts
        self.retranslate()

    def _toggle_language(self) -> None:
        i18n.set_language("en" if i18n.current_language() == "zh_CN" else "zh_CN")

    def _large_text(self, on: bool) -> None:
        if on != theme.is_large_text():
            theme.apply_theme(large=on)

    def _theme_changed(self, *_: object) -> None:
        self.large_button.setChecked(theme.is_large_text())

    def _tick(self) -> None:
        locale = QLocale()
        now = QDateTime.currentDateTime()
        self.clock_label.setText(locale.toString(now, self.tr("yyyy-MM-dd dddd HH:mm")))

    def reset(self) -> None:
        """The next customer starts in the branch's screen language (Chinese unless the
        settings say otherwise) with normal text."""
        if i18n.current_language() != i18n.DEFAULT_LANGUAGE:
            i18n.set_language(i18n.DEFAULT_LANGUAGE)
        if theme.is_large_text():
            theme.apply_theme(large=False)

    def retranslate(self) -> None:
        facts = self.facts
        self.branch_label.setText(pick(facts.name_zh, facts.name_en) if facts
                                  else self.tr("Customer Service Centre"))
        self.greeting.setText(self.tr("Welcome. Touch what you would like to do."))
        texts = {
            State.SERVICES: (self.tr("Take a ticket"),
                             self.tr("Queue for a counter, with priority care if you need it")),
            State.CLAIM_TYPE: (self.tr("Check claim documents"),
                               self.tr("See what to bring before you queue")),
            State.FEEDBACK: (self.tr("Feedback and complaints"),
                             self.tr("Tell us what we can do better")),
            State.INFO: (self.tr("Service information"),
                         self.tr("Processes, commitments, hotline and opening hours")),
        }
        for state, (title, text) in texts.items():
            self.entries[state].set_texts(title, text)
        # the switch names the language it switches to, in that language
        self.language_button.setText("English" if i18n.current_language() == "zh_CN"
                                     else "中文")
        self.language_button.set_accessible(self.tr("Switch language"))
        self.large_button.setText(self.tr("Large text"))
        hotline = facts.hotline if facts else ""
        self.hotline_label.setText(self.tr("Service hotline %1").replace("%1", hotline)
                                   if hotline else "")
        self._tick()
