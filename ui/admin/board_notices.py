"""What the live board points out beside counters and queues: the complaints register's
open and overdue counts (a button opens the register on its overdue list)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.app.live_board import LiveBoard
from ui.widgets import TouchButton


class ComplaintNotice(QWidget):
    """"Complaints: 3 open, 1 overdue" (red when any is overdue) and a button to the
    overdue list (shown to roles that work the register)."""

    open_register = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-complaints")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("board-complaints-count")
        self.label.setWordWrap(True)
        self.button = TouchButton()
        self.button.setObjectName("board-open-complaints")
        self.button.clicked.connect(self.open_register)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self._counts: tuple[int, int] | None = None
        self.hide()

    def show_board(self, board: LiveBoard | None, *, allowed: bool) -> None:
        self._counts = (board.complaints_open, board.complaints_overdue) if board else None
        self.setVisible(allowed and board is not None)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Overdue complaints"))
        if self._counts is None:
            return
        opened, late = self._counts
        self.label.setText(self.tr("Complaints: %1 open, %2 overdue").replace(
            "%1", str(opened)).replace("%2", str(late)))
        level = "error" if late else ""
        if self.label.property("kind") != level:
            self.label.setProperty("kind", level)
            self.label.style().unpolish(self.label)
            self.label.style().polish(self.label)


__all__ = ["ComplaintNotice"]
