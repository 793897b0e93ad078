"""A read-only table of labels for the board: a header row and data rows whose cells
can be marked (``level`` ``warning`` or ``error``: over target, overdue, a device
fault) and styled by the style sheet (``QLabel[cell=...]``), never by colours in code.

Labels are kept and re-filled when the number of rows stays the same, so refreshing
on every call-feed event costs a few ``setText`` calls.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QWidget


class BoardGrid(QFrame):
    """``set_headers([...])`` then ``set_rows([[...], ...], levels=[...])``. Cells of
    the columns in ``wrap`` break their lines (free text: a note), so the grid never
    needs more width than its other columns."""

    def __init__(self, name: str, parent: QWidget | None = None, *,
                 wrap: frozenset[int] = frozenset()) -> None:
        super().__init__(parent)
        self.wrap = wrap
        self.setObjectName(name)
        self.setProperty("kind", "panel")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(16, 8, 16, 8)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(4)
        self.headers: list[QLabel] = []
        self.cells: list[list[QLabel]] = []
        self.empty = QLabel()
        self.empty.setProperty("kind", "muted")
        self.empty.hide()
        # A grid whose cells wrap grows to the height its wrapped lines need at its width.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum if wrap
                           else QSizePolicy.Policy.Maximum)

    def set_headers(self, texts: Sequence[str]) -> None:
        if len(texts) != len(self.headers):
            for label in self.headers:
                label.deleteLater()
            self.headers = []
            for column, _ in enumerate(texts):
                label = QLabel()
                label.setProperty("kind", "muted")
                self.grid.addWidget(label, 0, column)
                self.headers.append(label)
            self.grid.addWidget(self.empty, 1, 0, 1, len(texts))
        for label, text in zip(self.headers, texts, strict=True):
            label.setText(text)

    def set_empty_text(self, text: str) -> None:
        self.empty.setText(text)

    def set_rows(self, rows: Sequence[Sequence[str]],
                 levels: Sequence[str] | None = None) -> None:
        """Fill the rows; ``levels[i]`` marks row ``i`` (``""``, ``warning``, ``error``)."""
        while len(self.cells) > len(rows):
            for label in self.cells.pop():
                self.grid.removeWidget(label)
                label.deleteLater()
        while len(self.cells) < len(rows):
            row = len(self.cells) + 1
            labels = []
            for column in range(len(self.headers)):
                label = QLabel()
                label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                label.setWordWrap(column in self.wrap)
                self.grid.addWidget(label, row + 1, column)
                labels.append(label)
            self.cells.append(labels)
        for index, (labels, texts) in enumerate(zip(self.cells, rows, strict=True)):
            level = levels[index] if levels else ""
            for label, text in zip(labels, texts, strict=True):
                label.setText(text)
                if label.property("cell") != level:
                    label.setProperty("cell", level)
                    label.style().unpolish(label)
                    label.style().polish(label)
        self.empty.setVisible(not rows)
        self.setAccessibleDescription("\n".join(" | ".join(r) for r in rows))

    def row_texts(self) -> list[list[str]]:
        """What the rows show (tests, and the accessible description)."""
        return [[label.text() for label in labels] for labels in self.cells]

    def row_levels(self) -> list[str]:
        return [str(labels[0].property("cell") or "") if labels else "" for labels in self.cells]


__all__ = ["BoardGrid"]
