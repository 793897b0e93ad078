"""What the live board points out beside counters and queues: the branch's warnings
(no holiday calendar for the coming year), the complaints register's open and overdue
counts (a button opens the register on its overdue list), and how each station's
devices are (the rows of the devices grid: paper out, keypad offline, no audio device,
since when)."""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.app.live_board import BoardWarning, LiveBoard
from kiosk.app.stations import DeviceState
from ui import i18n
from ui.widgets import TouchButton
from ui.widgets.retranslate import Retranslating

DEVICES = {"printer": str(QT_TRANSLATE_NOOP("BoardDevices", "receipt printer")),
           "a4": str(QT_TRANSLATE_NOOP("BoardDevices", "A4 output")),
           "speakers": str(QT_TRANSLATE_NOOP("BoardDevices", "call speakers"))}
STATES = {"ok": str(QT_TRANSLATE_NOOP("BoardDevices", "OK")),
          "problem": str(QT_TRANSLATE_NOOP("BoardDevices", "Problem")),
          "unknown": str(QT_TRANSLATE_NOOP("BoardDevices", "Not seen yet"))}
KEYPAD_NAME = str(QT_TRANSLATE_NOOP("BoardDevices", "keypad %1 (counter %2)"))
KEYPAD = re.compile(r"keypad (\d+) \(counter (\d+)\)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BoardDevices", text)


def device_name(device: str) -> str:
    """``printer`` -> 小票打印机; ``keypad 3 (counter 2)`` -> 评价器 3（2 号窗口）."""
    keypad = KEYPAD.fullmatch(device)
    if keypad:
        return _tr(KEYPAD_NAME).replace("%1", keypad[1]).replace("%2", keypad[2])
    return _tr(DEVICES[device]) if device in DEVICES else device


def since_text(since: str | None, today: str) -> str:
    """``HH:MM`` today, ``MM-DD HH:MM`` before; ``—`` never seen."""
    if since is None:
        return "—"
    return since[11:16] if since[:10] == today else since[5:16].replace("T", " ")


def device_row(device: DeviceState, today: str) -> list[str]:
    zh = i18n.current_language() == "zh_CN"
    problem = (device.problem_zh if zh else device.problem_en) or "—"
    since = since_text(device.since, today) if device.state != "ok" else "—"
    return [device.station, device_name(device.device),
            _tr(STATES.get(device.state, device.state)), problem, since]


def device_level(device: DeviceState) -> str:
    return {"problem": "error", "unknown": "warning"}.get(device.state, "")


class WarningList(QWidget):
    """The branch's warnings, one line each, in the current language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-warnings")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.labels: list[QLabel] = []
        self._warnings: tuple[BoardWarning, ...] = ()
        self.hide()

    def show_warnings(self, warnings: tuple[BoardWarning, ...]) -> None:
        self._warnings = warnings
        while len(self.labels) > len(warnings):
            self.labels.pop().deleteLater()
        while len(self.labels) < len(warnings):
            label = QLabel()
            label.setProperty("kind", "alert")
            label.setWordWrap(True)
            self.layout_.addWidget(label)
            self.labels.append(label)
        zh = i18n.current_language() == "zh_CN"
        for label, warning in zip(self.labels, warnings, strict=True):
            label.setObjectName(f"warning-{warning.code}")
            label.setText(warning.zh if zh else warning.en)
        self.setVisible(bool(warnings))


class ComplaintNotice(Retranslating, QWidget):
    """"Complaints: 3 open, 1 overdue" (red when any is overdue) and a button to the
    overdue list (shown to roles that work the register)."""

    open_register = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("board-complaints")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setObjectName("board-complaints-count")
        self.label.setWordWrap(True)
        self.button = TouchButton()
        self.button.setObjectName("board-open-complaints")
        self.button.clicked.connect(self.open_register)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self._counts: tuple[int, int] | None = None
        self.hide()

    def show_board(self, board: LiveBoard | None, *, allowed: bool) -> None:
        self._counts = (board.complaints_open, board.complaints_overdue) if board else None
        self.setVisible(allowed and board is not None)
        self.retranslate()

    def retranslate(self) -> None:
        self.button.setText(self.tr("Overdue complaints"))
        if self._counts is None:
            return
        opened, late = self._counts
        self.label.setText(self.tr("Complaints: %1 open, %2 overdue").replace(
            "%1", str(opened)).replace("%2", str(late)))
        level = "error" if late else ""
        if self.label.property("kind") != level:
            self.label.setProperty("kind", level)
            self.label.style().unpolish(self.label)
            self.label.style().polish(self.label)


__all__ = ["ComplaintNotice", "WarningList", "device_level", "device_name", "device_row",
           "since_text"]
