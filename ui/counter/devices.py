"""What a technician sees at a counter terminal: the station's devices and nothing of
the queue (a technician's role may not serve)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from ui import i18n
from ui.counter.controller import CounterDesk
from ui.shell import Screen
from ui.widgets import TouchButton, muted_label, scrolled_body


class DevicesScreen(Screen):
    """The station's device alerts, each (zh, en), or a line saying all is well."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__()
        self.desk = desk
        self._lines: list[tuple[str, str]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setWordWrap(True)
        self.logout_button = TouchButton(kind="nav")
        self.logout_button.setObjectName("logout")
        self.logout_button.clicked.connect(lambda: self.desk.end_session())
        top.addWidget(self.title, 1)
        top.addWidget(self.logout_button)
        self.note = muted_label()
        self.alerts = QLabel()
        self.alerts.setObjectName("device-alerts")
        self.alerts.setWordWrap(True)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.alerts)
        layout.addStretch(1)
        self.retranslate()

    def show_alerts(self, lines: list[tuple[str, str]]) -> None:
        self._lines = lines
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Devices of station %1").replace("%1",
                                                                   self.desk.app.station))
        self.note.setText(self.tr("Signed in as a technician: devices only, no queue "
                                  "actions."))
        self.logout_button.setText(self.tr("Log out"))
        english = i18n.current_language() == "en"
        self.alerts.setText("\n".join(en if english else zh for zh, en in self._lines)
                            or self.tr("No device alerts."))


__all__ = ["DevicesScreen"]
