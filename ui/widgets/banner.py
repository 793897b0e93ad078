"""A toast/alert banner: one line of news, dismissed by touch or after a while."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from ui.widgets.buttons import TouchButton
from ui.widgets.retranslate import Retranslating

LEVELS = ("info", "success", "warning", "error")


class Banner(Retranslating, QFrame):
    """``show_message(text, level, timeout_ms)``; ``level`` is one of :data:`LEVELS`.

    ``timeout_ms=0`` keeps it until dismissed (alerts staff must see); the timer is a
    parameter so tests need not wait.
    """

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", "banner")
        self.setProperty("level", "info")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 8, 8, 8)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.close_button = TouchButton("×")
        self.close_button.setObjectName("dismiss")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self.close_button.clicked.connect(self.dismiss)
        self.hide()
        self.retranslate()

    @property
    def level(self) -> str:
        return str(self.property("level"))

    def show_message(self, text: str, level: str = "info", timeout_ms: int = 8_000) -> None:
        if level not in LEVELS:
            raise ValueError(f"banner level {level!r} is not one of {LEVELS}")
        self.label.setText(text)
        self.setAccessibleName(text)
        self.setProperty("level", level)
        self.style().unpolish(self)
        self.style().polish(self)
        for child in self.findChildren(QWidget):
            child.style().unpolish(child)
            child.style().polish(child)
        self.show()
        if timeout_ms > 0:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def dismiss(self) -> None:
        self._timer.stop()
        if self.isVisible():
            self.hide()
            self.dismissed.emit()

    def retranslate(self) -> None:
        self.close_button.set_accessible(self.tr("Dismiss"))
