"""Settings page: the branch's own holidays and make-up working days (调休上班), on top
of the national calendar (which the page can switch off)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.admin_settings import SettingsView, save_calendar
from ui.admin.settings_base import SettingsPage
from ui.widgets import TouchButton
from ui.widgets.retranslate import Retranslating

COLUMNS = 4


def _remove(date: str) -> str:
    return QCoreApplication.translate("DateList", "Remove %1").replace("%1", date)


class DateList(Retranslating, QWidget):
    """Dates as buttons (touch one to remove it) and a field to add one. The text is
    kept as typed: the save's validator says what is not a date."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.dates: list[str] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.grid = QGridLayout()
        for column in range(COLUMNS):
            self.grid.setColumnStretch(column, 1)
        layout.addLayout(self.grid)
        self.empty = QLabel()
        self.empty.setProperty("kind", "muted")
        layout.addWidget(self.empty)
        row = QHBoxLayout()
        self.field = QLineEdit()
        self.field.setObjectName(f"{name}-new")
        self.field.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        self.field.returnPressed.connect(self.add_typed)
        self.add_button = TouchButton()
        self.add_button.setObjectName(f"{name}-add")
        self.add_button.clicked.connect(self.add_typed)
        row.addWidget(self.field, 1)
        row.addWidget(self.add_button)
        layout.addLayout(row)
        self.buttons: list[TouchButton] = []
        self.retranslate()

    def set_dates(self, dates: list[str]) -> None:
        self.dates = sorted(dict.fromkeys(dates))
        self._redraw()

    def add_typed(self) -> None:
        text = self.field.text().strip()
        if text:
            self.set_dates([*self.dates, text])
            self.field.clear()
            self.changed.emit()

    def remove(self, date: str) -> None:
        self.dates.remove(date)
        self._redraw()
        self.changed.emit()

    def _redraw(self) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for index, date in enumerate(self.dates):
            button = TouchButton(f"{date}  ✕")
            button.setObjectName(f"{self.objectName()}-{date}")
            button.set_accessible(_remove(date))
            button.clicked.connect(lambda _=False, d=date: self.remove(d))
            self.grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.buttons.append(button)
        self.empty.setVisible(not self.dates)

    def retranslate(self) -> None:
        self.add_button.setText(QCoreApplication.translate("DateList", "Add"))
        self.field.setPlaceholderText(QCoreApplication.translate("DateList", "YYYY-MM-DD"))
        self.empty.setText(QCoreApplication.translate("DateList", "None."))
        for button, date in zip(self.buttons, self.dates, strict=True):
            button.set_accessible(_remove(date))


class CalendarSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-calendar``."""

    name = "calendar"

    def build(self, form: QVBoxLayout) -> None:
        self.national = QCheckBox()
        self.national.setObjectName("calendar-national")
        form.addWidget(self.national)
        form.addWidget(self.error_label("calendar"))
        self.holidays_title, self.workdays_title = QLabel(), QLabel()
        self.holidays = DateList("calendar-holidays")
        self.workdays = DateList("calendar-workdays")
        for title, dates, where in ((self.holidays_title, self.holidays, "calendar.holidays"),
                                    (self.workdays_title, self.workdays, "calendar.workdays")):
            title.setProperty("kind", "section")
            title.setWordWrap(True)
            form.addWidget(title)
            form.addWidget(dates)
            form.addWidget(self.error_label(where))

    def fill(self, view: SettingsView) -> None:
        self.national.setChecked(bool(view.values.get("national_calendar", True)))
        self.holidays.set_dates(list(view.holidays))
        self.workdays.set_dates(list(view.workdays))

    def submit(self) -> Callable[[], Any] | None:
        holidays, workdays = list(self.holidays.dates), list(self.workdays.dates)
        national = self.national.isChecked()
        rev = self.view.rev if self.view else None
        return lambda: save_calendar(self.app, self.staff, holidays, workdays, national,
                                     rev=rev)

    def reset(self) -> None:
        super().reset()
        self.holidays.set_dates([])
        self.workdays.set_dates([])
        self.holidays.field.clear()
        self.workdays.field.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("The branch's own calendar. These dates win over the "
                                   "national calendar; a make-up working day keeps "
                                   "Monday's hours."))
        self.national.setText(self.tr("Follow the national holidays and make-up working "
                                      "days (updated with the software)"))
        self.holidays_title.setText(self.tr("Holidays: the branch is closed"))
        self.workdays_title.setText(self.tr("Make-up working days: the branch opens"))
        self.holidays.setAccessibleName(self.tr("Holidays"))
        self.workdays.setAccessibleName(self.tr("Make-up working days"))
        self.holidays.field.setAccessibleName(self.tr("New holiday"))
        self.workdays.field.setAccessibleName(self.tr("New make-up working day"))
        super().retranslate()


__all__ = ["CalendarSettingsPage", "DateList"]
