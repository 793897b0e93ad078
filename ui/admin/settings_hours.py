"""Settings page: opening hours by weekday (a day not open is closed; make-up working
days keep Monday's hours, see the calendar page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout

from kiosk.app.admin_settings import SettingsView, save_hours
from kiosk.branch.export import WEEKDAYS
from ui.admin.settings_base import SettingsPage
from ui.widgets import grid_widget


class HoursSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-hours``: per weekday, open or not, from, to."""

    name = "hours"

    def build(self, form: QVBoxLayout) -> None:
        host, grid = grid_widget()
        grid.setHorizontalSpacing(16)
        self.header = [QLabel() for _ in range(2)]
        for column, label in enumerate(self.header, 2):
            label.setProperty("kind", "section")
            grid.addWidget(label, 0, column)
        self.days: dict[str, QLabel] = {}
        self.open: dict[str, QCheckBox] = {}
        self.opens: dict[str, QLineEdit] = {}
        self.closes: dict[str, QLineEdit] = {}
        for index, day in enumerate(WEEKDAYS):
            row = 2 * index + 1
            self.days[day] = QLabel()
            self.open[day] = QCheckBox()
            self.open[day].setObjectName(f"hours-{day}-open")
            self.opens[day], self.closes[day] = QLineEdit(), QLineEdit()
            for field, end in ((self.opens[day], "opens"), (self.closes[day], "closes")):
                field.setObjectName(f"hours-{day}-{end}")
                field.setMaxLength(5)
                field.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
            self.open[day].toggled.connect(lambda on, d=day: self._enable(d, on))
            grid.addWidget(self.days[day], row, 0)
            grid.addWidget(self.open[day], row, 1)
            grid.addWidget(self.opens[day], row, 2)
            grid.addWidget(self.closes[day], row, 3)
            grid.addWidget(self.error_label(f"hours.{day}"), row + 1, 1, 1, 3)
        grid.setColumnStretch(4, 1)  # the fields keep their natural width
        form.addWidget(host)

    def _enable(self, day: str, on: bool) -> None:
        self.opens[day].setEnabled(on)
        self.closes[day].setEnabled(on)

    def fill(self, view: SettingsView) -> None:
        for day in WEEKDAYS:
            span = view.hours.get(day, "")
            opens, _, closes = span.partition("-")
            self.open[day].setChecked(bool(span))
            self._enable(day, bool(span))
            self.opens[day].setText(opens or "09:00")
            self.closes[day].setText(closes or "17:00")

    def hours(self) -> dict[str, str]:
        """What the page holds: weekday key -> ``"HH:MM-HH:MM"`` for the open days."""
        return {day: f"{self.opens[day].text().strip()}-{self.closes[day].text().strip()}"
                for day in WEEKDAYS if self.open[day].isChecked()}

    def submit(self) -> Callable[[], Any] | None:
        hours = self.hours()
        rev = self.view.rev if self.view else None
        return lambda: save_hours(self.app, self.staff, hours, rev=rev)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Opening hours of each weekday, as HH:MM (24:00 for "
                                   "midnight). A day that is not open is closed. Holidays "
                                   "and make-up working days are on the calendar page."))
        for label, text in zip(self.header, (self.tr("Opens at"), self.tr("Closes at")),
                               strict=True):
            label.setText(text)
        names = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"),
                 self.tr("Thursday"), self.tr("Friday"), self.tr("Saturday"),
                 self.tr("Sunday"))
        for day, text in zip(WEEKDAYS, names, strict=True):
            self.days[day].setText(text)
            self.open[day].setText(self.tr("Open"))
            self.open[day].setAccessibleName(self.tr("%1 open").replace("%1", text))
            self.opens[day].setAccessibleName(self.tr("%1 opens at").replace("%1", text))
            self.closes[day].setAccessibleName(self.tr("%1 closes at").replace("%1", text))
        super().retranslate()


__all__ = ["HoursSettingsPage"]
