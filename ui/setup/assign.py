"""The form that assigns a probed device to this station: a receipt printer (profile,
mode, baud) or a keypad bus (each keypad found → its counter)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
)

from kiosk.app import setup
from kiosk.app.keypads import KeypadPortInfo
from kiosk.app.printer import PrinterInfo
from printers.escpos.profiles import DEFAULT_PROFILE, FLOWS, MODES, PROFILES
from ui.admin.pages import AdminContext
from ui.setup.parts import clear, label
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton


class AssignPanel(QFrame):
    """Hidden until :meth:`for_printer` or :meth:`for_keypads`; ``saved(str)`` carries
    the port saved (its stable name)."""

    saved = Signal(str)

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.context = context
        self.setProperty("kind", "panel")
        self.setObjectName("assign-panel")
        self.probed: setup.ProbedPort | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.title = label("section", "assign-title")
        self.port_label = label("muted")
        layout.addWidget(self.title)
        layout.addWidget(self.port_label)
        # printer
        self.printer_row = QGridLayout()  # two pairs a row: fits a portrait screen
        self.profile_label, self.mode_label, self.baud_label = QLabel(), QLabel(), QLabel()
        self.profile = QComboBox()
        self.profile.setObjectName("assign-profile")
        self.profile.addItems(sorted(PROFILES))
        self.profile.setCurrentText(DEFAULT_PROFILE)
        self.mode = QComboBox()
        self.mode.setObjectName("assign-mode")
        self.mode.addItems(list(MODES))
        self.flow = QComboBox()
        self.flow.setObjectName("assign-flow")
        self.flow.addItems(list(FLOWS))
        self.flow_label = QLabel()
        self.baud = QSpinBox()
        self.baud.setObjectName("assign-baud")
        self.baud.setRange(1200, 921600)
        self.baud.setMinimumWidth(160)
        pairs = ((self.profile_label, self.profile), (self.mode_label, self.mode),
                 (self.baud_label, self.baud), (self.flow_label, self.flow))
        for index, (caption, field) in enumerate(pairs):
            row, column = divmod(index, 2)
            self.printer_row.addWidget(caption, row, column * 2)
            self.printer_row.addWidget(field, row, column * 2 + 1)
        self.printer_row.setColumnStretch(1, 1)
        self.printer_row.setColumnStretch(3, 1)
        layout.addLayout(self.printer_row)
        # keypads: one counter per keypad found
        self.keypad_rows = QVBoxLayout()
        layout.addLayout(self.keypad_rows)
        self.counter_fields: dict[int, QSpinBox] = {}
        self.status = label("muted", "assign-status")
        buttons = QHBoxLayout()
        self.save_button = TouchButton(kind="primary")
        self.save_button.setObjectName("assign-save")
        self.save_button.clicked.connect(self.save)
        self.close_button = TouchButton()
        self.close_button.setObjectName("assign-close")
        self.close_button.clicked.connect(self.hide)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.profile_label.setText(self.tr("Profile"))
        self.mode_label.setText(self.tr("Mode"))
        self.baud_label.setText(self.tr("Baud"))
        self.flow_label.setText(self.tr("Flow control"))
        self.flow.setAccessibleName(self.tr("Flow control"))
        for field, name in ((self.profile, self.tr("Printer profile")),
                            (self.mode, self.tr("Print mode")), (self.baud, self.tr("Baud"))):
            field.setAccessibleName(name)
        self.save_button.setText(self.tr("Save for this station"))
        self.close_button.setText(self.tr("Close"))
        if self.probed is not None:
            self._titles()

    def _titles(self) -> None:
        assert self.probed is not None
        self.title.setText(self.tr("Receipt printer of this station") if
                           self.probed.kind == "printer" else
                           self.tr("Keypad bus of this station"))
        self.port_label.setText(self.tr("Saved as %1").replace("%1", self.probed.save_as))
        for address, field in self.counter_fields.items():
            field.setAccessibleName(self.tr("Counter of keypad %1").replace("%1", str(address)))

    def _show_printer_fields(self, visible: bool) -> None:
        for index in range(self.printer_row.count()):
            item = self.printer_row.itemAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setVisible(visible)

    def for_printer(self, probed: setup.ProbedPort) -> None:
        self.probed = probed
        self._clear_keypads()
        self._show_printer_fields(True)
        self.baud.setValue(probed.baud or PROFILES[DEFAULT_PROFILE].baud)
        self.flow.setCurrentText(PROFILES[self.profile.currentText()].flow)
        self.status.clear()
        self._titles()
        self.show()

    def for_keypads(self, probed: setup.ProbedPort) -> None:
        self.probed = probed
        self._clear_keypads()
        self._show_printer_fields(False)
        for keypad in probed.keypads:
            row = QHBoxLayout()
            caption = QLabel(f"{keypad.address} · {keypad.model} · {keypad.serial}")
            field = QSpinBox()
            field.setRange(1, 999)
            field.setValue(keypad.address)
            field.setMinimumWidth(140)
            field.setObjectName(f"assign-counter-{keypad.address}")
            self.counter_fields[keypad.address] = field
            row.addWidget(caption, 1)
            row.addWidget(field)
            self.keypad_rows.addLayout(row)
        self.status.clear()
        self._titles()
        self.show()

    def _clear_keypads(self) -> None:
        self.counter_fields.clear()
        while self.keypad_rows.count():
            item = self.keypad_rows.takeAt(0)
            row = item.layout() if item is not None else None
            if row is not None:
                clear(row)

    def save(self) -> None:
        if self.probed is None:
            return
        app, staff = self.context.app, self.context.staff
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        if self.probed.kind == "printer":
            run_task(setup.assign_printer, app, staff, self.probed.port,
                     self.profile.currentText(), self.mode.currentText(), self.baud.value(),
                     self.flow.currentText(), owner=self, on_result=self._saved,
                     on_error=self._failed, name="assign_printer")
        else:
            mapping = {a: f.value() for a, f in self.counter_fields.items()}
            run_task(setup.assign_keypads, app, staff, self.probed.port, mapping,
                     baud=self.probed.baud or 9600, owner=self, on_result=self._saved,
                     on_error=self._failed, name="assign_keypads")

    def _saved(self, saved: PrinterInfo | KeypadPortInfo) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(self.tr("Saved: %1").replace("%1", saved.port))
        self.saved.emit(saved.port)

    def _failed(self, failure: Failure) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(failure.message())


__all__ = ["AssignPanel"]
