"""The display role: ``kiosk run --role display [--screen N]``.

Where the board's data comes from, and what happens when it cannot:

- **Start**: one :func:`kiosk.app.display.display_board` (worker) gives the whole
  board and the call feed position it includes; the feed watcher
  (:class:`ui.feed.FeedWatcher`) carries on from there.
- **A call, recall** (feed event, GUI thread): shown large at once and flashing,
  announced (:mod:`ui.voice.announcer`), then the waiting counts and counters are
  refreshed (one ``display_board`` a short moment later, however many events came).
- **Every** :data:`REFRESH_MS`: ``display_board`` again (notice, settings, a missed
  counter change); the clock ticks by itself.
- **The database goes away**: a discreet "reconnecting" sign; the last board stays;
  the feed watcher and the refresh keep trying, and when either gets through the sign
  goes and the board catches up (the feed delivers what it missed, in order; of those,
  a call older than :data:`SAY_WITHIN_S` by this PC's clock is shown but not said: it
  would be old news). Live calls are always said, whatever the clocks of the PCs that
  made them say.
- **No sound**: the board works as before; the announcer logs it once and the
  problem is recorded once as this station's device health (``device_health``).
"""

from __future__ import annotations

import logging
from enum import Enum, auto
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from kiosk import clock
from kiosk.app import AppContext
from kiosk.app.display import DisplayBoard, display_board, report_sound
from kiosk.devices.voice import VoiceSettings
from kiosk.queue.feed import FeedEvent
from ui import tasks
from ui.feed import FeedWatcher
from ui.lobby.board import LobbyBoard
from ui.shell import Shell
from ui.tasks import Failure, run_task
from ui.voice.announcer import Announcer

log = logging.getLogger(__name__)

REFRESH_MS = 10_000     # the whole board again, calls or not
SETTLE_MS = 300         # after feed events, before the board refresh they call for
SAY_WITHIN_S = 30.0     # a call older than this (missed while away) is not said
CALLS = ("call", "call_specific", "recall")
FEED_KINDS = ("call", "call_specific", "recall", "transfer", "no_show", "finish", "cancel",
              "expire", "start", "issue", "counter_open", "counter_pause", "counter_resume",
              "counter_close")


class DisplayState(Enum):
    BOARD = auto()


class LobbyDisplay(Shell):
    """The lobby display window: one board, fed by the application layer and the feed."""

    def __init__(self, app: AppContext, *, announcer: Announcer | None = None,
                 refresh_ms: int = REFRESH_MS, parent: QWidget | None = None) -> None:
        super().__init__(home=DisplayState.BOARD, parent=parent)
        self.setObjectName("lobby-display")
        self.app = app
        self.board = LobbyBoard()
        self.add_screen(DisplayState.BOARD, self.board)
        self.voice = VoiceSettings()
        self.announcer = announcer if announcer is not None else Announcer(
            self, settings=lambda: self.voice)
        self.announcer.device_problem.connect(self._sound_problem)
        self.announcer.availability_changed.connect(self._sound_changed)
        self.feed: FeedWatcher | None = None
        self.position: int | None = None
        self.last: DisplayBoard | None = None
        self._refreshing = False
        self._feed_down = False  # the feed watcher lost the database
        self._read_failed = False  # the last board read failed
        self._catching_up = False  # the next events are what the feed missed meanwhile
        self._refresh = QTimer(self)
        self._refresh.setInterval(refresh_ms)
        self._refresh.timeout.connect(self.refresh)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        # Nobody touches a lobby screen: a failure nobody handled is logged, never shown
        # over the board (the shell's own handler would put up a panel with buttons).
        tasks.set_failure_handler(self._unhandled)
        self.home()
        if self.announcer.problem is not None:
            self._sound_problem(self.announcer.problem)
        self.refresh()
        self._refresh.start()

    # ----- the board -----------------------------------------------------------------

    def refresh(self) -> None:
        """Read the whole board (worker); one at a time."""
        if self._refreshing:
            return
        self._refreshing = True
        run_task(display_board, self.app, owner=self, name="display board",
                 on_result=self._show, on_error=self._lost)

    def _show(self, board: DisplayBoard) -> None:
        self._refreshing = False
        self.last = board
        self.voice = board.voice.settings()
        fresh = self.position is None or board.feed_position >= self.position
        self.board.show_board(
            branch=(board.name_zh, board.name_en), timezone=board.timezone,
            notice=board.notice, services=board.services, counters=board.counters,
            calls=[(c.number, c.counter, c.kind) for c in board.calls] if fresh else None)
        self._read_failed = False
        self._update_sign()
        if self.feed is None:
            self._follow(board.feed_position)

    def _lost(self, failure: Failure) -> None:
        self._refreshing = False
        if not self._read_failed:
            log.warning("display board not refreshed: %s", failure.error)
        self._read_failed = True
        self._update_sign()

    def _update_sign(self) -> None:
        """"Reconnecting" while the feed is lost or the board cannot be read."""
        self.board.set_reconnecting(self._feed_down or self._read_failed)

    # ----- the call feed -------------------------------------------------------------

    def _follow(self, position: int) -> None:
        self.position = position
        self.feed = FeedWatcher(self.app.engine, after_id=position, kinds=FEED_KINDS,
                                parent=self)
        self.feed.events.connect(self._on_events)
        self.feed.connection_lost.connect(self._feed_lost)
        self.feed.connection_restored.connect(self._feed_back)
        self.feed.start()

    def _on_events(self, events: list[FeedEvent]) -> None:
        now = clock.now()
        catching_up, self._catching_up = self._catching_up, False
        for event in events:
            self.position = event.id
            if event.kind in CALLS and event.ticket and event.counter is not None:
                kind = "recall" if event.kind == "recall" else "call"
                self.board.show_call(event.ticket, event.counter, kind)
                if not catching_up or (now - event.at).total_seconds() <= SAY_WITHIN_S:
                    self.announcer.announce_call(event.ticket, event.counter,
                                                 recall=kind == "recall")
        self._settle.start()  # counts and counters changed: one refresh for the lot

    def _feed_lost(self, reason: str) -> None:
        log.warning("call feed lost: %s", reason)
        self._feed_down = True
        self._update_sign()

    def _feed_back(self) -> None:
        log.info("call feed back")
        self._feed_down = False
        self._catching_up = True
        self._update_sign()
        self.refresh()

    # ----- sound ---------------------------------------------------------------------

    def _sound_problem(self, reason: str) -> None:
        run_task(report_sound, self.app, reason, owner=self, name="report sound problem",
                 on_result=lambda _r: None,
                 on_error=lambda f: log.warning("sound problem not recorded: %s", f.error))

    def _sound_changed(self, available: bool) -> None:
        if available:
            run_task(report_sound, self.app, None, owner=self, name="report sound back",
                     on_result=lambda _r: None,
                     on_error=lambda f: log.warning("sound back not recorded: %s", f.error))

    def _unhandled(self, failure: Failure) -> None:
        log.error("display: %s", failure.message())

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self.allow_close:
            self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        self._refresh.stop()
        self._settle.stop()
        if self.feed is not None:
            self.feed.stop()
        self.announcer.close()


def make_window(context: Any) -> LobbyDisplay:
    """``kiosk run --role display``: the window on the branch's database."""
    return LobbyDisplay(context.cli.app)
