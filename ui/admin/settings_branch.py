"""Settings page: the branch itself (names, address, hotline, time zone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.app.admin_settings import BranchIdentity, SettingsView, save_branch
from ui.admin.settings_base import SettingsPage

FIELDS = ("name_zh", "name_en", "address", "hotline", "timezone")


class BranchSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-branch``."""

    name = "branch"

    def build(self, form: QVBoxLayout) -> None:
        grid_host = QWidget()
        grid = QGridLayout(grid_host)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        self.branch_id = QLabel()
        self.branch_id.setObjectName("branch-id")
        self.id_label = QLabel()
        grid.addWidget(self.id_label, 0, 0)
        grid.addWidget(self.branch_id, 0, 1)
        self.labels: dict[str, QLabel] = {}
        self.fields: dict[str, QLineEdit] = {}
        for row, key in enumerate(FIELDS, 1):
            label, field = QLabel(), QLineEdit()
            field.setObjectName(f"branch-{key}")
            label.setBuddy(field)
            self.labels[key], self.fields[key] = label, field
            grid.addWidget(label, 2 * row - 1, 0)
            grid.addWidget(field, 2 * row - 1, 1)
            grid.addWidget(self.error_label(f"branch.{key}"), 2 * row, 1)
        grid.setColumnStretch(1, 1)
        form.addWidget(grid_host)

    def fill(self, view: SettingsView) -> None:
        self.branch_id.setText(view.branch_id)
        for key, field in self.fields.items():
            field.setText(getattr(view.identity, key))

    def submit(self) -> Callable[[], Any] | None:
        identity = BranchIdentity(*(self.fields[k].text() for k in FIELDS))
        rev = self.view.rev if self.view else None
        return lambda: save_branch(self.app, self.staff, identity, rev=rev)

    def reset(self) -> None:
        super().reset()
        for field in self.fields.values():
            field.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("What customers see on the screens and the tickets. "
                                   "The branch number cannot be changed here."))
        self.id_label.setText(self.tr("Branch number"))
        names = {"name_zh": self.tr("Name (Chinese)"), "name_en": self.tr("Name (English)"),
                 "address": self.tr("Address"), "hotline": self.tr("Service hotline"),
                 "timezone": self.tr("Time zone (e.g. Asia/Shanghai)")}
        for key, text in names.items():
            self.labels[key].setText(text)
            self.fields[key].setAccessibleName(text)
        super().retranslate()


__all__ = ["BranchSettingsPage"]
