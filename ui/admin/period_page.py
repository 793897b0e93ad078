"""What the KPI and report pages share around their period: a scrolling column with the
period picker at its top, a status line and a problem line (placed by the page), the
branch's business day and filter choices read in a task (``kiosk.app.reports.
kpi_choices``), a worker's progress carried to the GUI thread, and the one task at a
time that a logout stops.

A page derives :class:`PeriodPage`, sets ``name`` (prefix of ``<name>-status``,
``<name>-problem``, ``<name>-scroll``), ``kinds`` and ``spacing``, adds its widgets to
``self.column``, and writes ``choices_read(choices)``, ``failed(failure)`` and
``show_progress(done, total, step)``.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.app.reports import KpiChoices, kpi_choices
from kiosk.reports.periods import Period
from ui.admin.kpi_period import PeriodPicker, Progress
from ui.admin.pages import AdminContext, AdminPage
from ui.tasks import Failure, Task, run_task
from ui.widgets import scroll_area


class PeriodPage(AdminPage):
    """Base of the pages about a period (see the module docstring)."""

    name = "period"
    """Prefix of the page's object names."""
    kinds: tuple[str, ...] = ("day", "month", "range")
    """The periods the picker offers; the first is where a logout returns it."""
    spacing = 12
    """Between the rows of the column."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self._task: Task | None = None
        self._stop = threading.Event()
        self.progress = Progress(self)
        self.progress.step.connect(self.show_progress)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        self.column = QVBoxLayout(body)
        self.column.setContentsMargins(24, 16, 24, 24)
        self.column.setSpacing(self.spacing)
        self.picker = PeriodPicker(kinds=self.kinds)
        self.column.addWidget(self.picker)
        self.status = QLabel()
        self.status.setObjectName(f"{self.name}-status")
        self.status.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName(f"{self.name}-problem")
        self.problem.setProperty("kind", "alert")
        self.problem.setWordWrap(True)
        self.problem.hide()
        outer.addWidget(scroll_area(body, name=f"{self.name}-scroll"))

    def take_period(self, params: dict[str, Any]) -> bool:
        """The period another page asked for (``enter(period=...)``), if any."""
        if not isinstance(params.get("period"), Period):
            return False
        self.picker.set_period(params["period"])
        return True

    def read_choices(self) -> None:
        """The business day and the filter choices, in a task: ``choices_read``."""
        run_task(kpi_choices, self.app, self.staff, owner=self,
                 on_result=self.choices_read, on_error=self.failed, name="kpi_choices")

    def stop_task(self) -> None:
        """Logout: the running task stops at its next step and its outcome is dropped;
        the picker is back at its first kind (without asking for a read)."""
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.picker.blockSignals(True)
        self.picker.set_kind(self.kinds[0])
        self.picker.blockSignals(False)
        self.problem.hide()

    def choices_read(self, choices: KpiChoices) -> None:
        """The page's use of :meth:`read_choices`' answer."""
        raise NotImplementedError

    def failed(self, failure: Failure) -> None:
        """A task of the page failed (or was cancelled)."""
        raise NotImplementedError

    def show_progress(self, done: int, total: int, step: str) -> None:
        """A worker's ``progress(done, total, step)``, on the GUI thread."""


__all__ = ["PeriodPage"]
