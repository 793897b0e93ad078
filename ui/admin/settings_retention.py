"""Settings page: how long customers' personal data is kept; the daily purge
(``kiosk.privacy.retention``) erases what is older."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from kiosk.app.admin_settings import SettingsView, save_values
from ui.admin.settings_base import SettingsPage
from ui.widgets import grid_widget, muted_label

KEY = "personal_data_retention_days"


class RetentionSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-retention``."""

    name = "retention"

    def build(self, form: QVBoxLayout) -> None:
        host, grid = grid_widget()
        self.label = QLabel()
        self.days = QLineEdit()
        self.days.setObjectName("retention-days")
        self.days.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.label.setBuddy(self.days)
        self.unit = QLabel()
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.days, 0, 1)
        grid.addWidget(self.unit, 0, 2)
        grid.addWidget(self.error_label(f"settings.{KEY}"), 1, 1, 1, 2)
        grid.setColumnStretch(3, 1)
        form.addWidget(host)
        self.note = muted_label()
        form.addWidget(self.note)

    def fill(self, view: SettingsView) -> None:
        self.days.setText(str(view.values[KEY]))

    def submit(self) -> Callable[[], Any] | None:
        values = {KEY: self.days.text()}
        rev = self.view.rev if self.view else None
        return lambda: save_values(self.app, self.staff, values, rev=rev)

    def reset(self) -> None:
        super().reset()
        self.days.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Customers' personal data (such as the phone number "
                                   "given with a complaint) is erased this many days after "
                                   "it was given, by the daily purge. The records stay "
                                   "(counts, dates, ratings), so reports do not change."))
        self.label.setText(self.tr("Keep personal data for"))
        self.days.setAccessibleName(self.tr("Days personal data is kept"))
        self.unit.setText(self.tr("days"))
        self.note.setText(self.tr("A shorter period applies at the next purge: what is "
                                  "already older is removed then."))
        super().retranslate()


__all__ = ["RetentionSettingsPage"]
