"""Settings page: the claim checklists (the claim catalogue): the claim types of the
version in use, every version imported, and importing a new version from a file (its
errors name the file and the line; nothing changes until the whole file is valid)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk.app.admin import catalogue_versions
from kiosk.app.admin_settings import import_claim_catalogue
from kiosk.app.claims import claim_types
from ui import i18n
from ui.admin.board_grid import BoardGrid
from ui.admin.settings_base import SettingsPage
from ui.widgets import TouchButton


class CatalogueSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-claims``."""

    name = "claims"
    has_save = False  # Import is the page's action
    code_fields = {"catalogue": "catalogue.file", "version_exists": "catalogue.file"}

    def build(self, form: QVBoxLayout) -> None:
        self.types_title, self.versions_title, self.import_title = QLabel(), QLabel(), QLabel()
        for title in (self.types_title, self.versions_title, self.import_title):
            title.setProperty("kind", "section")
        self.types = BoardGrid("claims-types")
        self.versions = BoardGrid("claims-versions")
        form.addWidget(self.import_title)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setObjectName("claims-file")
        self.import_button = TouchButton(kind="primary")
        self.import_button.setObjectName("claims-import")
        self.import_button.clicked.connect(self.save)
        row.addWidget(self.path, 1)
        row.addWidget(self.import_button)
        form.addLayout(row)
        form.addWidget(self.error_label("catalogue.file"))
        form.addWidget(self.types_title)
        form.addWidget(self.types)
        form.addWidget(self.versions_title)
        form.addWidget(self.versions)

    def read(self) -> Any:
        return catalogue_versions(self.app), claim_types(self.app)

    def fill(self, view: Any) -> None:
        self.shown = view
        versions, types = view
        zh = i18n.current_language() == "zh_CN"
        self.types.set_rows([[t.code, t.name_zh if zh else t.name_en] for t in types.types])
        self.versions.set_rows(
            [[v.version, v.source, (v.imported_at or "—")[:16].replace("T", " "),
              self.tr("in use") if v.in_use else ""] for v in reversed(versions.versions)])

    shown: Any = None

    def submit(self) -> Callable[[], Any] | None:
        path = self.path.text().strip()
        if not path:
            self.show_problem("catalogue.file", self.tr("Type the path of the catalogue "
                                                        "file (TOML) to import."))
            return None
        return lambda: import_claim_catalogue(self.app, self.staff, path)

    def after_save(self, result: Any) -> None:
        self.path.clear()
        super().after_save(result)

    def needs_view(self) -> bool:
        return False

    def reset(self) -> None:
        super().reset()
        self.path.clear()
        self.types.set_rows([])
        self.versions.set_rows([])
        self.shown = None

    def retranslate(self) -> None:
        self.intro.setText(self.tr("The claim checklists customers use at the kiosk: the "
                                   "documents each kind of claim needs. A new version is "
                                   "imported from a file; a file with an error changes "
                                   "nothing and the error names its line."))
        self.import_title.setText(self.tr("Import a new version"))
        self.path.setPlaceholderText(self.tr("Path of the catalogue file, e.g. "
                                             "/media/usb/claims.toml"))
        self.path.setAccessibleName(self.tr("Catalogue file to import"))
        self.import_button.setText(self.tr("Import"))
        self.types_title.setText(self.tr("Claim types in use"))
        self.types.set_headers([self.tr("Code"), self.tr("Claim type")])
        self.types.set_empty_text(self.tr("No claim types."))
        self.types.setAccessibleName(self.tr("Claim types in use"))
        self.versions_title.setText(self.tr("Versions, newest first"))
        self.versions.set_headers([self.tr("Version"), self.tr("From"), self.tr("Imported"),
                                   ""])
        self.versions.set_empty_text(self.tr("No versions."))
        self.versions.setAccessibleName(self.tr("Catalogue versions"))
        if self.shown is not None:
            self.fill(self.shown)
        super().retranslate()


__all__ = ["CatalogueSettingsPage"]
