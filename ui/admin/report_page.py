"""The report page (``ui.admin.pages`` key ``reports``): the daily or monthly service
report as PDF and/or CSV into a chosen folder, by ``kiosk.app.report_files.write_report``
in a task, with a progress bar and Cancel; the panel never waits for it.

A cancelled report leaves no file (they are written under a temporary name and renamed
at the end); writing one is audited by the use case.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
)

from kiosk.app.report_files import ReportWritten, write_report
from kiosk.app.reports import KpiChoices, ReportCancelled
from kiosk.reports.periods import Period
from ui.admin.pages import AdminContext
from ui.admin.period_page import PeriodPage
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton


def default_folder() -> str:
    """The user's documents folder if there is one, else the home folder."""
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return documents if documents and Path(documents).is_dir() else str(Path.home())


def file_stem(period: Period) -> str:
    """``service-report-daily-2026-11-23``, ``service-report-monthly-2026-11``."""
    kind = {"day": "daily", "month": "monthly"}.get(period.kind, "range")
    return f"service-report-{kind}-{period.label.replace('..', '_')}"


class ReportPage(PeriodPage):
    """Daily and monthly reports to files (see the module docstring)."""

    name = "report"
    kinds = ("day", "month")
    spacing = 16

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.written: ReportWritten | None = None
        self._steps = 0
        self._today_read = False
        layout = self.column
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.files_label, self.folder_label = QLabel(), QLabel()
        self.pdf_box, self.csv_box = QCheckBox(), QCheckBox()
        self.pdf_box.setObjectName("report-pdf")
        self.csv_box.setObjectName("report-csv")
        for box in (self.pdf_box, self.csv_box):
            box.setChecked(True)
            box.toggled.connect(self._update_buttons)
        files = QHBoxLayout()
        files.setSpacing(32)
        files.addWidget(self.pdf_box)
        files.addWidget(self.csv_box)
        files.addStretch(1)
        self.folder = QLineEdit(default_folder())
        self.folder.setObjectName("report-folder")
        self.choose = TouchButton()
        self.choose.setObjectName("report-choose-folder")
        self.choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.choose)
        grid.addWidget(self.files_label, 0, 0)
        grid.addLayout(files, 0, 1)
        grid.addWidget(self.folder_label, 1, 0)
        grid.addLayout(folder_row, 1, 1)
        layout.addLayout(grid)
        actions = QHBoxLayout()
        self.write = TouchButton(kind="primary")
        self.write.setObjectName("report-write")
        self.write.clicked.connect(self.start)
        self.cancel = TouchButton(kind="danger")
        self.cancel.setObjectName("report-cancel")
        self.cancel.clicked.connect(self.stop)
        actions.addWidget(self.write)
        actions.addWidget(self.cancel)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.bar = QProgressBar()
        self.bar.setObjectName("report-progress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.hide()
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        self._update_buttons()
        self.retranslate()

    @property
    def running(self) -> bool:
        return self._task is not None

    # -- writing ----------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        if not self.take_period(params) and not self._today_read:
            self.read_choices()

    def choices_read(self, choices: KpiChoices) -> None:
        """The branch's business day: where the period starts."""
        self._today_read = True
        if not self.running:
            self.picker.set_today(date.fromisoformat(choices.today))

    def targets(self) -> tuple[Path | None, Path | None]:
        folder = Path(self.folder.text().strip() or ".").expanduser()
        stem = file_stem(self.picker.period())
        return (folder / f"{stem}.pdf" if self.pdf_box.isChecked() else None,
                folder / f"{stem}.csv" if self.csv_box.isChecked() else None)

    def start(self) -> None:
        """Write the chosen report in a task."""
        if self.running:
            return
        pdf, csv = self.targets()
        self._stop = threading.Event()
        self._steps = 1 + (pdf is not None) + (csv is not None)
        self.written = None
        self.problem.hide()
        self.bar.setRange(0, 0)  # busy until the first step says how many there are
        self.bar.show()
        self.status.setText(self.tr("Writing the report…"))
        self._task = run_task(
            write_report, self.app, self.staff, self.picker.period(), pdf=pdf, csv=csv,
            progress=self.progress.step.emit, cancelled=self._stop.is_set, owner=self,
            on_result=self._done, on_error=self.failed, name="write_report")
        self._update_buttons()

    def stop(self) -> None:
        """Cancel: the task stops at its next step and writes no file."""
        if self.running:
            self._stop.set()
            self.status.setText(self.tr("Cancelling…"))
            self.cancel.setEnabled(False)

    def leave(self) -> None:
        """A report keeps going while another page is shown; its outcome waits here."""

    def reset(self) -> None:
        self.stop_task()
        self.written, self._today_read = None, False
        self.picker.set_today(self.picker.today)
        self.folder.setText(default_folder())
        self.pdf_box.setChecked(True)
        self.csv_box.setChecked(True)
        self.bar.hide()
        self.status.clear()
        self._update_buttons()

    def show_progress(self, done: int, total: int, step: str) -> None:
        if not self.running:
            return
        self.bar.setRange(0, total)
        self.bar.setValue(done)
        if self._stop.is_set():
            return
        texts = {"rollup": self.tr("Adding up finished days: %1 of %2…"),
                 "figures": self.tr("Figures read; writing the files…"),
                 "pdf": self.tr("PDF ready…"), "csv": self.tr("CSV ready…")}
        self.status.setText(texts.get(step, "").replace("%1", str(done))
                            .replace("%2", str(total - self._steps)))

    def _done(self, written: ReportWritten) -> None:
        self._task = None
        self.written = written
        self.bar.setRange(0, 1)
        self.bar.setValue(1)
        files = [f for f in (written.pdf, written.csv) if f]
        self.status.setText(self.tr("Report written:") + "\n" + "\n".join(files))
        self.context.notify(self.tr("Report written"), "success")
        self._update_buttons()

    def failed(self, failure: Failure) -> None:
        self._task = None
        self.bar.hide()
        if isinstance(failure.error, ReportCancelled):
            self.status.setText(self.tr("Cancelled: no file was written."))
        else:
            self.status.clear()
            self.problem.setText(failure.message())
            self.problem.show()
        self._update_buttons()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Folder for the report"), self.folder.text(),
            QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ShowDirsOnly)
        if chosen:
            self.folder.setText(chosen)

    def _update_buttons(self) -> None:
        some_file = self.pdf_box.isChecked() or self.csv_box.isChecked()
        self.write.setEnabled(some_file and not self.running)
        self.cancel.setEnabled(self.running and not self._stop.is_set())
        for widget in (self.picker, self.pdf_box, self.csv_box, self.folder, self.choose):
            widget.setEnabled(not self.running)

    def retranslate(self) -> None:
        self.files_label.setText(self.tr("Files"))
        self.folder_label.setText(self.tr("Folder"))
        self.pdf_box.setText(self.tr("PDF (charts and tables)"))
        self.csv_box.setText(self.tr("CSV (for a spreadsheet)"))
        self.folder.setAccessibleName(self.tr("Folder"))
        self.choose.setText(self.tr("Choose folder…"))
        self.write.setText(self.tr("Write the report"))
        self.cancel.setText(self.tr("Cancel"))


__all__ = ["ReportPage", "default_folder", "file_stem"]
