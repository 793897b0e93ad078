"""Settings page: the services (queues): letter, names, targets, daily cap, own hours,
enabled. One service is shown at a time beside the list; a new one can be added (a
service is never deleted: tickets name it; disable it instead)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from kiosk.app.admin_settings import ServiceSetting, SettingsView, save_services
from ui import i18n
from ui.admin.settings_base import SettingsPage
from ui.admin.settings_rows import RowPicker
from ui.widgets import TouchButton, grid_widget

TEXT_FIELDS = ("code", "prefix", "name_zh", "name_en", "target_wait_min",
               "target_handle_min", "daily_cap", "hours")
_ROW = re.compile(r"services\[(\d+)\](?:\.(\w+))?")


class ServicesSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-services``."""

    name = "services"

    def build(self, form: QVBoxLayout) -> None:
        self.rows: list[ServiceSetting] = []
        self.stored_codes: set[str] = set()
        self._shown_row = -1
        body = self.split()
        left = QVBoxLayout()
        self.picker = RowPicker("services-list")
        self.picker.chosen.connect(self._choose)
        self.add_button = TouchButton()
        self.add_button.setObjectName("services-add")
        self.add_button.clicked.connect(self.add_service)
        left.addWidget(self.picker)
        left.addWidget(self.add_button)
        left.addStretch(1)
        body.addLayout(left, 1)
        host, grid = grid_widget()
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QLineEdit] = {}
        for row, key in enumerate(TEXT_FIELDS):
            label, field = QLabel(), QLineEdit()
            field.setObjectName(f"service-{key}")
            label.setBuddy(field)
            label.setWordWrap(True)
            self.labels[key], self.fields[key] = label, field
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(field, 2 * row, 1)
            grid.addWidget(self.error_label(f"service.{key}"), 2 * row + 1, 1)
        self.enabled = QCheckBox()
        self.enabled.setObjectName("service-enabled")
        grid.addWidget(self.enabled, 2 * len(TEXT_FIELDS), 1)
        grid.addWidget(self.error_label("service.enabled"), 2 * len(TEXT_FIELDS) + 1, 1)
        grid.addWidget(self.error_label("service"), 2 * len(TEXT_FIELDS) + 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        body.addWidget(host, 2)
        form.addLayout(body)

    # -- the rows ---------------------------------------------------------------------

    def _row_text(self, service: ServiceSetting) -> str:
        name = service.name_zh if i18n.current_language() == "zh_CN" else service.name_en
        text = f"{service.prefix} {name or service.code}"
        return text if service.enabled else text + " · " + self.tr("disabled")

    def _store(self) -> None:
        """The fields into the chosen row (before another is shown or saved)."""
        index = self._shown_row
        if 0 <= index < len(self.rows):
            values = {key: self.fields[key].text() for key in TEXT_FIELDS}
            self.rows[index] = replace(self.rows[index], **values,
                                       enabled=self.enabled.isChecked())

    def _choose(self, index: int) -> None:
        if index != self._shown_row:
            self._store()
            self._show_row(index)
            self._refresh_list()

    def _show_row(self, index: int) -> None:
        self._shown_row = index
        service = self.rows[index]
        for key in TEXT_FIELDS:
            self.fields[key].setText(str(getattr(service, key)))
        self.fields["code"].setReadOnly(service.code in self.stored_codes)
        self.enabled.setChecked(service.enabled)

    def _refresh_list(self) -> None:
        self.picker.set_rows([self._row_text(s) for s in self.rows])

    def choose(self, index: int) -> None:
        """Show row ``index`` (the fields of the one shown are kept first)."""
        self.picker.choose(index)

    def add_service(self) -> None:
        self._store()
        self.rows.append(ServiceSetting("", "", "", "", "10", "10", "200"))
        self._refresh_list()
        self.picker.choose(len(self.rows) - 1)
        self.fields["code"].setFocus()

    # -- loading and saving -----------------------------------------------------------

    def fill(self, view: SettingsView) -> None:
        self.rows = list(view.services)
        self.stored_codes = {s.code for s in view.services}
        current = min(max(self.picker.current, 0), len(self.rows) - 1)
        self._shown_row = -1
        self._refresh_list()
        self.picker.choose(current)

    def submit(self) -> Callable[[], Any] | None:
        self._store()
        self._refresh_list()
        services = list(self.rows)
        rev = self.view.rev if self.view else None
        return lambda: save_services(self.app, self.staff, services, rev=rev)

    def label_for(self, where: str | None) -> QLabel | None:
        match = _ROW.fullmatch(where or "")
        if match is None:
            return super().label_for(where)
        index = int(match.group(1))
        if index < len(self.rows) and index != self.picker.current:
            self.choose(index)
        field = match.group(2)
        return self.error_label(f"service.{field}" if field in (*TEXT_FIELDS, "enabled")
                                else "service")

    def reset(self) -> None:
        super().reset()
        self.rows, self.stored_codes, self._shown_row = [], set(), -1
        self._refresh_list()
        for field in self.fields.values():
            field.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Touch a service to change it. A service is never "
                                   "deleted (its tickets name it): disable it. Its letter "
                                   "cannot change on a day it has issued tickets."))
        self.add_button.setText(self.tr("Add a service"))
        names = {"code": self.tr("Code (lowercase letters, digits, _)"),
                 "prefix": self.tr("Ticket letter (A-Z)"),
                 "name_zh": self.tr("Name (Chinese)"), "name_en": self.tr("Name (English)"),
                 "target_wait_min": self.tr("Target wait (minutes)"),
                 "target_handle_min": self.tr("Target handling time (minutes)"),
                 "daily_cap": self.tr("Tickets per day at most"),
                 "hours": self.tr("Own hours HH:MM-HH:MM (empty: the branch's hours)")}
        for key, text in names.items():
            self.labels[key].setText(text)
            self.fields[key].setAccessibleName(text)
        self.enabled.setText(self.tr("Customers may take tickets for it (enabled)"))
        self.picker.setAccessibleName(self.tr("Services"))
        if self.rows:
            self._refresh_list()
        super().retranslate()


__all__ = ["ServicesSettingsPage"]
