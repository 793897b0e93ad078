"""The lobby board: the one screen of the display role.

Landscape (1920x1080, 3840x2160): header; the newest call and the last calls side by
side; people waiting per service; the counters; the scrolling notice. Portrait
(1080x1920): the same parts stacked. Sizes follow the screen (``ui.lobby.style``).
The board only shows what it is given: :class:`~ui.lobby.window.LobbyDisplay` feeds it
from the application layer and the call feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk import clock
from ui import i18n, theme
from ui.lobby import texts
from ui.lobby.marquee import Marquee
from ui.lobby.style import display_qss, display_scale
from ui.lobby.widgets import (
    CallHero,
    CounterChips,
    Part,
    RecentCalls,
    WaitingTiles,
    label,
    tight,
)
from ui.shell import Screen

Call = tuple[str, int, str]  # (ticket number, counter, "call" | "recall")
KEPT_CALLS = 7  # the newest (large) and six before it


class LobbyBoard(Screen):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lobby-board")
        self.setProperty("kind", "lobby")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.timezone: str | None = None
        self.branch = ("", "")
        self.calls: list[Call] = []
        self._style_key: tuple[int, int] | None = None

        header = Part("lobby-header")
        self.branch_name = label("lobby-branch", "branch-name")
        self.branch_other = label("lobby-branch-en")
        self.clock = label("lobby-clock", "clock", align=Qt.AlignmentFlag.AlignRight)
        self.date = label("lobby-date", align=Qt.AlignmentFlag.AlignRight)
        names, when = tight(QVBoxLayout()), tight(QVBoxLayout())
        names.addWidget(self.branch_name)
        names.addWidget(self.branch_other)
        when.addWidget(self.clock)
        when.addWidget(self.date)
        row = tight(QHBoxLayout(header))
        row.addLayout(names, 1)
        row.addLayout(when)

        self.hero = CallHero()
        self.recent = RecentCalls()
        self.middle = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.middle.addWidget(self.hero, 3)
        self.middle.addWidget(self.recent, 2)
        self.waiting = WaitingTiles()
        self.counters = CounterChips()

        footer = QFrame()
        footer.setProperty("kind", "lobby-footer")
        self.notice = Marquee()
        self.status = label("lobby-status", "reconnecting", align=Qt.AlignmentFlag.AlignRight)
        self.status.hide()
        bottom = tight(QHBoxLayout(footer))
        bottom.addWidget(self.notice, 1)
        bottom.addWidget(self.status)

        self.outer = QVBoxLayout(self)
        self.outer.addWidget(header)
        self.outer.addLayout(self.middle, 1)
        self.outer.addWidget(self.waiting)
        self.outer.addWidget(self.counters)
        self.outer.addWidget(footer)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_clock)
        self._tick.start()
        theme.signals().changed.connect(self._on_theme)
        self.retranslate()

    # ----- what the window calls -----------------------------------------------------

    def show_board(self, *, branch: tuple[str, str], timezone: str, notice: str,
                   services: Sequence[Any], counters: Sequence[Any],
                   calls: Sequence[Call] | None = None) -> None:
        """The whole board (``calls`` None: keep the calls shown, the feed is ahead)."""
        self.branch, self.timezone = branch, timezone
        self.waiting.set_services(services)
        self.counters.set_counters(counters)
        self.notice.set_text(notice)
        if calls is not None:
            self._set_calls(list(calls))
        self.retranslate()

    def show_call(self, number: str, counter: int, kind: str = "call") -> None:
        """A call from the feed: large at once, flashing; a recall flashes again."""
        kind = "recall" if kind == "recall" else "call"
        rest = [c for c in self.calls if c[0] != number]
        self._set_calls([(number, counter, kind), *rest])
        self.hero.flash()

    def set_reconnecting(self, reconnecting: bool) -> None:
        """The discreet sign while the database is away (the last board stays)."""
        self.status.setVisible(reconnecting)

    @property
    def reconnecting(self) -> bool:
        return not self.status.isHidden()

    # ----- inside --------------------------------------------------------------------

    def _set_calls(self, calls: list[Call]) -> None:
        self.calls = calls[:KEPT_CALLS]
        if self.calls:
            self.hero.show_call(*self.calls[0])
        else:
            self.hero.clear()  # a new day: welcome again, not yesterday's last call
        self.recent.set_calls(self.calls[1:])

    def retranslate(self) -> None:
        first, second = texts.names(*self.branch)
        self.branch_name.setText(first)
        self.branch_other.setText(second)
        self.status.setText(texts.current(texts.RECONNECTING))
        self._update_clock(force=True)

    def _update_clock(self, force: bool = False) -> None:
        now: datetime = clock.now()
        if self.timezone:
            now = clock.local(now, self.timezone)
        text = now.strftime("%H:%M")
        if force or text != self.clock.text():
            self.clock.setText(text)
            locale = QLocale("zh_CN" if i18n.current_language() == "zh_CN" else "en_GB")
            fmt = "yyyy年M月d日 dddd" if i18n.current_language() == "zh_CN" else "dddd d MMMM yyyy"
            self.date.setText(locale.toString(QDate(now.year, now.month, now.day), fmt))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._restyle()

    def _on_theme(self, _theme: object) -> None:
        self._restyle(force=True)

    def _restyle(self, force: bool = False) -> None:
        width, height = self.width(), self.height()
        key = (width, height)
        if key == self._style_key and not force:
            return
        self._style_key = key
        portrait = height > width
        self.middle.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                 else QBoxLayout.Direction.LeftToRight)
        self.waiting.set_columns(4 if portrait else 7)
        self.counters.set_columns(3 if portrait else 6)
        scale = display_scale(width, height)
        gap = max(4, round(10 * scale))
        self.outer.setContentsMargins(gap, gap, gap, gap)
        for layout in (self.outer, self.middle, self.waiting.grid, self.counters.grid):
            layout.setSpacing(gap)
        self.recent.grid.setHorizontalSpacing(gap * 2)
        self.setStyleSheet(display_qss(width, height))
