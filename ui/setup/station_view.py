"""This station's devices and their tests: print a test ticket, read the printer's
status, watch a keypad bus live (press a key, see it), ask a keypad for a rating,
give a keypad a new address, and the A4 output."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from kiosk.app import keypads, printer, setup, stations
from kiosk.app.setup_tools import KeypadSeen, StationSetup, station_setup, watch_keypads
from ui.admin.pages import AdminContext
from ui.setup.parts import Relay, card, clear, label
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton

LIVE_LINES = 8


class StationView(QWidget):
    """What is assigned to this station, with a test for each device."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.context = context
        self.setup: StationSetup | None = None
        self.live_stop: threading.Event | None = None
        self.live_task: Task | None = None
        self.live_lines: list[str] = []
        self.relay = Relay(self)
        self.relay.message.connect(self._seen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = label("muted", "station-status")
        layout.addWidget(self.status)
        self.body = QVBoxLayout()
        layout.addLayout(self.body)
        # the A4 output: always there, below the devices
        frame, a4 = card("a4-card")
        self.a4_title = label("section")
        self.a4_now = label("", "a4-now")
        row = QHBoxLayout()
        self.a4_kind = QComboBox()
        self.a4_kind.setObjectName("a4-kind")
        self.a4_target = QLineEdit()
        self.a4_target.setObjectName("a4-target")
        self.a4_button = TouchButton()
        self.a4_button.setObjectName("a4-save")
        self.a4_button.clicked.connect(self._save_a4)
        row.addWidget(self.a4_kind)
        row.addWidget(self.a4_target, 1)
        row.addWidget(self.a4_button)
        for widget in (self.a4_title, self.a4_now):
            a4.addWidget(widget)
        a4.addLayout(row)
        layout.addWidget(frame)
        self.retranslate()

    def retranslate(self) -> None:
        self.a4_title.setText(self.tr("A4 output"))
        current = self.a4_kind.currentIndex()
        self.a4_kind.clear()
        self.a4_kind.addItems([self.tr("CUPS queue"), self.tr("Folder for PDFs")])
        self.a4_kind.setCurrentIndex(max(0, current))
        self.a4_kind.setAccessibleName(self.tr("Kind of A4 output"))
        self.a4_target.setAccessibleName(self.tr("Queue name or folder"))
        self.a4_target.setPlaceholderText(self.tr("e.g. office-a4 or /srv/a4"))
        self.a4_button.setText(self.tr("Save A4 output"))
        self.redraw()

    # -- reading -----------------------------------------------------------------------

    def refresh(self) -> None:
        self.status.setText(self.tr("Reading this station's devices…"))
        run_task(station_setup, self.context.app, owner=self, on_result=self._show,
                 on_error=self._failed, name="station_setup")

    def _show(self, found: StationSetup) -> None:
        self.setup = found
        self.status.setText(self.tr("Station %1").replace("%1", found.station))
        self.redraw()

    def _failed(self, failure: Failure) -> None:
        self.status.setText(failure.message())

    # -- cards -------------------------------------------------------------------------

    def redraw(self) -> None:
        clear(self.body)
        found = self.setup
        if found is None:
            return
        self.body.addWidget(self._printer_card(found))
        for index, bus in enumerate(found.buses):
            self.body.addWidget(self._bus_card(bus, found.buses_present[index]))
        if not found.buses:
            note = label("muted")
            note.setText(self.tr("No keypad bus is assigned to this station."))
            self.body.addWidget(note)
        self.a4_now.setText(self.tr("Now: %1 %2").replace(
            "%1", self.tr("CUPS queue") if found.a4.kind == "cups" else self.tr("folder"))
            .replace("%2", found.a4.target) if found.a4 else self.tr("Now: none"))

    def _printer_card(self, found: StationSetup) -> QWidget:
        frame, layout = card("printer-card")
        title = label("section")
        title.setText(self.tr("Receipt printer"))
        layout.addWidget(title)
        info = found.printer
        line = label("" if info is None or found.printer_present else "alert", "printer-line")
        if info is None:
            line.setText(self.tr("None assigned: probe the ports and choose one."))
            layout.addWidget(line)
            return frame
        where = info.port if found.printer_present else self.tr("%1 (not plugged in)").replace(
            "%1", info.port)
        line.setText(f"{where} · {info.profile} · {info.mode} · "
                     + self.tr("%1 baud").replace("%1", str(info.baud))
                     + " · " + self.tr("flow control %1").replace("%1", info.flow))
        layout.addWidget(line)
        self.printer_result = label("", "printer-result")
        row = QHBoxLayout()
        test = TouchButton(self.tr("Print test ticket"))
        test.setObjectName("printer-test")
        test.clicked.connect(lambda: self._printer_test(info))
        state = TouchButton(self.tr("Read printer status"))
        state.setObjectName("printer-status")
        state.clicked.connect(self._printer_status)
        row.addWidget(test)
        row.addWidget(state)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.printer_result)
        return frame

    def _bus_card(self, bus: keypads.KeypadPortInfo, present: bool) -> QWidget:
        frame, layout = card(f"bus-card-{bus.port}")
        title = label("section")
        title.setText(self.tr("Keypad bus"))
        line = label("" if present else "alert")
        pairs = ", ".join(self.tr("keypad %1 → counter %2").replace("%1", str(k.address))
                          .replace("%2", str(k.counter)) for k in bus.keypads)
        where = bus.port if present else self.tr("%1 (not plugged in)").replace("%1", bus.port)
        line.setText(f"{where} · " + self.tr("%1 baud").replace("%1", str(bus.baud))
                     + f" · {pairs}")
        layout.addWidget(title)
        layout.addWidget(line)
        row = QHBoxLayout()
        live = TouchButton(self.tr("Stop live view") if self.live_task else
                           self.tr("Live view"), kind="primary")
        live.setObjectName("keypad-live")
        live.clicked.connect(lambda: self._toggle_live(bus))
        address = QComboBox()
        address.setObjectName("keypad-address")
        address.setAccessibleName(self.tr("Keypad address"))
        address.addItems([str(k.address) for k in bus.keypads])
        address.setMinimumWidth(120)
        rate = TouchButton(self.tr("Ask for a rating"))
        rate.setObjectName("keypad-rate")
        rate.clicked.connect(lambda: self._ask_rating(bus, int(address.currentText())))
        rate.setEnabled(self.live_task is None)
        for widget in (live, address, rate):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        readdress = QHBoxLayout()
        serial = QLineEdit()
        serial.setObjectName("keypad-serial")
        serial.setAccessibleName(self.tr("Keypad serial number"))
        serial.setPlaceholderText(self.tr("Serial number"))
        new = QSpinBox()
        new.setObjectName("keypad-new-address")
        new.setAccessibleName(self.tr("New address"))
        new.setRange(1, 31)
        new.setMinimumWidth(120)
        move = TouchButton(self.tr("Set address"))
        move.setObjectName("keypad-set-address")
        move.setEnabled(self.live_task is None)
        move.clicked.connect(lambda: self._set_address(bus, serial.text(), new.value()))
        for part in (serial, new, move):
            readdress.addWidget(part)
        layout.addLayout(readdress)
        self.keypad_result = label("", "keypad-result")
        self.keypad_result.setText("\n".join(self.live_lines))
        layout.addWidget(self.keypad_result)
        return frame

    # -- tests -------------------------------------------------------------------------

    def _printer_test(self, info: printer.PrinterInfo) -> None:
        self.printer_result.setText(self.tr("Printing…"))
        prof = printer.printer_profile(info.profile, info.mode, info.baud)
        run_task(printer.print_test_page, info.port, prof, owner=self,
                 on_result=lambda sent: self._printer_said(
                     self.tr("Test ticket sent (%1 bytes).").replace("%1", str(sent.bytes))),
                 on_error=lambda f: self._printer_said(f.message()), name="print_test_page")

    def _printer_status(self) -> None:
        self.printer_result.setText(self.tr("Asking the printer…"))
        run_task(printer.printer_status, self.context.app, owner=self,
                 on_result=self._status_said, on_error=lambda f: self._printer_said(f.message()),
                 name="printer_status")

    def _status_said(self, state: printer.PrinterState) -> None:
        status = state.status
        if status is None or status.online is None:
            self._printer_said(self.tr("No answer: status unknown."))
            return
        self._printer_said(self.tr("Online: %1 · cover open: %2 · paper: %3")
                           .replace("%1", self.tr("yes") if status.online else self.tr("no"))
                           .replace("%2", self.tr("yes") if status.cover_open else self.tr("no"))
                           .replace("%3", status.paper))

    def _printer_said(self, text: str) -> None:
        self.printer_result.setText(text)

    def _toggle_live(self, bus: keypads.KeypadPortInfo) -> None:
        if self.live_stop is not None:
            self.stop_live()
            return
        stop = threading.Event()
        self.live_stop = stop
        self.live_lines = [self.tr("Watching: press a key on a keypad.")]
        self.live_task = run_task(watch_keypads, bus.port, bus.baud,
                                  [k.address for k in bus.keypads], self.relay.message.emit,
                                  stop, owner=self, on_result=self._live_ended,
                                  on_error=self._live_failed, name="watch_keypads")
        self.redraw()

    def stop_live(self) -> None:
        if self.live_stop is not None:
            self.live_stop.set()

    def _seen(self, seen: KeypadSeen) -> None:
        if self.live_task is None:
            return
        if seen.event == "key":
            text = self.tr("Keypad %1: key %2 (%3)").replace("%1", str(seen.address)).replace(
                "%2", f"0x{seen.key or 0:02x}").replace("%3", seen.name)
        else:
            text = self.tr("Keypad %1: %2").replace("%1", str(seen.address)).replace(
                "%2", f"{seen.event} {seen.detail}".strip())
        self.live_lines = (self.live_lines + [text])[-LIVE_LINES:]
        self.keypad_result.setText("\n".join(self.live_lines))

    def _live_ended(self, _count: Any) -> None:
        self.live_task, self.live_stop = None, None
        self.live_lines.append(self.tr("Live view stopped."))
        self.redraw()

    def _live_failed(self, failure: Failure) -> None:
        self.live_task, self.live_stop = None, None
        self.live_lines = [failure.message()]
        self.redraw()

    def _ask_rating(self, bus: keypads.KeypadPortInfo, address: int) -> None:
        self.keypad_result.setText(self.tr("Keypad %1 asks for a rating…")
                                   .replace("%1", str(address)))
        run_task(keypads.ask_rating, bus.port, bus.baud, address, bus.rating_timeout_s,
                 owner=self, on_result=lambda r: self.keypad_result.setText(
                     self.tr("Keypad %1 rated: %2").replace("%1", str(r.address))
                     .replace("%2", r.rating)),
                 on_error=lambda f: self.keypad_result.setText(f.message()), name="ask_rating")

    def _set_address(self, bus: keypads.KeypadPortInfo, serial: str, new: int) -> None:
        run_task(setup.set_keypad_address, self.context.app, self.context.staff, bus.port,
                 bus.baud, serial.strip(), new, owner=self,
                 on_result=lambda done: self.keypad_result.setText(
                     self.tr("Keypad %1 now answers at address %2.").replace("%1", done.serial)
                     .replace("%2", str(done.address))),
                 on_error=lambda f: self.keypad_result.setText(f.message()),
                 name="set_keypad_address")

    def _save_a4(self) -> None:
        target = self.a4_target.text().strip()
        cups = target if self.a4_kind.currentIndex() == 0 else None
        folder = None if cups is not None else target
        run_task(stations.set_a4, self.context.app, cups=cups, folder=folder, owner=self,
                 on_result=lambda _a4: self.refresh(),
                 on_error=lambda f: self.a4_now.setText(f.message()), name="set_a4")

    def reset(self) -> None:
        self.stop_live()
        self.a4_target.clear()


__all__ = ["StationView"]
