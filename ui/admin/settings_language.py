"""Settings page: language defaults: the language the screens start in (and the
customer screen returns to for the next customer), the languages calls are spoken in,
and the waiting area as the spoken and printed notice names it in each language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QVBoxLayout

from kiosk.app.admin_settings import SettingsView, save_values
from ui.admin.settings_base import SettingsPage
from ui.widgets import grid_widget, muted_label

SCREEN = ("zh_CN", "en")
VOICE = (("zh", "en"), ("en", "zh"), ("zh",), ("en",))


class LanguageSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-language``."""

    name = "language"

    def build(self, form: QVBoxLayout) -> None:
        host, grid = grid_widget()
        self.start_language, self.voice = QComboBox(), QComboBox()
        self.start_language.setObjectName("language-screen")
        self.voice.setObjectName("language-voice")
        self.start_language.addItems(["中文（简体）", "English"])
        self.voice.addItems([""] * len(VOICE))
        self.area_zh, self.area_en = QLineEdit(), QLineEdit()
        self.area_zh.setObjectName("language-area-zh")
        self.area_en.setObjectName("language-area-en")
        self.labels = [QLabel() for _ in range(4)]
        rows = ((self.start_language, "settings.screen_language"),
                (self.voice, "settings.voice_languages"),
                (self.area_zh, "settings.wait_area_zh"),
                (self.area_en, "settings.wait_area_en"))
        for row, ((widget, where), label) in enumerate(zip(rows, self.labels, strict=True)):
            label.setBuddy(widget)
            label.setWordWrap(True)
            grid.addWidget(label, 2 * row, 0)
            grid.addWidget(widget, 2 * row, 1)
            grid.addWidget(self.error_label(where), 2 * row + 1, 1)
        grid.setColumnStretch(1, 1)
        form.addWidget(host)
        self.note = muted_label()
        form.addWidget(self.note)

    def fill(self, view: SettingsView) -> None:
        screen = str(view.values["screen_language"])
        self.start_language.setCurrentIndex(SCREEN.index(screen) if screen in SCREEN else 0)
        voice = tuple(view.values["voice_languages"])
        self.voice.setCurrentIndex(VOICE.index(voice) if voice in VOICE else 0)
        self.area_zh.setText(str(view.values["wait_area_zh"]))
        self.area_en.setText(str(view.values["wait_area_en"]))

    def submit(self) -> Callable[[], Any] | None:
        values = {"screen_language": SCREEN[max(self.start_language.currentIndex(), 0)],
                  "voice_languages": list(VOICE[max(self.voice.currentIndex(), 0)]),
                  "wait_area_zh": self.area_zh.text(), "wait_area_en": self.area_en.text()}
        rev = self.view.rev if self.view else None
        return lambda: save_values(self.app, self.staff, values, rev=rev)

    def reset(self) -> None:
        super().reset()
        self.area_zh.clear()
        self.area_en.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Languages the branch uses by default. Customers and "
                                   "staff can still switch language on every screen."))
        texts = (self.tr("Screens start in"), self.tr("Calls are spoken in"),
                 self.tr("Waiting area, in Chinese"), self.tr("Waiting area, in English"))
        for label, text, widget in zip(self.labels, texts, (
                self.start_language, self.voice, self.area_zh, self.area_en), strict=True):
            label.setText(text)
            widget.setAccessibleName(text)
        for index, text in enumerate((self.tr("Chinese, then English"),
                                      self.tr("English, then Chinese"),
                                      self.tr("Chinese only"), self.tr("English only"))):
            self.voice.setItemText(index, text)
        self.note.setText(self.tr("The screens' language applies when a screen starts and "
                                  "to each new customer at the customer screen. The waiting "
                                  "area is read aloud and printed as: please wait in …"))
        super().retranslate()


__all__ = ["LanguageSettingsPage"]
