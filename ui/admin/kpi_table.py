"""The KPI page's table: one row per breakdown row and the total, the figures written
as the PDF writes them (kiosk.reports.content: ``12:34``, ``83.4%``, ``≤25 min``); a
satisfaction rate below the floor is marked (↓ and the theme's error colour)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from kiosk.app.reports import KpiFigures
from kiosk.reports.content import duration, minutes, rate
from ui import i18n, theme
from ui.widgets.retranslate import Retranslating

MAX_VISIBLE_ROWS = 14
"""Taller tables scroll inside the page."""

CELLS: tuple[tuple[str, Callable[[KpiFigures], str]], ...] = (
    ("issued", lambda r: str(r.issued)),
    ("served", lambda r: str(r.served)),
    ("wait_avg_s", lambda r: duration(r.wait_avg_s)),
    ("wait_p90_min", lambda r: minutes(r.wait_p90_min)),
    ("within_target_rate", lambda r: rate(r.within_target_rate)),
    ("handle_avg_s", lambda r: duration(r.handle_avg_s)),
    ("no_show_rate", lambda r: rate(r.no_show_rate)),
    ("satisfaction_rate", lambda r: ("↓ " if r.below_floor else "") + rate(r.satisfaction_rate)),
    ("participation_rate", lambda r: rate(r.participation_rate)),
)


def row_name(row: KpiFigures) -> str:
    return row.name_zh if i18n.current_language() == "zh_CN" else row.name_en


class KpiTable(Retranslating, QTableWidget):
    """``show_rows(rows, total)``; ``texts()`` is what it shows."""

    def __init__(self) -> None:
        super().__init__(0, 1 + len(CELLS))
        self.setObjectName("kpi-table")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        # every column as wide as its text; the table scrolls sideways on a narrow
        # screen rather than cutting a name
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self._rows: list[KpiFigures] = []
        self._total: KpiFigures | None = None
        self.retranslate()

    def show_rows(self, rows: Sequence[KpiFigures], total: KpiFigures | None) -> None:
        self._rows, self._total = list(rows), total
        shown = [*rows, *([total] if total is not None else [])]
        self.setRowCount(len(shown))
        alert = QBrush(QColor(theme.current_theme().error_text))
        bold = QFont(self.font())
        bold.setBold(True)
        for i, row in enumerate(shown):
            is_total = total is not None and i == len(shown) - 1
            name = QTableWidgetItem(self.tr("Total") if is_total else row_name(row))
            if is_total:
                name.setFont(bold)
            self.setItem(i, 0, name)
            for j, (key, text) in enumerate(CELLS, start=1):
                item = QTableWidgetItem(text(row))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
                if key == "satisfaction_rate" and row.below_floor:
                    item.setForeground(alert)
                    item.setToolTip(self.tr("Below the satisfaction floor"))
                if is_total:
                    item.setFont(bold)
                self.setItem(i, j, item)
        self.resizeRowsToContents()
        self._fit_height()

    def _fit_height(self) -> None:
        rows = min(max(1, self.rowCount()), MAX_VISIBLE_ROWS)
        header = self.horizontalHeader()
        height = max(header.height(), header.sizeHint().height()) + 2 * self.frameWidth() \
            + self.horizontalScrollBar().sizeHint().height() + sum(
                self.rowHeight(i) for i in range(min(rows, self.rowCount())))
        if self.rowCount() == 0:
            height += self.verticalHeader().defaultSectionSize()
        self.setFixedHeight(height + 4)

    def texts(self) -> list[list[str]]:
        return [[(item.text() if (item := self.item(i, j)) is not None else "")
                 for j in range(self.columnCount())] for i in range(self.rowCount())]

    def set_first_heading(self, text: str) -> None:
        self.setHorizontalHeaderItem(0, QTableWidgetItem(text))

    def retranslate(self) -> None:
        headings = [self.tr("Issued"), self.tr("Served"), self.tr("Average\nwait"),
                    self.tr("90% waited\nat most"), self.tr("Called within\ntarget"),
                    self.tr("Average\nhandling"), self.tr("No-show\nrate"),
                    self.tr("Satisfaction"), self.tr("Participation")]
        for j, text in enumerate(headings, start=1):
            self.setHorizontalHeaderItem(j, QTableWidgetItem(text))
        if self._rows or self._total is not None:
            self.show_rows(self._rows, self._total)


__all__ = ["CELLS", "KpiTable", "row_name"]
