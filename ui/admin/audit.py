"""The audit log page (``ui.admin.pages`` key ``audit``, permission AUDIT): who did
what, when and at which station, between two dates, of one staff member or one kind
of action; exported as a CSV file (the export is audited too). An entry's detail never
holds personal data in clear (``kiosk.privacy.audit``)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from kiosk.app.information import BranchFacts, branch_facts
from kiosk.app.privacy import AuditExport, AuditRow, audit_log, export_audit
from ui.admin.pages import AdminContext, AdminPage
from ui.tasks import Failure, run_task
from ui.theme import MIN_TOUCH_PX
from ui.widgets import TouchButton

DAYS_SHOWN = 7  # the week up to today when the page is first shown


class AuditPage(AdminPage):
    """Filters above, the entries below (oldest first), Search and Export CSV."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.rows: tuple[AuditRow, ...] = ()
        self.exported: AuditExport | None = None
        self._dated = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 24)
        layout.setSpacing(12)
        filters = QGridLayout()  # two fields a row: it fits a portrait screen too
        filters.setHorizontalSpacing(12)
        self.start, self.end = QDateEdit(), QDateEdit()
        self.staff_field, self.action_field = QLineEdit(), QLineEdit()
        self.labels = [QLabel() for _ in range(4)]
        fields = (self.start, self.end, self.staff_field, self.action_field)
        names = ("audit-from", "audit-to", "audit-staff", "audit-action")
        for n, (label, field, name) in enumerate(zip(self.labels, fields, names, strict=True)):
            field.setObjectName(name)
            field.setMinimumHeight(MIN_TOUCH_PX)
            field.setMinimumWidth(160)
            label.setBuddy(field)
            row, column = 2 * (n // 2), n % 2
            filters.addWidget(label, row, column)
            filters.addWidget(field, row + 1, column)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.search_button = TouchButton(kind="primary")
        self.search_button.setObjectName("audit-search")
        self.search_button.clicked.connect(self.refresh)
        self.export_button = TouchButton()
        self.export_button.setObjectName("audit-export")
        self.export_button.clicked.connect(self.choose_export)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("audit-status")
        self.status.setProperty("kind", "muted")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("audit-table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.retranslate()

    # ----- the page's life ---------------------------------------------------------

    def enter(self, **params: Any) -> None:
        if self._dated:
            self.refresh()
            return
        run_task(branch_facts, self.app, owner=self, on_result=self._today,
                 on_error=self._failed)

    def reset(self) -> None:
        self.rows, self.exported, self._dated = (), None, False
        self.staff_field.clear()
        self.action_field.clear()
        self.table.setRowCount(0)
        self.status.clear()

    def _today(self, facts: BranchFacts) -> None:
        today = date.fromisoformat(facts.today)
        self.set_period(today - timedelta(days=DAYS_SHOWN - 1), today)
        self.refresh()

    def set_period(self, start: date, end: date) -> None:
        self._dated = True
        self.start.setDate(QDate(start.year, start.month, start.day))
        self.end.setDate(QDate(end.year, end.month, end.day))

    def _filters(self) -> dict[str, Any]:
        return {"start": self.start.date().toPython(), "end": self.end.date().toPython(),
                "staff_number": self.staff_field.text().strip() or None,
                "action": self.action_field.text().strip() or None}

    # ----- reading and exporting ---------------------------------------------------

    def refresh(self) -> None:
        self.status.setText(self.tr("Reading the audit log…"))
        run_task(audit_log, self.app, self.staff, owner=self, on_result=self._show,
                 on_error=self._failed, **self._filters())

    def _show(self, rows: tuple[AuditRow, ...]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate((row.at[:19].replace("T", " "), row.staff, row.station,
                                      row.action, row.subject, row.detail)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.status.setText(self.tr("%1 entries").replace("%1", str(len(rows))))

    def choose_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the audit log"),
                                              "audit.csv", "CSV (*.csv)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the entries the filters select to ``path`` (CSV, UTF-8)."""
        self.status.setText(self.tr("Exporting…"))
        run_task(export_audit, self.app, self.staff, path, owner=self,
                 on_result=self._exported, on_error=self._failed, **self._filters())

    def _exported(self, done: AuditExport) -> None:
        self.exported = done
        self.status.setText(self.tr("%1 entries written to %2").replace(
            "%1", str(done.entries)).replace("%2", done.path))
        self.context.notify(self.status.text(), "success")

    def _failed(self, failure: Failure) -> None:
        self.status.setText(failure.message())

    def retranslate(self) -> None:
        for label, text in zip(self.labels, (self.tr("From"), self.tr("To"),
                                             self.tr("Staff number"),
                                             self.tr("Action (starts with)")), strict=True):
            label.setText(text)
        self.start.setAccessibleName(self.tr("From"))
        self.end.setAccessibleName(self.tr("To"))
        self.staff_field.setAccessibleName(self.tr("Staff number"))
        self.staff_field.setPlaceholderText(self.tr("all staff"))
        self.action_field.setAccessibleName(self.tr("Action (starts with)"))
        self.action_field.setPlaceholderText(self.tr("e.g. counter."))
        self.search_button.setText(self.tr("Search"))
        self.export_button.setText(self.tr("Export CSV"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Time"), self.tr("Staff"), self.tr("Station"), self.tr("Action"),
            self.tr("Subject"), self.tr("Detail")])
        if self.rows:
            self.status.setText(self.tr("%1 entries").replace("%1", str(len(self.rows))))


__all__ = ["AuditPage"]
