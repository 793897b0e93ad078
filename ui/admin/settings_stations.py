"""Settings page, read-only: the stations of the branch, their devices as set up
(``kiosk --station S devices set ...`` on each PC) and their health as last seen."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout

from kiosk.app.stations import DeviceState, StationInfo, device_health, list_stations
from ui import i18n
from ui.admin.board_grid import BoardGrid
from ui.admin.settings_base import SettingsPage


class StationsSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-stations`` (permission ``devices``)."""

    name = "stations"
    has_save = False  # nothing to change here

    def build(self, form: QVBoxLayout) -> None:
        self.stations_title, self.health_title = QLabel(), QLabel()
        for title in (self.stations_title, self.health_title):
            title.setProperty("kind", "section")
        self.stations = BoardGrid("stations-list")
        self.health = BoardGrid("stations-health")
        for widget in (self.stations_title, self.stations, self.health_title, self.health):
            form.addWidget(widget)
        self.shown: Any = None

    def read(self) -> Any:
        return list_stations(self.app), device_health(self.app)

    def fill(self, view: Any) -> None:
        self.shown = view
        stations, health = view
        self.stations.set_rows([self._station_row(s) for s in stations.stations])
        self.health.set_rows([self._health_row(d) for d in health.devices],
                             [{"problem": "error", "unknown": "warning"}.get(d.state, "")
                              for d in health.devices])

    def _station_row(self, station: StationInfo) -> list[str]:
        printer = "—" if station.printer is None else (
            f"{station.printer.port} ({station.printer.profile}, {station.printer.baud})")
        a4 = "—" if station.a4 is None else f"{station.a4.kind}: {station.a4.target}"
        keypads = ", ".join(station.keypad_ports) or "—"
        return [station.station, printer, a4, keypads]

    def _health_row(self, device: DeviceState) -> list[str]:
        state = {"ok": self.tr("working"), "problem": self.tr("problem"),
                 "unknown": self.tr("not seen yet")}.get(device.state, device.state)
        problem = device.problem_zh if i18n.current_language() == "zh_CN" else device.problem_en
        since = (device.since or "—")[:16].replace("T", " ")
        checked = (device.checked_at or "—")[:16].replace("T", " ")
        name = {"printer": self.tr("Receipt printer"), "a4": self.tr("A4 output"),
                "speakers": self.tr("Speakers (calls)")}.get(device.device, device.device)
        return [device.station, name, state, problem or "—", since, checked]

    def needs_view(self) -> bool:
        return False

    def reset(self) -> None:
        super().reset()
        self.shown = None
        self.stations.set_rows([])
        self.health.set_rows([])

    def retranslate(self) -> None:
        self.intro.setText(self.tr("Read only. Each station's devices are set up on that "
                                   "PC by a technician (kiosk --station NAME devices set "
                                   "...); their health is what each station last saw."))
        self.stations_title.setText(self.tr("Stations and their devices"))
        self.stations.set_headers([self.tr("Station"), self.tr("Receipt printer"),
                                   self.tr("A4 output"), self.tr("Keypads")])
        self.stations.set_empty_text(self.tr("No station has a device set up."))
        self.stations.setAccessibleName(self.tr("Stations and their devices"))
        self.health_title.setText(self.tr("Device health"))
        self.health.set_headers([self.tr("Station"), self.tr("Device"), self.tr("State"),
                                 self.tr("Problem"), self.tr("Since"),
                                 self.tr("Last checked")])
        self.health.set_empty_text(self.tr("No device has reported yet."))
        self.health.setAccessibleName(self.tr("Device health"))
        if self.shown is not None:
            self.fill(self.shown)
        super().retranslate()


__all__ = ["StationsSettingsPage"]
