"""The parts of the lobby board. Each shows both languages (``ui.lobby.texts``), takes
plain values or the application layer's results, and repaints only when they change
(the board idles at a few percent of a core)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QVBoxLayout,
    QWidget,
)

from ui.lobby import texts
from ui.widgets.retranslate import Retranslating

FLASH_TOGGLES = 6       # on/off changes of a flash: three blinks
FLASH_INTERVAL_MS = 500

L = TypeVar("L", bound=QLayout)


def label(kind: str, name: str = "", *, wrap: bool = False,
          align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> QLabel:
    widget = QLabel()
    widget.setProperty("kind", kind)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
    return widget


def tight(layout: L, spacing: int = 0) -> L:
    """No margins of the layout's own: the style sheet's padding (which scales with the
    screen) spaces the board."""
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    return layout


def repolish(widget: QWidget) -> None:
    """Apply a changed dynamic property to the style (Qt does not on its own)."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    for child in widget.findChildren(QWidget):
        child.style().unpolish(child)
        child.style().polish(child)


class Part(Retranslating, QFrame):
    """A framed part of the board that re-sets its texts on a language change."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("kind", kind)

    def retranslate(self) -> None:
        """Set every text again (both languages swap places)."""


class CallHero(Part):
    """The newest call, very large: 「D007 → 3号窗口 / Counter 3」; flashes on a call."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("lobby-hero", parent)
        self.setObjectName("call-hero")
        self.setProperty("flash", "off")
        self.title = label("lobby-label", align=Qt.AlignmentFlag.AlignHCenter)
        self.title_other = label("lobby-label-en", align=Qt.AlignmentFlag.AlignHCenter)
        self.number = label("lobby-number", "call-number", align=Qt.AlignmentFlag.AlignHCenter)
        self.counter = label("lobby-counter", "call-counter",
                             align=Qt.AlignmentFlag.AlignHCenter)
        self.counter_other = label("lobby-counter-en", "call-counter-en",
                                   align=Qt.AlignmentFlag.AlignHCenter)
        layout = tight(QVBoxLayout(self))
        layout.addStretch(1)
        for widget in (self.title, self.title_other, self.number, self.counter,
                       self.counter_other):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.call: tuple[str, int, str] | None = None
        self._toggles = 0
        self._blink = QTimer(self)
        self._blink.setInterval(FLASH_INTERVAL_MS)
        self._blink.timeout.connect(self._on_blink)
        self.retranslate()

    def show_call(self, number: str, counter: int, kind: str = "call") -> None:
        self.call = (number, counter, kind)
        self.retranslate()

    def clear(self) -> None:
        """No call to show (the day's first call is still to come)."""
        if self.call is not None:
            self.call = None
            self.setAccessibleName("")
            self.retranslate()

    def flash(self) -> None:
        """Blink (a new call, or a recall: again from the start)."""
        self._toggles = 0
        self._set_flash(True)
        self._blink.start()

    @property
    def flashing(self) -> bool:
        return self._blink.isActive()

    def _on_blink(self) -> None:
        self._toggles += 1
        if self._toggles >= FLASH_TOGGLES:
            self._blink.stop()
            self._set_flash(False)
        else:
            self._set_flash(self._toggles % 2 == 0)

    def _set_flash(self, on: bool) -> None:
        value = "on" if on else "off"
        if self.property("flash") != value:
            self.setProperty("flash", value)
            repolish(self)

    def retranslate(self) -> None:
        if self.call is None:
            self.title.setText(texts.current(texts.WELCOME))
            self.title_other.setText(texts.other(texts.WELCOME))
            self.number.setText("")
            self.number.hide()  # the welcome lines centred, no gap for a number
            self.counter.setText(texts.current(texts.PLEASE_WAIT))
            self.counter_other.setText(texts.other(texts.PLEASE_WAIT))
            return
        number, counter, kind = self.call
        title = texts.RECALL if kind == "recall" else texts.NOW_CALLING
        self.title.setText(texts.current(title))
        self.title_other.setText(texts.other(title))
        self.number.setText(number)
        self.number.show()
        self.counter.setText(texts.current(texts.COUNTER_N, counter))
        self.counter_other.setText(texts.other(texts.COUNTER_N, counter))
        self.setAccessibleName(f"{number} {texts.current(texts.COUNTER_N, counter)}")


class RecentCalls(Part):
    """The calls before the newest one: number, then the counter in both languages."""

    def __init__(self, rows: int = 6, parent: QWidget | None = None) -> None:
        super().__init__("lobby-panel", parent)
        self.setObjectName("recent-calls")
        self.heading = label("lobby-heading")
        self.heading_other = label("lobby-heading-en")
        self.empty = label("lobby-muted", align=Qt.AlignmentFlag.AlignHCenter)
        layout = tight(QVBoxLayout(self))
        layout.addWidget(self.heading)
        layout.addWidget(self.heading_other)
        self.grid = tight(QGridLayout())
        layout.addLayout(self.grid)
        layout.addWidget(self.empty)
        layout.addStretch(1)
        self.rows: list[tuple[QLabel, QLabel, QLabel]] = []
        for i in range(rows):
            number = label("lobby-list", f"recent-{i}")
            where = label("lobby-list")
            where_other = label("lobby-list-en")
            self.grid.addWidget(number, i, 0)
            self.grid.addWidget(where, i, 1)
            self.grid.addWidget(where_other, i, 2)
            self.rows.append((number, where, where_other))
        self.grid.setColumnStretch(2, 1)
        self.calls: list[tuple[str, int, str]] = []
        self.retranslate()

    def set_calls(self, calls: Sequence[tuple[str, int, str]]) -> None:
        calls = list(calls)[:len(self.rows)]
        if calls != self.calls:
            self.calls = calls
            self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(texts.current(texts.RECENT_CALLS))
        self.heading_other.setText(texts.other(texts.RECENT_CALLS))
        self.empty.setText(f"{texts.current(texts.NO_CALLS_YET)}\n"
                           f"{texts.other(texts.NO_CALLS_YET)}")
        self.empty.setVisible(not self.calls)
        for i, (number, where, where_other) in enumerate(self.rows):
            shown = i < len(self.calls)
            for widget in (number, where, where_other):
                widget.setVisible(shown)
            if shown:
                ticket, counter, _kind = self.calls[i]
                number.setText(ticket)
                where.setText(texts.current(texts.COUNTER_N, counter))
                where_other.setText(texts.other(texts.COUNTER_N, counter))


class WaitingTiles(Part):
    """People waiting per service: name in both languages and the count, large."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("lobby-panel", parent)
        self.setObjectName("waiting")
        self.heading = label("lobby-heading", wrap=True)
        self.heading_other = label("lobby-heading-en", wrap=True)
        head = tight(QVBoxLayout())
        head.addWidget(self.heading)
        head.addWidget(self.heading_other)
        head.addStretch(1)
        layout = tight(QHBoxLayout(self))
        layout.addLayout(head)
        self.grid = tight(QGridLayout())
        layout.addLayout(self.grid, 1)
        self.columns = 7
        self.services: list[Any] = []
        self.tiles: dict[str, tuple[QFrame, QLabel, QLabel, QLabel, QLabel]] = {}
        self.retranslate()

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._place()

    def set_services(self, services: Sequence[Any]) -> None:
        shown = [s for s in services if s.enabled]
        codes = [s.code for s in shown]
        if codes != list(self.tiles):
            for frame, *_ in self.tiles.values():
                frame.deleteLater()
            self.tiles = {code: self._tile(code) for code in codes}
            self._place()
        self.services = shown
        self.retranslate()

    def _tile(self, code: str) -> tuple[QFrame, QLabel, QLabel, QLabel, QLabel]:
        frame = QFrame()
        frame.setProperty("kind", "lobby-tile")
        frame.setObjectName(f"waiting-{code}")
        name = label("lobby-tile-name", align=Qt.AlignmentFlag.AlignHCenter, wrap=True)
        name_other = label("lobby-tile-en", align=Qt.AlignmentFlag.AlignHCenter, wrap=True)
        count = label("lobby-count", f"waiting-count-{code}",
                      align=Qt.AlignmentFlag.AlignRight)
        unit = label("lobby-tile-en")
        row = tight(QHBoxLayout())
        row.addStretch(1)
        row.addWidget(count, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addWidget(unit, 0, Qt.AlignmentFlag.AlignBaseline)
        row.addStretch(1)
        box = tight(QVBoxLayout(frame))
        box.addWidget(name)
        box.addWidget(name_other)
        box.addStretch(1)
        box.addLayout(row)
        return frame, name, name_other, count, unit

    def _place(self) -> None:
        for i, (frame, *_rest) in enumerate(self.tiles.values()):
            self.grid.addWidget(frame, i // self.columns, i % self.columns)
        for column in range(max(self.grid.columnCount(), self.columns)):
            self.grid.setColumnStretch(column, 1 if column < self.columns else 0)

    def retranslate(self) -> None:
        self.heading.setText(texts.current(texts.WAITING))
        self.heading_other.setText(texts.other(texts.WAITING))
        for service in self.services:
            _frame, name, name_other, count, unit = self.tiles[service.code]
            first, second = texts.names(service.name_zh, service.name_en)
            name.setText(f"{service.prefix}  {first}")
            name_other.setText(second)
            count.setText(str(service.waiting))
            unit.setText(" " + texts.current(texts.PEOPLE))


class CounterChips(Part):
    """Every counter: serving a number, free, paused (暂停办公) or closed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("lobby-panel", parent)
        self.setObjectName("counters")
        self.grid = tight(QGridLayout(self))
        self.columns = 6
        self.counters: list[Any] = []
        self.chips: dict[int, tuple[QFrame, QLabel, QLabel, QLabel]] = {}

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            self._place()

    def set_counters(self, counters: Sequence[Any]) -> None:
        numbers = [c.number for c in counters]
        if numbers != list(self.chips):
            for frame, *_ in self.chips.values():
                frame.deleteLater()
            self.chips = {n: self._chip(n) for n in numbers}
            self._place()
        self.counters = list(counters)
        self.retranslate()

    def _chip(self, number: int) -> tuple[QFrame, QLabel, QLabel, QLabel]:
        frame = QFrame()
        frame.setProperty("kind", "lobby-chip")
        frame.setObjectName(f"counter-{number}")
        name = label("lobby-chip-name", f"counter-name-{number}",
                     align=Qt.AlignmentFlag.AlignHCenter)
        state = label("lobby-chip-state", f"counter-state-{number}",
                      align=Qt.AlignmentFlag.AlignHCenter)
        state_other = label("lobby-chip-en", align=Qt.AlignmentFlag.AlignHCenter)
        box = tight(QVBoxLayout(frame))
        for widget in (name, state, state_other):
            box.addWidget(widget)
        return frame, name, state, state_other

    def _place(self) -> None:
        for i, (frame, *_rest) in enumerate(self.chips.values()):
            self.grid.addWidget(frame, i // self.columns, i % self.columns)
        for column in range(max(self.grid.columnCount(), self.columns)):
            self.grid.setColumnStretch(column, 1 if column < self.columns else 0)

    def retranslate(self) -> None:
        for counter in self.counters:
            frame, name, state, state_other = self.chips[counter.number]
            name.setText(f"{texts.current(texts.COUNTER_N, counter.number)}  "
                         f"{texts.other(texts.COUNTER_N, counter.number)}")
            if counter.status == "paused":
                status, words = "paused", texts.pair(texts.PAUSED)
            elif counter.status == "closed":
                status, words = "closed", texts.pair(texts.CLOSED)
            elif counter.ticket is not None:
                serving = texts.pair(texts.SERVING)
                status, words = "serving", (counter.ticket.number, "  ".join(serving))
            else:
                status, words = "open", texts.pair(texts.FREE)
            state.setText(words[0])
            state_other.setText(words[1])
            if frame.property("status") != status:
                frame.setProperty("status", status)
                repolish(frame)
