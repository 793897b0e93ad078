"""Taking a ticket: one tile per service (people waiting, the wait, or why it cannot be
taken now) with the priority-care choice; then the result: the number very large, the
people ahead, the wait range, the QR, and what the printer did.

The number is on screen as soon as the take is committed; the print runs after it in
its own task. If the printer is out of paper, unplugged or fails, the ticket is still
valid: the page says "please note your number" and stays up until touched (the idle
reset holds), and the spool keeps the job for when the printer is back (the station's
printer health tells staff)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
)

from kiosk.app import AppContext
from kiosk.app.printout import PrintOutcome
from kiosk.app.tickets import ServiceChoice, TakenTicket, print_ticket, service_choices, take_ticket
from ui.customer.states import State
from ui.customer.widgets import ChoiceButton, QrView, TileButton, pick
from ui.shell import Screen
from ui.tasks import Failure, run_task
from ui.widgets import TouchButton, muted_label, scrolled_body

REFRESH_MS = 15_000

log = logging.getLogger(__name__)


class Announcer(Protocol):
    """What the "read aloud" button needs (``ui.voice``'s announcer)."""

    def read_ticket(self, number: str, service_zh: str, service_en: str, ahead: int) -> bool: ...


def wait_text(wait: tuple[int, int] | None) -> str:
    """The wait range as a customer reads it."""
    if wait is None:
        return QCoreApplication.translate("Wait", "No wait estimate yet")
    low, high = wait
    if high <= 0:
        return QCoreApplication.translate("Wait", "Almost no wait")
    return QCoreApplication.translate("Wait", "About %1-%2 min").replace(
        "%1", str(low)).replace("%2", str(high))


class ServicesScreen(Screen):
    """One tile per service; a refused take (closed, full) is shown, never a crash."""

    def __init__(self, app: AppContext) -> None:
        super().__init__()
        self.app = app
        self.choices: tuple[ServiceChoice, ...] = ()
        self.tiles: dict[str, TileButton] = {}
        self._taking = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_header(layout)
        inner = scrolled_body(layout, margins=48, top=24, bottom=24, spacing=24)
        care = QFrame()
        care.setProperty("kind", "panel")
        care_layout = QVBoxLayout(care)
        care_layout.setContentsMargins(24, 16, 24, 16)
        self.care = ChoiceButton()  # the whole width is the target, not a small box
        self.care.setObjectName("priority-care")
        self.care_hint = muted_label()
        care_layout.addWidget(self.care)
        care_layout.addWidget(self.care_hint)
        self.status = QLabel()
        self.status.setObjectName("services-status")
        self.status.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        inner.addWidget(care)
        inner.addWidget(self.status)
        inner.addLayout(self.grid)
        inner.addStretch(1)
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.load)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self._taking = False
        self.retranslate()  # the tiles as last seen, touchable at once; then fresh figures
        self.load()
        self._refresh.start()

    def leave(self) -> None:
        self._refresh.stop()

    def reset(self) -> None:
        self.care.setChecked(False)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._refresh.stop()  # the window closed or another screen is up
        super().hideEvent(event)

    def load(self) -> None:
        if not self.choices:
            self.status.setText(self.tr("Loading the services..."))
            self.status.show()
        run_task(service_choices, self.app, owner=self, on_result=self.show_choices,
                 on_error=self._not_loaded, name="service choices")

    def _not_loaded(self, failure: Failure) -> None:
        if self.isVisible() and not self.choices:
            self.failed(failure)  # nothing to show: say why, with Back and Home
        else:  # a refresh: the tiles stay as last seen; the next refresh tries again
            log.warning("service choices not refreshed: %s", failure.message())

    def show_choices(self, choices: tuple[ServiceChoice, ...]) -> None:
        self.choices = choices
        shown = [c for c in choices if c.enabled or c.reason_code]
        if set(self.tiles) != {c.code for c in shown}:
            for tile in self.tiles.values():
                self.grid.removeWidget(tile)
                tile.deleteLater()
            self.tiles = {}
            for index, choice in enumerate(shown):
                tile = TileButton()
                tile.setObjectName(f"service-{choice.code}")
                tile.clicked.connect(lambda _=False, code=choice.code: self.take(code))
                self.grid.addWidget(tile, index // 2, index % 2)
                tile.show()  # at once, not at the next turn of the event loop
                self.tiles[choice.code] = tile
        self.retranslate()

    def take(self, code: str) -> None:
        if self._taking:  # a second touch while the first is being taken
            return
        self._taking = True
        for tile in self.tiles.values():
            tile.setEnabled(False)
        priority = "care" if self.care.isChecked() else "normal"
        run_task(take_ticket, self.app, code, priority, owner=self, on_result=self._taken,
                 on_error=self._refused, name="take ticket")

    def _taken(self, ticket: TakenTicket) -> None:
        self.care.setChecked(False)
        self.move_to(State.TICKET, ticket=ticket)

    def _refused(self, failure: Failure) -> None:
        self._taking = False
        self.failed(failure)
        self.load()

    def failed(self, failure: Failure) -> None:
        show = getattr(self.window(), "show_failure", None)
        if show is not None:
            show(failure)

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Take a ticket"))
        self.care.setText(self.tr("Priority care (爱心通道)"))
        self.care.set_accessible(self.tr("Priority care"))
        self.care_hint.setText(self.tr(
            "For elderly, disabled and pregnant customers: you will be called first."))
        if self.choices:
            self.status.setVisible(not self.tiles)
            self.status.setText(self.tr("No service can be taken at the moment."))
        for choice in self.choices:
            tile = self.tiles.get(choice.code)
            if tile is None:
                continue
            name = pick(choice.name_zh, choice.name_en)
            if choice.available:
                status = self.tr("%1 waiting · %2").replace("%1", str(choice.waiting)).replace(
                    "%2", wait_text(choice.wait_min))
            else:
                status = pick(choice.reason_zh or "", choice.reason_en or "") or self.tr(
                    "Not available now")
            tile.set_texts(f"{choice.prefix}  {name}", status)
            tile.setEnabled(choice.available and not self._taking)


class _TouchWatch(QObject):
    """Calls back on the first touch anywhere in the application (then removes itself)."""

    def __init__(self, on_touch: Any, parent: QObject) -> None:
        super().__init__(parent)
        self._on_touch = on_touch
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            self.stop()
            self._on_touch()
        return False

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class TicketScreen(Screen):
    """The ticket just taken; Back skips it (a ticket is not taken twice by Back)."""

    keeps_history = False

    def __init__(self, app: AppContext, announcer: Announcer | None = None) -> None:
        super().__init__()
        self.app = app
        self.announcer = announcer
        self.ticket: TakenTicket | None = None
        self.outcome: PrintOutcome | None = None
        self.print_failure: Failure | None = None
        self.printing = False
        self.holding = False
        self._watch: _TouchWatch | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_header(layout)
        inner = scrolled_body(layout, margins=48, top=16, bottom=24, spacing=16)
        self.caption = QLabel()
        self.caption.setProperty("kind", "title")
        self.number = QLabel()
        self.number.setObjectName("ticket-number")
        self.number.setProperty("kind", "number")
        self.service = QLabel()
        self.service.setProperty("kind", "title")
        self.service.setWordWrap(True)
        # The number and its facts beside the QR: fits 1280x800 with the print panel.
        top = QHBoxLayout()
        top.setSpacing(48)
        texts = QVBoxLayout()
        texts.setSpacing(8)
        self.ahead = QLabel()
        self.ahead.setObjectName("ticket-ahead")
        self.ahead.setWordWrap(True)
        self.wait = QLabel()
        self.wait.setObjectName("ticket-wait")
        self.wait.setWordWrap(True)
        self.priority = QLabel()
        self.priority.setObjectName("ticket-priority")
        self.priority.setWordWrap(True)
        for widget in (self.caption, self.number, self.service, self.ahead, self.wait,
                       self.priority):
            texts.addWidget(widget)
        self.qr = QrView()
        self.qr.setObjectName("ticket-qr")
        top.addStretch(1)
        top.addLayout(texts)
        top.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        self.print_panel = QFrame()
        self.print_panel.setObjectName("print-status")
        self.print_panel.setProperty("kind", "banner")
        self.print_panel.setProperty("level", "info")
        panel_layout = QVBoxLayout(self.print_panel)
        panel_layout.setContentsMargins(24, 16, 24, 16)
        self.print_title = QLabel()
        self.print_title.setProperty("kind", "tile-title")
        self.print_title.setWordWrap(True)
        self.print_text = QLabel()
        self.print_text.setWordWrap(True)
        panel_layout.addWidget(self.print_title)
        panel_layout.addWidget(self.print_text)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(48, 12, 48, 24)
        buttons.setSpacing(24)
        self.read_button = TouchButton()
        self.read_button.setObjectName("read-aloud")
        self.read_button.setVisible(announcer is not None)
        self.done_button = TouchButton(kind="primary")
        self.done_button.setObjectName("done")
        buttons.addWidget(self.read_button, 1)
        buttons.addWidget(self.done_button, 1)
        inner.addLayout(top)
        inner.addWidget(self.print_panel)
        inner.addStretch(1)
        layout.addLayout(buttons)  # outside the scroll: Done is always in reach
        self.read_button.clicked.connect(self.read_aloud)
        self.done_button.clicked.connect(self.home_requested)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        ticket = params.get("ticket")
        if not isinstance(ticket, TakenTicket):
            return  # entered again by Back from a later page: the same ticket stays
        self.ticket, self.outcome, self.print_failure = ticket, None, None
        self.qr.set_payload(ticket.reference)
        self.printing = True
        self._set_holding(False)
        self.retranslate()
        run_task(print_ticket, self.app, ticket.number, owner=self, on_result=self._printed,
                 on_error=self._print_failed, name="print ticket")

    def leave(self) -> None:
        self._set_holding(False)

    def reset(self) -> None:
        self.ticket, self.outcome, self.print_failure = None, None, None
        self.qr.set_payload("")
        self._set_holding(False)

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printing = False
        self.outcome = outcome
        self._set_holding(not outcome.printed)
        self.retranslate()

    def _print_failed(self, failure: Failure) -> None:
        self.printing = False
        self.print_failure = failure
        self._set_holding(True)
        self.retranslate()

    def _set_holding(self, holding: bool) -> None:
        """While the number was not printed the page stays until someone touches it."""
        self.holding = holding
        if self._watch is not None:
            self._watch.stop()
            self._watch.deleteLater()
            self._watch = None
        if holding:
            self._watch = _TouchWatch(lambda: setattr(self, "holding", False), self)

    def read_aloud(self) -> None:
        if self.announcer is not None and self.ticket is not None:
            t = self.ticket
            self.announcer.read_ticket(t.number, t.service_name_zh, t.service_name_en, t.ahead)

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Your ticket"))
        self.caption.setText(self.tr("Your number"))
        self.read_button.setText(self.tr("Read aloud"))
        self.done_button.setText(self.tr("Done"))
        ticket = self.ticket
        if ticket is None:
            for label in (self.number, self.service, self.ahead, self.wait, self.priority):
                label.clear()
            self.print_panel.hide()
            return
        self.number.setText(ticket.number)
        self.number.setAccessibleName(self.tr("Your number %1").replace("%1", ticket.number))
        self.service.setText(pick(ticket.service_name_zh, ticket.service_name_en))
        self.ahead.setText(self.tr("%1 people ahead of you").replace("%1", str(ticket.ahead)))
        self.wait.setText(self.tr("Estimated wait: %1").replace(
            "%1", wait_text(ticket.wait_min)))
        self.priority.setVisible(ticket.priority != "normal")
        self.priority.setText(self.tr("Priority care (爱心通道)") if ticket.priority == "care"
                              else self.tr("VIP"))
        self._show_print()

    def _show_print(self) -> None:
        outcome, failure = self.outcome, self.print_failure
        if self.printing:
            level, title, text = "info", self.tr("Printing your ticket..."), ""
        elif outcome is not None and outcome.printed:
            level, title = "success", self.tr("Please take your ticket from the printer.")
            text = self.tr("Watch the screen and listen for your number.")
        else:
            reason = (pick(outcome.reason_zh, outcome.reason_en) if outcome is not None
                      else failure.message() if failure is not None else "")
            level, title = "warning", self.tr("Please note your number: %1").replace(
                "%1", self.ticket.number if self.ticket else "")
            text = self.tr("The ticket could not be printed (%1). Your number is valid: "
                           "staff have been told.").replace("%1", reason.rstrip("。."))
        self.print_panel.setProperty("level", level)
        self.print_title.setText(title)
        self.print_text.setText(text)
        self.print_text.setVisible(bool(text))
        self.print_panel.setAccessibleName(f"{title} {text}".strip())
        for widget in (self.print_panel, self.print_title, self.print_text):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        self.print_panel.show()
