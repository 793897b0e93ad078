"""The checks of this PC with the fix for each, the diagnostics bundle for support,
and every station's device health (what the admin board shows)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.app import setup, stations
from kiosk.app.diagnostics import DiagnosticsBundle, export_diagnostics
from ui.admin.pages import AdminContext
from ui.setup.parts import card, clear, label, pick
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton


class ChecksView(QWidget):
    """Run the checks; export the diagnostics bundle to a folder (a USB stick)."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.context = context
        self.checks: setup.Checks | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.run_button = TouchButton(kind="primary")
        self.run_button.setObjectName("checks-run")
        self.run_button.clicked.connect(self.run)
        row.addWidget(self.run_button)
        row.addStretch(1)
        self.status = label("muted", "checks-status")
        self.list = QVBoxLayout()
        self.list.setSpacing(8)
        frame, export = card("diagnostics-card")
        self.export_title = label("section")
        self.export_note = label("muted")
        line = QHBoxLayout()
        self.folder = QLineEdit(str(Path.home()))
        self.folder.setObjectName("diagnostics-folder")
        self.export_button = TouchButton()
        self.export_button.setObjectName("diagnostics-export")
        self.export_button.clicked.connect(self.export)
        line.addWidget(self.folder, 1)
        line.addWidget(self.export_button)
        self.export_result = label("", "diagnostics-result")
        for widget in (self.export_title, self.export_note):
            export.addWidget(widget)
        export.addLayout(line)
        export.addWidget(self.export_result)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(self.list)
        layout.addWidget(frame)
        self.retranslate()

    def retranslate(self) -> None:
        self.run_button.setText(self.tr("Run the checks"))
        self.export_title.setText(self.tr("Diagnostics for support"))
        self.export_note.setText(self.tr("One zip file: settings without PINs or personal "
                                         "data, devices and their log, checks, versions, the "
                                         "recent application log."))
        self.folder.setAccessibleName(self.tr("Folder for the diagnostics file"))
        self.export_button.setText(self.tr("Export diagnostics"))
        self.redraw()

    def run(self) -> None:
        self.run_button.setEnabled(False)
        self.status.setText(self.tr("Checking…"))
        run_task(setup.run_checks, self.context.app, owner=self, on_result=self._show,
                 on_error=self._failed, name="run_checks")

    def _show(self, checks: setup.Checks) -> None:
        self.run_button.setEnabled(True)
        self.checks = checks
        problems = len(checks.problems)
        self.status.setText(self.tr("All checks passed.") if not problems else
                            self.tr("%1 check(s) need attention.").replace("%1", str(problems)))
        self.redraw()

    def _failed(self, failure: Failure) -> None:
        self.run_button.setEnabled(True)
        self.status.setText(failure.message())

    def redraw(self) -> None:
        clear(self.list)
        if self.checks is None:
            return
        states = {"ok": self.tr("OK"), "problem": self.tr("Problem"),
                  "unknown": self.tr("Not known")}
        for check in sorted(self.checks.checks, key=lambda c: c.state == "ok"):
            frame, layout = card(f"check-{check.name}")
            title = label("section" if check.state == "ok" else "alert")
            title.setText(f"{states.get(check.state, check.state)} · "
                          f"{pick(check.found_zh, check.found_en)}")
            layout.addWidget(title)
            if check.state != "ok" and check.fix_en:
                fix = label("", f"fix-{check.name}")
                fix.setText(self.tr("Fix: %1").replace("%1", pick(check.fix_zh, check.fix_en)))
                layout.addWidget(fix)
            self.list.addWidget(frame)

    def export(self) -> None:
        folder = Path(self.folder.text().strip() or str(Path.home()))
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = folder / f"lobby-kiosk-{self.context.app.station}-{stamp}.zip"
        self.export_button.setEnabled(False)
        self.export_result.setText(self.tr("Writing…"))
        run_task(export_diagnostics, self.context.app, target, owner=self,
                 on_result=self._exported, on_error=self._export_failed,
                 name="export_diagnostics")

    def _exported(self, made: DiagnosticsBundle) -> None:
        self.export_button.setEnabled(True)
        self.export_result.setText(self.tr("Written: %1").replace("%1", made.path))

    def _export_failed(self, failure: Failure) -> None:
        self.export_button.setEnabled(True)
        self.export_result.setText(failure.message())


LOG_LINES = 50


class HealthView(QWidget):
    """Every station's devices as last seen (shared with the admin board)."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.context = context
        self.states: stations.DeviceStates | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.refresh_button = TouchButton()
        self.refresh_button.setObjectName("health-refresh")
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        self.status = label("muted", "health-status")
        self.list = QVBoxLayout()
        self.log_title = label("section")
        self.log = label("", "health-log")
        self.entries: tuple[stations.DeviceLogEntry, ...] = ()
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addLayout(self.list)
        layout.addWidget(self.log_title)
        layout.addWidget(self.log)
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))
        self.log_title.setText(self.tr("Changes, newest first"))
        self.redraw()

    def refresh(self) -> None:
        run_task(stations.device_health, self.context.app, owner=self, on_result=self._show,
                 on_error=lambda f: self.status.setText(f.message()), name="device_health")
        run_task(stations.device_log, self.context.app, limit=LOG_LINES, owner=self,
                 on_result=self._show_log, on_error=lambda f: self.log.setText(f.message()),
                 name="device_log")

    def _show(self, states: stations.DeviceStates) -> None:
        self.states = states
        self.status.setText(self.tr("No device has reported yet.") if not states.devices
                            else "")
        self.redraw()

    def device_name(self, device: str) -> str:
        """The core's device name (``printer``, ``a4``, ``keypad 3 (counter 1)``) in
        the current language."""
        keypad = re.fullmatch(r"keypad (\d+)(?: \(counter (\d+)\))?", device)
        if keypad and keypad[2]:
            return self.tr("keypad %1 (counter %2)").replace("%1", keypad[1]).replace(
                "%2", keypad[2])
        if keypad:
            return self.tr("keypad %1").replace("%1", keypad[1])
        return {"printer": self.tr("receipt printer"), "a4": self.tr("A4 output")}.get(
            device, device)

    def _show_log(self, log: stations.DeviceLog) -> None:
        self.entries = log.entries
        self.redraw()

    def redraw(self) -> None:
        clear(self.list)
        names = {"ok": self.tr("OK"), "problem": self.tr("Problem"),
                 "unknown": self.tr("Not known")}
        for row in self.states.devices if self.states is not None else ():
            frame, layout = card()
            title = label("section" if row.state == "ok" else "alert")
            title.setText(f"{row.station} · {self.device_name(row.device)} · "
                          f"{names.get(row.state, row.state)}")
            layout.addWidget(title)
            said = pick(row.problem_zh, row.problem_en)
            since = row.since[:16].replace("T", " ") if row.since else ""
            detail = label("muted")
            detail.setText(" · ".join(part for part in (said, row.detail, self.tr(
                "since %1").replace("%1", since) if since else "") if part))
            layout.addWidget(detail)
            self.list.addWidget(frame)
        self.log.setText("\n".join(
            f"{e.at[:16].replace('T', ' ')} · {e.station} · {self.device_name(e.device)} · "
            f"{names.get(e.state, e.state)}" + (f" · {pick(e.problem_zh, e.problem_en)}"
                                                 if e.problem_en else "")
            for e in self.entries) or self.tr("No change recorded yet."))


__all__ = ["ChecksView", "HealthView"]
