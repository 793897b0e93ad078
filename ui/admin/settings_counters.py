"""Settings page: the counters and the services each serves (in the order it calls
them). A counter can be added, and removed while it is closed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QVBoxLayout

from kiosk.app.admin_settings import CounterSetting, SettingsView, save_counters
from ui import i18n
from ui.admin.settings_base import SettingsPage
from ui.admin.settings_rows import RowPicker
from ui.widgets import TouchButton

_ROW = re.compile(r"counters\[(\d+)\](?:\.(\w+))?")


class CountersSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-counters``."""

    name = "counters"

    def build(self, form: QVBoxLayout) -> None:
        self.rows: list[CounterSetting] = []
        self.service_names: dict[str, tuple[str, str]] = {}
        self._shown_row = -1
        body = self.split()
        left = QVBoxLayout()
        self.picker = RowPicker("counters-list")
        self.picker.chosen.connect(self._choose)
        left.addWidget(self.picker)
        add_row = QVBoxLayout()
        self.new_number = QLineEdit()
        self.new_number.setObjectName("counters-new-number")
        self.new_number.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.add_button = TouchButton()
        self.add_button.setObjectName("counters-add")
        self.add_button.clicked.connect(self.add_counter)
        add_row.addWidget(self.new_number)
        add_row.addWidget(self.add_button)
        left.addLayout(add_row)
        left.addWidget(self.error_label("counters"))
        left.addStretch(1)
        body.addLayout(left, 1)
        right = QVBoxLayout()
        self.title = QLabel()
        self.title.setProperty("kind", "section")
        self.title.setObjectName("counter-title")
        right.addWidget(self.title)
        self.serves = QLabel()
        self.serves.setWordWrap(True)
        right.addWidget(self.serves)
        self.boxes_host = QVBoxLayout()
        right.addLayout(self.boxes_host)
        self.boxes: dict[str, QCheckBox] = {}
        right.addWidget(self.error_label("counter.services"))
        right.addWidget(self.error_label("counter"))
        self.remove_button = TouchButton(kind="danger")
        self.remove_button.setObjectName("counters-remove")
        self.remove_button.clicked.connect(self.remove_counter)
        right.addWidget(self.remove_button)
        right.addStretch(1)
        body.addLayout(right, 2)
        form.addLayout(body)

    # -- the rows ---------------------------------------------------------------------

    def _status(self, status: str) -> str:
        return {"open": self.tr("open"), "paused": self.tr("paused"),
                "closed": self.tr("closed")}.get(status, status)

    def _row_text(self, counter: CounterSetting) -> str:
        return self.tr("Counter %1 · %2").replace("%1", str(counter.number)).replace(
            "%2", self._status(counter.status))

    def _refresh_list(self) -> None:
        self.picker.set_rows([self._row_text(c) for c in self.rows])

    def _checked(self) -> tuple[str, ...]:
        """The services ticked, the counter's own order kept, new ones after."""
        index = self._shown_row
        before = self.rows[index].services if 0 <= index < len(self.rows) else ()
        ticked = {code for code, box in self.boxes.items() if box.isChecked()}
        return (*(c for c in before if c in ticked),
                *(c for c in self.boxes if c in ticked and c not in before))

    def _store(self) -> None:
        index = self._shown_row
        if 0 <= index < len(self.rows):
            counter = self.rows[index]
            self.rows[index] = CounterSetting(counter.number, self._checked(), counter.status)

    def _choose(self, index: int) -> None:
        if index != self._shown_row:
            self._store()
            self._show_row(index)

    def _show_row(self, index: int) -> None:
        self._shown_row = index
        has = 0 <= index < len(self.rows)
        counter = self.rows[index] if has else None
        self.title.setText(self._row_text(counter) if counter else "")
        for code, box in self.boxes.items():
            box.setChecked(counter is not None and code in counter.services)
            box.setEnabled(has)
        self.remove_button.setEnabled(counter is not None and counter.status == "closed")

    def choose(self, index: int) -> None:
        self.picker.choose(index)

    def add_counter(self) -> None:
        number = self.new_number.text().strip()
        if not number:
            return
        self._store()
        self.rows.append(CounterSetting(number, ()))
        self.new_number.clear()
        self._refresh_list()
        self.picker.choose(len(self.rows) - 1)

    def remove_counter(self) -> None:
        index = self._shown_row
        if 0 <= index < len(self.rows) and self.rows[index].status == "closed":
            del self.rows[index]
            self._shown_row = -1
            self._refresh_list()
            self.picker.current = -1
            self.picker.choose(min(index, len(self.rows) - 1))
            if not self.rows:
                self._show_row(-1)

    def _build_boxes(self) -> None:
        for box in self.boxes.values():
            box.deleteLater()
        self.boxes = {}
        for code in self.service_names:
            box = QCheckBox()
            box.setObjectName(f"counter-serves-{code}")
            self.boxes_host.addWidget(box)
            self.boxes[code] = box
        self._name_boxes()

    def _name_boxes(self) -> None:
        zh = i18n.current_language() == "zh_CN"
        for code, box in self.boxes.items():
            name_zh, name_en = self.service_names[code]
            box.setText(name_zh if zh else name_en)

    # -- loading and saving -----------------------------------------------------------

    def fill(self, view: SettingsView) -> None:
        names = {s.code: (f"{s.prefix} {s.name_zh}", f"{s.prefix} {s.name_en}")
                 for s in view.services}
        if names != self.service_names:
            self.service_names = names
            self._build_boxes()
        self.rows = list(view.counters)
        current = min(max(self.picker.current, 0), len(self.rows) - 1)
        self._shown_row = -1
        self._refresh_list()
        self.picker.current = -1
        self.picker.choose(current)

    def submit(self) -> Callable[[], Any] | None:
        self._store()
        counters = list(self.rows)
        rev = self.view.rev if self.view else None
        return lambda: save_counters(self.app, self.staff, counters, rev=rev)

    def label_for(self, where: str | None) -> QLabel | None:
        match = _ROW.fullmatch(where or "")
        if match is None:
            return super().label_for(where)
        index = int(match.group(1))
        if index < len(self.rows):
            self.choose(index)
        return self.error_label("counter.services" if match.group(2) == "services"
                                else "counter")

    def reset(self) -> None:
        super().reset()
        self.rows, self._shown_row = [], -1
        self._refresh_list()
        self._show_row(-1)
        self.new_number.clear()

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Touch a counter to choose the services it serves; it "
                                   "calls them in the order they were ticked. A counter can "
                                   "be removed only while it is closed."))
        self.add_button.setText(self.tr("Add counter"))
        self.new_number.setAccessibleName(self.tr("Number of the new counter"))
        self.new_number.setPlaceholderText(self.tr("Number"))
        self.serves.setText(self.tr("Serves:"))
        self.remove_button.setText(self.tr("Remove this counter"))
        self.picker.setAccessibleName(self.tr("Counters"))
        if self.rows:
            self._store()
            self._refresh_list()
            self._show_row(self._shown_row)
        self._name_boxes()
        super().retranslate()


__all__ = ["CountersSettingsPage"]
