"""A column of rows to pick one from (services, counters, staff accounts): a touch
button per row, the chosen one marked; the page shows the chosen row's fields beside
it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.widgets import TouchButton


class RowPicker(QFrame):
    """``set_rows(texts)``; ``chosen(int)`` when a row is touched (``choose(i)`` from
    code does the same)."""

    chosen = Signal(int)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(8)
        self.buttons: list[TouchButton] = []
        self.current = -1

    def set_rows(self, texts: Sequence[str]) -> None:
        """The rows' texts (kept buttons are re-labelled; the choice stays if it can)."""
        while len(self.buttons) > len(texts):
            self.buttons.pop().deleteLater()
        while len(self.buttons) < len(texts):
            index = len(self.buttons)
            button = TouchButton()
            button.setObjectName(f"{self.objectName()}-{index}")
            button.clicked.connect(lambda _=False, i=index: self.choose(i))
            self.layout_.addWidget(button)
            self.buttons.append(button)
        for button, text in zip(self.buttons, texts, strict=True):
            button.setText(text)
        if self.current >= len(texts):
            self.current = len(texts) - 1
        self._mark()

    def choose(self, index: int) -> None:
        if 0 <= index < len(self.buttons):
            self.current = index
            self._mark()
            self.chosen.emit(index)

    def _mark(self) -> None:
        for i, button in enumerate(self.buttons):
            button.set_kind("primary" if i == self.current else "secondary")


__all__ = ["RowPicker"]
