"""Choosing the period of the KPI and report pages: a day, a calendar month or a range
of days; Earlier and Later step through days or months (a range by its length). And
:class:`Progress`, which both pages use to carry a worker's progress."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QDateEdit, QHBoxLayout, QLabel, QWidget

from kiosk.reports.periods import Period
from ui.widgets import TouchButton, choice_button
from ui.widgets.retranslate import Retranslating

RANGE_DAYS = 30
"""A new range: the 30 days up to the anchor day."""


class Progress(QObject):
    """Carries a worker's ``progress(done, total, step)`` to the GUI thread: emitted on
    the worker, the connection to a widget's slot is queued."""

    step = Signal(int, int, str)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodPicker(Retranslating, QWidget):
    """``period()``; ``changed`` when the staff member picks another one."""

    changed = Signal()

    def __init__(self, kinds: tuple[str, ...] = ("day", "month", "range"),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kinds = kinds
        self.kind = kinds[0]
        self.anchor = date.today()
        self.today = self.anchor
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.group = QButtonGroup(self)
        self.kind_buttons: dict[str, TouchButton] = {}
        for kind in kinds:
            button = choice_button(f"period-{kind}", self.set_kind, kind)
            self.group.addButton(button)
            self.kind_buttons[kind] = button
            layout.addWidget(button)
        layout.addSpacing(12)
        self.earlier = TouchButton()
        self.earlier.setObjectName("period-earlier")
        self.earlier.clicked.connect(lambda: self.step(-1))
        self.label = QLabel()
        self.label.setObjectName("period-label")
        self.label.setProperty("kind", "section")
        self.first = QDateEdit()
        self.last = QDateEdit()
        for edit, name in ((self.first, "period-from"), (self.last, "period-to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._range_edited)
        self.later = TouchButton()
        self.later.setObjectName("period-later")
        self.later.clicked.connect(lambda: self.step(1))
        for widget in (self.earlier, self.label, self.first, self.last, self.later):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._editing = False
        self._sync()
        self.retranslate()

    # -- state ------------------------------------------------------------------------

    def set_today(self, today: date) -> None:
        """The branch's business day (read in a task): where a new period starts."""
        self.today = self.anchor = today
        self._sync()

    def set_kind(self, kind: str) -> None:
        if kind == "range" and self.kind != "range":
            self._set_range(self.anchor - timedelta(days=RANGE_DAYS - 1), self.anchor)
        self.kind = kind
        self._sync()
        self.changed.emit()

    def set_period(self, period: Period) -> None:
        self.kind = period.kind if period.kind in self.kinds else self.kinds[0]
        self.anchor = period.last if period.kind == "range" else period.first
        if period.kind == "range":
            self._set_range(period.first, period.last)
        self._sync()

    def period(self) -> Period:
        if self.kind == "month":
            return Period.month(self.anchor.year, self.anchor.month)
        if self.kind == "range":
            first, last = _pydate(self.first.date()), _pydate(self.last.date())
            return Period.range(min(first, last), max(first, last))
        return Period.day(self.anchor)

    def step(self, direction: int) -> None:
        """One day, month or range length earlier (-1) or later (1)."""
        if self.kind == "month":
            month = self.anchor.replace(day=1)
            self.anchor = (month - timedelta(days=1)).replace(day=1) if direction < 0 \
                else (month + timedelta(days=32)).replace(day=1)
        elif self.kind == "range":
            period = self.period()
            shift = timedelta(days=period.days * direction)
            self._set_range(period.first + shift, period.last + shift)
            self.anchor = period.last + shift
        else:
            self.anchor += timedelta(days=direction)
        self._sync()
        self.changed.emit()

    def _set_range(self, first: date, last: date) -> None:
        self._editing = True
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self._editing = False

    def _range_edited(self) -> None:
        if not self._editing and self.kind == "range":
            self.anchor = _pydate(self.last.date())
            self.changed.emit()

    def _sync(self) -> None:
        for kind, button in self.kind_buttons.items():
            button.setChecked(kind == self.kind)
        ranged = self.kind == "range"
        self.first.setVisible(ranged)
        self.last.setVisible(ranged)
        self.label.setVisible(not ranged)
        self.label.setText(self.period().label)

    # -- language ---------------------------------------------------------------------

    def retranslate(self) -> None:
        names = {"day": self.tr("Day"), "month": self.tr("Month"),
                 "range": self.tr("Range of days")}
        for kind, button in self.kind_buttons.items():
            button.setText(names[kind])
        self.earlier.setText(self.tr("◀ Earlier"))
        self.later.setText(self.tr("Later ▶"))
        self.first.setAccessibleName(self.tr("From"))
        self.last.setAccessibleName(self.tr("To"))
        self.label.setAccessibleName(self.tr("Period"))


__all__ = ["PeriodPicker", "Progress"]
