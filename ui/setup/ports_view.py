"""Ports and probing: the serial ports of this PC, what answers on each (a probe
with progress and Cancel, in a worker), and the button that assigns what was found."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QProgressBar, QVBoxLayout, QWidget

from kiosk.app import setup
from ui.admin.pages import AdminContext
from ui.setup.assign import AssignPanel
from ui.setup.parts import Relay, card, clear, label, pick
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton


class PortsView(QWidget):
    """The ports as cards; a probe fills in what each answered as."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.context = context
        self.ports: tuple[setup.SerialPort, ...] = ()
        self.results: dict[str, setup.ProbedPort] = {}
        self.probe_task: Task | None = None
        self.cancel_event: threading.Event | None = None
        self.last_step: setup.ProbeProgress | None = None
        self.relay = Relay(self)
        self.relay.message.connect(self._progress)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.refresh_button = TouchButton()
        self.refresh_button.setObjectName("ports-refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.probe_button = TouchButton(kind="primary")
        self.probe_button.setObjectName("probe-all")
        self.probe_button.clicked.connect(lambda: self.probe(None))
        self.cancel_button = TouchButton(kind="danger")
        self.cancel_button.setObjectName("probe-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        for button in (self.refresh_button, self.probe_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        one = QHBoxLayout()
        self.port_field = QLineEdit()
        self.port_field.setObjectName("probe-port")
        self.probe_one_button = TouchButton()
        self.probe_one_button.setObjectName("probe-one")
        self.probe_one_button.clicked.connect(self._probe_named)
        one.addWidget(self.port_field, 1)
        one.addWidget(self.probe_one_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("probe-progress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = label("muted", "probe-status")
        self.list = QVBoxLayout()
        self.list.setSpacing(8)
        self.assign = AssignPanel(context)
        self.assign.saved.connect(self._saved)
        for widget in (self.status, self.progress):
            layout.addWidget(widget)
        layout.insertLayout(0, one)
        layout.insertLayout(0, buttons)
        layout.addWidget(self.assign)
        layout.addLayout(self.list)
        self.retranslate()

    # -- text ---------------------------------------------------------------------

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh ports"))
        self.probe_button.setText(self.tr("Probe all ports"))
        self.cancel_button.setText(self.tr("Cancel probe"))
        self.probe_one_button.setText(self.tr("Probe this port"))
        self.port_field.setAccessibleName(self.tr("Port to probe"))
        self.port_field.setPlaceholderText(self.tr("e.g. /dev/ttyUSB0"))
        self.progress.setAccessibleName(self.tr("Probe progress"))
        self.assign.retranslate()
        self._show_progress_text()
        self.redraw()

    # -- ports -------------------------------------------------------------------------

    def refresh(self) -> None:
        self.status.setText(self.tr("Reading the serial ports…"))
        run_task(setup.serial_ports, owner=self, on_result=self._ports, on_error=self._failed,
                 name="serial_ports")

    def _ports(self, found: setup.SerialPorts) -> None:
        self.ports = found.ports
        if self.probe_task is None:
            self.status.setText(self.tr("%1 serial port(s) found.")
                                .replace("%1", str(len(found.ports))))
        self.redraw()

    def _failed(self, failure: Failure) -> None:
        self.status.setText(failure.message())

    # -- probing -----------------------------------------------------------------------

    def _probe_named(self) -> None:
        name = self.port_field.text().strip()
        if not name:
            self.status.setText(self.tr("Type the port to probe first."))
            self.port_field.setFocus()
            return
        self.probe([name])

    def probe(self, ports: list[str] | None) -> None:
        """Probe ``ports`` (None: every port listed) in a worker."""
        if self.probe_task is not None:
            return
        cancel = threading.Event()
        self.cancel_event = cancel
        self.last_step = None
        relay = self.relay
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.probe_button.setEnabled(False)
        self.probe_one_button.setEnabled(False)
        self.status.setText(self.tr("Probing…"))
        self.probe_task = run_task(setup.probe_ports, ports, progress=relay.message.emit,
                                   cancel=cancel, owner=self, on_result=self._probed,
                                   on_error=self._probe_failed, name="probe_ports")

    def cancel(self) -> None:
        if self.cancel_event is not None:
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _progress(self, step: setup.ProbeProgress) -> None:
        if self.probe_task is None:
            return
        self.last_step = step
        self.progress.setValue(int(step.fraction * 1000))
        self._show_progress_text()

    def _show_progress_text(self) -> None:
        step = self.last_step
        if step is not None and self.probe_task is not None and not (
                self.cancel_event is not None and self.cancel_event.is_set()):
            self.status.setText(self.tr("Probing %1 (port %2 of %3): %4")
                                .replace("%1", step.port).replace("%2", str(step.index))
                                .replace("%3", str(step.ports)).replace("%4", step.doing))

    def _done(self) -> None:
        self.probe_task = None
        self.cancel_event = None
        self.progress.hide()
        self.cancel_button.setEnabled(False)
        self.probe_button.setEnabled(True)
        self.probe_one_button.setEnabled(True)

    def _probed(self, report: setup.ProbeReport) -> None:
        self._done()
        for probed in report.ports:
            self.results[probed.port] = probed
        found = sum(p.kind in ("printer", "keypads") for p in report.ports)
        self.status.setText(self.tr("Probe cancelled.") if report.cancelled else
                            self.tr("Probe finished: %1 device(s) found.")
                            .replace("%1", str(found)))
        self.redraw()

    def _probe_failed(self, failure: Failure) -> None:
        self._done()
        self.status.setText(failure.message())

    def _saved(self, port: str) -> None:
        self.context.notify(self.tr("Saved for this station: %1").replace("%1", port),
                            "success")

    # -- the cards ---------------------------------------------------------------------

    def redraw(self) -> None:
        clear(self.list)
        shown = [p.device for p in self.ports]
        extra = [name for name in self.results if name not in shown]
        for port in self.ports:
            self.list.addWidget(self._port_card(port, self.results.get(port.device)))
        for name in extra:
            self.list.addWidget(self._port_card(None, self.results[name]))

    def _port_card(self, port: setup.SerialPort | None,
                   probed: setup.ProbedPort | None) -> QWidget:
        name = port.device if port is not None else probed.port if probed else ""
        frame, layout = card(f"port-card-{name}")
        title = label("section")
        title.setText(port.stable_path if port is not None else
                      probed.save_as if probed is not None else name)
        layout.addWidget(title)
        if port is not None:
            details = [port.device]
            if port.vid_pid:
                details.append(self.tr("USB %1").replace("%1", port.vid_pid))
            if port.serial_number:
                details.append(self.tr("serial %1").replace("%1", port.serial_number))
            if port.description and port.description != "n/a":
                details.append(port.description)
            line = label("muted")
            line.setText(" · ".join(details))
            layout.addWidget(line)
            access = label("" if port.can_open else "alert")
            access.setText(self.tr("%1 may open it").replace("%1", port.user)
                           if port.can_open else port.access_problem)
            layout.addWidget(access)
        if probed is not None:
            layout.addWidget(self._result_line(probed))
            if probed.kind in ("printer", "keypads"):
                button = TouchButton(kind="primary")
                button.setObjectName(f"use-{probed.port}")
                button.setText(self.tr("Use as receipt printer") if probed.kind == "printer"
                               else self.tr("Use as keypad bus"))
                button.clicked.connect(lambda _=False, p=probed: self._use(p))
                row = QHBoxLayout()
                row.addWidget(button)
                row.addStretch(1)
                layout.addLayout(row)
        return frame

    def _result_line(self, probed: setup.ProbedPort) -> QWidget:
        line = label("alert" if probed.kind == "error" else "", f"result-{probed.port}")
        if probed.kind == "printer" and probed.printer is not None:
            paper = {"ok": self.tr("paper OK"), "near_end": self.tr("paper near end"),
                     "out": self.tr("paper out")}.get(probed.printer.paper,
                                                      self.tr("paper unknown"))
            text = self.tr("Receipt printer at %1 baud, %2").replace(
                "%1", str(probed.baud)).replace("%2", paper)
        elif probed.kind == "keypads":
            text = self.tr("Keypad bus at %1 baud: keypads %2").replace(
                "%1", str(probed.baud)).replace(
                "%2", ", ".join(str(k.address) for k in probed.keypads))
        elif probed.kind == "error":
            text = pick(probed.error_zh, probed.error_en)
        elif probed.kind == "cancelled":
            text = self.tr("Not probed (cancelled)")
        else:
            text = self.tr("Nothing answered (no printer, no keypad)")
        line.setText(text)
        return line

    def _use(self, probed: setup.ProbedPort) -> None:
        if probed.kind == "printer":
            self.assign.for_printer(probed)
        else:
            self.assign.for_keypads(probed)

    def reset(self) -> None:
        self.cancel()
        self.results.clear()
        self.port_field.clear()
        self.assign.hide()
        self.redraw()


__all__ = ["PortsView"]
