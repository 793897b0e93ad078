"""The Devices page (``ui.admin.pages`` key ``devices``, permission ``devices``): the
technician's setup screen, in the admin panel and as ``kiosk run --role setup``.

Four sections, chosen by the buttons at the top (the section is the page's state;
``enter(section=...)`` opens one): Ports (list, probe with progress and Cancel,
assign), This station (its devices and their tests), Checks (with the fixes, and the
diagnostics bundle), Health (every station's devices as last seen)."""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from ui.admin.pages import AdminContext, AdminPage
from ui.setup.checks_view import ChecksView, HealthView
from ui.setup.ports_view import PortsView
from ui.setup.station_view import StationView
from ui.widgets import TouchButton, choice_button, scroll_area


class Section(Enum):
    PORTS = "ports"
    STATION = "station"
    CHECKS = "checks"
    HEALTH = "health"


class SetupPage(AdminPage):
    """Ports and probing, this station's devices, checks and diagnostics, health."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.section = Section.PORTS
        self.ports = PortsView(context)
        self.station = StationView(context)
        self.checks = ChecksView(context)
        self.health = HealthView(context)
        self.views: dict[Section, QWidget] = {
            Section.PORTS: self.ports, Section.STATION: self.station,
            Section.CHECKS: self.checks, Section.HEALTH: self.health}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.setContentsMargins(24, 12, 24, 0)
        self.buttons: dict[Section, TouchButton] = {}
        for section in Section:
            button = choice_button(f"section-{section.value}", self.show_section, section)
            self.buttons[section] = button
            bar.addWidget(button)
        bar.addStretch(1)
        outer.addLayout(bar)
        self.stack = QStackedWidget()
        for view in self.views.values():
            holder = QWidget()
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(24, 12, 24, 24)
            layout.addWidget(view)
            layout.addStretch(1)
            self.stack.addWidget(holder)
        outer.addWidget(scroll_area(self.stack), 1)
        self.retranslate()

    def retranslate(self) -> None:
        names = {Section.PORTS: self.tr("Ports"), Section.STATION: self.tr("This station"),
                 Section.CHECKS: self.tr("Checks"), Section.HEALTH: self.tr("Health")}
        for section, button in self.buttons.items():
            button.setText(names[section])

    def show_section(self, section: Section) -> None:
        """Show ``section`` and read what it shows (in a task)."""
        if self.section is Section.STATION and section is not Section.STATION:
            self.station.stop_live()
        self.section = section
        for key, button in self.buttons.items():
            button.setChecked(key is section)
        self.stack.setCurrentIndex(list(Section).index(section))
        if section is Section.PORTS:
            self.ports.refresh()
        elif section is Section.STATION:
            self.station.refresh()
        elif section is Section.HEALTH:
            self.health.refresh()

    def enter(self, **params: Any) -> None:
        self.show_section(Section(params.get("section", self.section.value)))

    def leave(self) -> None:
        self.ports.cancel()
        self.station.stop_live()

    def reset(self) -> None:
        self.ports.reset()
        self.station.reset()
        self.section = Section.PORTS


__all__ = ["Section", "SetupPage"]
