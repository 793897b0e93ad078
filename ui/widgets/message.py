"""The friendly message panel: what happened, and Back and Home (never a dead end)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.tasks import Failure
from ui.widgets.buttons import TouchButton
from ui.widgets.retranslate import Retranslating


class MessagePanel(Retranslating, QFrame):
    """A title, a message, the error id to quote if there is one, and Back and Home.

    ``show_failure(failure)`` shows a task's failure and keeps it in the current
    language when the language changes (the text is re-rendered, not stored).
    """

    back_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", "panel")
        self._failure: Failure | None = None
        self._title_source: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.setSpacing(24)
        self.title_label = QLabel()
        self.title_label.setProperty("kind", "title")
        self.title_label.setWordWrap(True)
        self.text_label = QLabel()
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.id_label = QLabel()
        self.id_label.setProperty("kind", "muted")
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        self.back_button = TouchButton(kind="secondary")
        self.back_button.setObjectName("back")
        self.home_button = TouchButton(kind="primary")
        self.home_button.setObjectName("home")
        buttons.addWidget(self.back_button, 1)
        buttons.addWidget(self.home_button, 1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.id_label)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self.back_clicked)
        self.home_button.clicked.connect(self.home_clicked)
        self.retranslate()

    def show_message(self, title: str, text: str, error_id: str | None = None) -> None:
        """Show already-translated ``title`` and ``text``."""
        self._failure = None
        self.title_label.setText(title)
        self.text_label.setText(text)
        self._set_error_id(error_id)

    def show_failure(self, failure: Failure) -> None:
        self._failure = failure
        self._render_failure()

    def _render_failure(self) -> None:
        assert self._failure is not None
        self.title_label.setText(self.tr("This could not be done"))
        self.text_label.setText(self._failure.message())  # quotes the error id if any
        self._set_error_id(None)

    def _set_error_id(self, error_id: str | None) -> None:
        self._error_id = error_id
        self.id_label.setVisible(bool(error_id))
        if error_id:
            self.id_label.setText(self.tr("Error id: %1").replace("%1", error_id))

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.home_button.setText(self.tr("Home"))
        if self._failure is not None:
            self._render_failure()
