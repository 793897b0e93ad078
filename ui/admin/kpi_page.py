"""The service KPI page (``ui.admin.pages`` key ``kpi``): a day, a month or a range of
days; broken down by day, service, counter or staff member; narrowed to one service,
counter or staff member; the headline figures, three charts (satisfaction with the
70 % floor, waits, tickets by hour of day) and a table.

Everything is read by ``kiosk.app.reports.kpis`` in a task: one request at a time (a
change while one runs asks for one more read afterwards, never more); the final days
of the period not rolled up yet are rolled up first, with the progress shown. Tickets
are counted, never listed: no customer data is on this page.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel

from kiosk.app.reports import (
    KpiChoices,
    KpiFigures,
    KpiReport,
    ReportCancelled,
    kpis,
)
from kiosk.reports.content import duration, minutes, rate
from kiosk.reports.kpi import KpiFilter
from ui import i18n
from ui.admin.kpi_charts import KpiChart
from ui.admin.kpi_table import KpiTable, row_name
from ui.admin.pages import AdminContext
from ui.admin.period_page import PeriodPage
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton, choice_button

BREAKDOWNS = ("day", "service", "counter", "staff")
SUMMARY = ("issued", "served", "wait_avg_s", "wait_p90_min", "within_target_rate",
           "handle_avg_s", "no_show_rate", "satisfaction_rate", "participation_rate")


class KpiPage(PeriodPage):
    """Service KPIs (see the module docstring)."""

    name = "kpi"

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.report: KpiReport | None = None
        self.choices: KpiChoices | None = None
        self.breakdown = "service"
        self._again = False
        self.picker.changed.connect(self.refresh)
        layout = self.column
        layout.addLayout(self._build_choices())
        self.status.setProperty("kind", "muted")
        layout.addWidget(self.status)
        layout.addWidget(self.problem)
        layout.addWidget(self._build_summary())
        self.satisfaction_chart = KpiChart("kpi-chart-satisfaction")
        self.wait_chart = KpiChart("kpi-chart-wait")
        self.hour_chart = KpiChart("kpi-chart-hours")
        for chart in (self.satisfaction_chart, self.wait_chart, self.hour_chart):
            layout.addWidget(chart)
        self.table = KpiTable()
        layout.addWidget(self.table)
        layout.addStretch(1)
        self.retranslate()

    def _build_choices(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self.by_label = QLabel()
        grid.addWidget(self.by_label, 0, 0)
        row = QHBoxLayout()
        self.by_group = QButtonGroup(self)
        self.by_buttons: dict[str, TouchButton] = {}
        for key in BREAKDOWNS:
            button = choice_button(f"kpi-by-{key}", self.set_breakdown, key)
            button.setChecked(key == self.breakdown)
            self.by_group.addButton(button)
            self.by_buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        grid.addLayout(row, 0, 1)
        self.only_label = QLabel()
        grid.addWidget(self.only_label, 1, 0)
        filters = QHBoxLayout()
        self.service_box, self.counter_box, self.staff_box = (QComboBox(), QComboBox(),
                                                               QComboBox())
        for box, name in ((self.service_box, "kpi-service"), (self.counter_box, "kpi-counter"),
                          (self.staff_box, "kpi-staff")):
            box.setObjectName(name)
            box.setMinimumContentsLength(10)
            box.activated.connect(self.refresh)
            filters.addWidget(box, 1)
        grid.addLayout(filters, 1, 1)
        return grid

    def _build_summary(self) -> QFrame:
        frame = QFrame()
        frame.setObjectName("kpi-summary")
        frame.setProperty("kind", "panel")
        grid = QGridLayout(frame)
        grid.setContentsMargins(16, 8, 16, 8)
        self.summary_titles: dict[str, QLabel] = {}
        self.summary_values: dict[str, QLabel] = {}
        for i, key in enumerate(SUMMARY):
            title, value = QLabel(), QLabel("—")
            title.setProperty("kind", "muted")
            value.setObjectName(f"kpi-{key}")
            value.setProperty("kind", "section")
            grid.addWidget(title, (i // 5) * 2, i % 5)
            grid.addWidget(value, (i // 5) * 2 + 1, i % 5)
            self.summary_titles[key], self.summary_values[key] = title, value
        return frame

    # -- requests ---------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self.take_period(params)
        if self.choices is None:
            self.read_choices()
        else:
            self.refresh()

    def leave(self) -> None:
        self._stop.set()  # a long roll-up stops at its next day; read again on return

    def reset(self) -> None:
        self.stop_task()
        self.report, self.choices, self._again = None, None, False
        self.set_breakdown("service", refresh=False)
        for box in (self.service_box, self.counter_box, self.staff_box):
            box.clear()
        self.redraw()

    def choices_read(self, choices: KpiChoices) -> None:
        from datetime import date

        self.choices = choices
        if self.picker.today == self.picker.anchor:
            self.picker.set_today(date.fromisoformat(choices.today))
        self._fill_choices()
        self.refresh()

    def set_breakdown(self, key: str, *, refresh: bool = True) -> None:
        self.breakdown = key
        for name, button in self.by_buttons.items():
            button.setChecked(name == key)
        self.table.set_first_heading(self._breakdown_names()[key])
        if refresh:
            self.refresh()

    def kpi_filter(self) -> KpiFilter:
        return KpiFilter(service=self.service_box.currentData(),
                         counter=self.counter_box.currentData(),
                         staff=self.staff_box.currentData())

    def refresh(self) -> None:
        """Read the KPIs of the chosen period (in a task); one more read follows if one
        is running."""
        if not self.context.logged_in:
            return
        if self._task is not None:
            self._again = True
            return
        self._stop = threading.Event()
        self.problem.hide()
        self.status.setText(self.tr("Reading the figures…"))
        self._task = run_task(
            kpis, self.app, self.staff, self.picker.period(), kpi_filter=self.kpi_filter(),
            breakdowns=(self.breakdown,), progress=self.progress.step.emit,
            cancelled=self._stop.is_set, owner=self, on_result=self._show,
            on_error=self.failed, name="kpis")

    def show_progress(self, done: int, total: int, step: str) -> None:
        if step == "rollup" and self._task is not None:
            self.status.setText(self.tr("Adding up finished days: %1 of %2…")
                                .replace("%1", str(done)).replace("%2", str(total)))

    def _show(self, report: KpiReport) -> None:
        self._task = None
        self.report = report
        self.redraw()
        self._next()

    def failed(self, failure: Failure) -> None:
        self._task = None
        if not isinstance(failure.error, ReportCancelled):
            self.problem.setText(failure.message())
            self.problem.show()
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.refresh()
        elif self.report is not None:
            self.redraw()

    # -- showing ----------------------------------------------------------------------

    def _fill_choices(self) -> None:
        choices = self.choices
        boxes = ((self.service_box, self.tr("All services"),
                  choices.services if choices else ()),
                 (self.counter_box, self.tr("All counters"), choices.counters if choices else ()),
                 (self.staff_box, self.tr("All staff"), choices.staff if choices else ()))
        zh = i18n.current_language() == "zh_CN"
        for box, everyone, items in boxes:
            chosen = box.currentData()
            box.clear()
            box.addItem(everyone, None)
            for item in items:
                box.addItem(item.name_zh if zh else item.name_en, item.key)
            box.setCurrentIndex(max(0, box.findData(chosen)) if chosen is not None else 0)

    def rows(self) -> tuple[KpiFigures, ...]:
        report = self.report
        if report is None:
            return ()
        return {"day": report.by_day, "service": report.by_service,
                "counter": report.by_counter, "staff": report.by_staff}[self.breakdown]

    def redraw(self) -> None:
        report = self.report
        if report is None:
            for label in self.summary_values.values():
                label.setText("—")
            self.table.show_rows([], None)
            for chart in (self.satisfaction_chart, self.wait_chart, self.hour_chart):
                chart.clear("")
            if self._task is None:
                self.status.setText("")
            return
        if self._task is None:
            status = self.tr("%1: figures of %2 to %3.").replace("%1", report.label) \
                .replace("%2", report.first).replace("%3", report.last)
            if report.live_days:
                status += " " + self.tr("Days not over yet are counted from the tickets "
                                        "as they stand now.")
            self.status.setText(status)
        total = report.total
        texts = {"issued": str(total.issued), "served": str(total.served),
                 "wait_avg_s": duration(total.wait_avg_s),
                 "wait_p90_min": minutes(total.wait_p90_min),
                 "within_target_rate": rate(total.within_target_rate),
                 "handle_avg_s": duration(total.handle_avg_s),
                 "no_show_rate": rate(total.no_show_rate),
                 "satisfaction_rate": rate(total.satisfaction_rate),
                 "participation_rate": rate(total.participation_rate)}
        for key, label in self.summary_values.items():
            label.setText(texts[key])
        satisfaction = self.summary_values["satisfaction_rate"]
        level = "error" if total.below_floor else "section"
        if satisfaction.property("kind") != level:
            satisfaction.setProperty("kind", level)
            satisfaction.style().unpolish(satisfaction)
            satisfaction.style().polish(satisfaction)
        rows = self.rows()
        self.table.show_rows(rows, total)
        self._draw_charts(report, rows)

    def _draw_charts(self, report: KpiReport, rows: tuple[KpiFigures, ...]) -> None:
        names = [row_name(r) if self.breakdown != "day" else str(r.key)[5:] for r in rows]
        floor = round(report.floor * 100)
        self.satisfaction_chart.show_bars(
            self.tr("Satisfaction rate (%)"), names,
            [(self.tr("Satisfaction"), [None if r.satisfaction_rate is None
                                        else round(r.satisfaction_rate * 100, 1)
                                        for r in rows])],
            value_max=100, floor=floor,
            floor_name=self.tr("Floor %1%").replace("%1", str(floor)))
        self.wait_chart.show_bars(
            self.tr("Wait (minutes)"), names,
            [(self.tr("Average"), [None if r.wait_avg_s is None else round(r.wait_avg_s / 60, 1)
                                   for r in rows]),
             (self.tr("90% waited at most"), [r.wait_p90_min for r in rows])])
        hours = {h.hour: h.issued for h in report.by_hour}
        span = range(min(hours, default=8), max(hours, default=17) + 1)
        self.hour_chart.show_bars(self.tr("Tickets by hour of day"),
                                  [f"{h:02d}" for h in span],
                                  [(self.tr("Tickets issued"), [hours.get(h, 0) for h in span])])

    def _breakdown_names(self) -> dict[str, str]:
        return {"day": self.tr("Day"), "service": self.tr("Service"),
                "counter": self.tr("Counter"), "staff": self.tr("Staff member")}

    def retranslate(self) -> None:
        self.by_label.setText(self.tr("By"))
        self.only_label.setText(self.tr("Only"))
        names = self._breakdown_names()
        for key, button in self.by_buttons.items():
            button.setText(names[key])
        self.table.set_first_heading(names[self.breakdown])
        titles = {"issued": self.tr("Tickets issued"), "served": self.tr("Served"),
                  "wait_avg_s": self.tr("Average wait"),
                  "wait_p90_min": self.tr("90% waited at most"),
                  "within_target_rate": self.tr("Called within target"),
                  "handle_avg_s": self.tr("Average handling"),
                  "no_show_rate": self.tr("No-show rate"),
                  "satisfaction_rate": self.tr("Satisfaction (floor 70%)"),
                  "participation_rate": self.tr("Participation")}
        for key, label in self.summary_titles.items():
            label.setText(titles[key])
        self.service_box.setAccessibleName(self.tr("Service"))
        self.counter_box.setAccessibleName(self.tr("Counter"))
        self.staff_box.setAccessibleName(self.tr("Staff member"))
        self._fill_choices()
        self.redraw()


__all__ = ["KpiPage"]
