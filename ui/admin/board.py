"""The live board page: the branch's warnings, the complaints register's counts, every
counter, every queue, every station's devices, refreshed from the call feed; and the
ticket desk (``ui.admin.board_tickets``) below.

The board is read (``kiosk.app.live_board``) when the page is shown, again after
every call-feed event (a read already running is followed by one more, never more:
a burst of events costs two reads), and every :data:`POLL_MS` for what no event
announces (a queue passing its target). Durations keep running between reads from
the time the board was received.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.app.live_board import BoardCounter, BoardQueue, LiveBoard, live_board
from kiosk.staff.permissions import Permission
from ui import i18n
from ui.admin.board_grid import BoardGrid
from ui.admin.board_notices import ComplaintNotice, WarningList, device_level, device_row
from ui.admin.board_tickets import TicketDesk
from ui.admin.pages import AdminContext, AdminPage
from ui.tasks import Failure, Task, run_task
from ui.widgets import muted_label, scroll_area

POLL_MS = 15_000
TICK_MS = 1_000


class BoardPage(AdminPage):
    """Counters and queues now (``ui.admin.pages`` key ``board``)."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.board: LiveBoard | None = None
        self._received = 0.0
        self._task: Task | None = None
        self._again = False
        self._failure: Failure | None = None
        self._active = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 16, 24, 24)
        layout.setSpacing(12)
        self.status = QLabel()
        self.status.setObjectName("board-status")
        self.status.setProperty("kind", "muted")
        self.status.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("board-problem")
        self.problem.setProperty("kind", "alert")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.warnings = WarningList()
        self.complaints = ComplaintNotice()
        self.complaints.open_register.connect(
            lambda: self.open_page.emit("complaints", {"view": "overdue"}))
        self.counters_title = QLabel()
        self.counters_title.setProperty("kind", "title")
        self.counters = BoardGrid("board-counters")
        self.queues_title = QLabel()
        self.queues_title.setProperty("kind", "title")
        self.queues = BoardGrid("board-queues")
        self.queues_note = muted_label()
        self.devices_title = QLabel()
        self.devices_title.setProperty("kind", "title")
        self.devices = BoardGrid("board-devices", wrap=frozenset({3}))
        self.devices.grid.setColumnStretch(3, 1)
        self.tickets = TicketDesk(context)
        self.tickets.changed.connect(self.refresh)
        for widget in (self.status, self.problem, self.warnings, self.complaints,
                       self.counters_title, self.counters, self.queues_title, self.queues,
                       self.queues_note, self.devices_title, self.devices, self.tickets):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.scroller = scroll_area(body)
        outer.addWidget(self.scroller)
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.redraw)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.refresh)
        context.feed_events.connect(self._feed_events)
        context.feed_lost.connect(self._feed_lost)
        context.feed_restored.connect(self.refresh)
        self.retranslate()

    NARROW_PX = 1300

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self.tickets.set_narrow(event.size().width() < self.NARROW_PX)
        super().resizeEvent(event)

    # -- reading ----------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self._active = True
        self.refresh()
        self.tick_timer.start()
        self.poll_timer.start()

    def leave(self) -> None:
        self._active = False
        self.tick_timer.stop()
        self.poll_timer.stop()

    def reset(self) -> None:
        self.leave()
        self.tickets.reset()
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.board, self._again, self._failure = None, False, None
        self.redraw()

    def refresh(self) -> None:
        """Read the board (in a task); one more read follows if one is running."""
        if self._task is not None:
            self._again = True
            return
        self._task = run_task(live_board, self.app, owner=self, on_result=self._show,
                              on_error=self._failed, name="live_board")

    def _feed_events(self, events: list[object]) -> None:
        if self._active and self.context.logged_in:
            self.refresh()

    def _feed_lost(self, reason: str) -> None:
        self.problem.setText(self.tr("The database cannot be reached; the board shows the "
                                     "last figures read and retries by itself."))
        self.problem.show()

    def _show(self, board: LiveBoard) -> None:
        self._task, self._failure = None, None
        self.board, self._received = board, time.monotonic()
        self.problem.hide()
        self.tickets.set_services(board.queues)
        self.redraw()
        self._next()

    def _failed(self, failure: Failure) -> None:
        self._task, self._failure = None, failure
        self.problem.setText(failure.message())
        self.problem.show()
        self._next()

    def _next(self) -> None:
        if self._again:
            self._again = False
            self.refresh()

    # -- showing ----------------------------------------------------------------------

    def _elapsed(self) -> int:
        return int(time.monotonic() - self._received) if self.board else 0

    def redraw(self) -> None:
        board = self.board
        self.complaints.show_board(board, allowed=self.context.logged_in
                                   and self.staff.can(Permission.COMPLAINTS))
        self.warnings.show_warnings(board.warnings if board else ())
        if board is None:
            self.status.setText(self.tr("Reading the board…"))
            self.counters.set_rows([])
            self.queues.set_rows([])
            self.devices.set_rows([])
            return
        extra = self._elapsed()
        self.status.setText(self.tr("Business day %1 · read at %2").replace(
            "%1", board.business_date).replace("%2", board.at[11:19]))
        self.counters.set_rows([self._counter_row(c, extra) for c in board.counters],
                               ["" if c.status != "paused" else "warning"
                                for c in board.counters])
        self.queues.set_rows([self._queue_row(q, extra) for q in board.queues],
                             [self._queue_level(q, extra) for q in board.queues])
        self.devices.set_rows([device_row(d, board.business_date) for d in board.devices],
                              [device_level(d) for d in board.devices])

    def _counter_row(self, counter: BoardCounter, extra: int) -> list[str]:
        status = {"open": self.tr("Open"), "paused": self.tr("Paused"),
                  "closed": self.tr("Closed")}.get(counter.status, counter.status)
        if counter.ticket is None:
            ticket, serving = "—", "—"
        else:
            state = {"called": self.tr("called"), "serving": self.tr("serving")}.get(
                counter.ticket_status or "", counter.ticket_status or "")
            ticket = f"{counter.ticket} ({state})"
            if counter.priority in ("care", "vip"):
                ticket += " · " + (self.tr("care") if counter.priority == "care"
                                   else self.tr("VIP"))
            serving = duration((counter.serving_s or 0) + extra)
        return [str(counter.number), status, counter.staff or "—", ticket, serving]

    def _queue_row(self, queue: BoardQueue, extra: int) -> list[str]:
        name = queue.name_zh if i18n.current_language() == "zh_CN" else queue.name_en
        if not queue.enabled:
            name += " · " + self.tr("disabled")
        longest = "—" if queue.longest_wait_s is None else duration(queue.longest_wait_s + extra)
        estimate = "—" if queue.wait_min is None else f"{queue.wait_min[0]}–{queue.wait_min[1]}"
        return [f"{queue.prefix} {name}", str(queue.waiting), str(queue.open_counters),
                longest, str(queue.target_wait_min), estimate]

    @staticmethod
    def _queue_level(queue: BoardQueue, extra: int) -> str:
        if queue.longest_wait_s is None:
            return ""
        return "error" if queue.longest_wait_s + extra > queue.target_wait_min * 60 else ""

    def retranslate(self) -> None:
        self.counters_title.setText(self.tr("Counters"))
        self.queues_title.setText(self.tr("Queues"))
        self.counters.set_headers([self.tr("Counter"), self.tr("Status"), self.tr("Staff"),
                                   self.tr("Current ticket"), self.tr("Serving for")])
        self.counters.set_empty_text(self.tr("No counters are set up."))
        self.queues.set_headers([self.tr("Service"), self.tr("Waiting"),
                                 self.tr("Counters", "open counters of a queue"),
                                 self.tr("Longest\nwait"), self.tr("Target"),
                                 self.tr("Estimate")])
        self.queues_note.setText(self.tr("Counters: open counters serving the queue. "
                                         "Target and estimate in minutes; a queue whose "
                                         "longest wait has passed its target is marked."))
        self.queues.set_empty_text(self.tr("No services are set up."))
        self.devices_title.setText(self.tr("Devices"))
        self.devices.set_headers([self.tr("Station"), self.tr("Device"), self.tr("State"),
                                  self.tr("Problem"), self.tr("Since")])
        self.devices.set_empty_text(self.tr("No station has reported a device yet."))
        self.devices.setAccessibleName(self.tr("Devices"))
        if self.board is not None:
            self.tickets.set_services(self.board.queues)
        self.counters.setAccessibleName(self.tr("Counters"))
        self.queues.setAccessibleName(self.tr("Queues"))
        self.redraw()


def duration(seconds: int) -> str:
    """``754`` -> ``12:34``; ``3725`` -> ``1:02:05`` (hours only when there are any)."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


__all__ = ["BoardPage", "duration"]
