"""The live board's ticket desk, for a customer standing at the supervisor's desk: find
today's tickets by number, reprint or cancel one (with the reason), and issue a care
(爱心) or VIP ticket on the customer's behalf, printed here.

Everything goes through ``kiosk.app.ticket_desk`` in tasks (audited there); the
actions are shown to roles that may override (supervisors). A refusal or a printer
problem shows in the banner; what was typed stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from kiosk.app import ticket_desk
from kiosk.app.live_board import BoardQueue
from kiosk.app.ticket_desk import TicketSearch
from kiosk.app.tickets import TakenTicket, TicketInfo
from kiosk.staff.permissions import Permission
from ui import i18n
from ui.admin.pages import AdminContext
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton, choice_button
from ui.widgets.retranslate import Retranslating

STATUS = {"waiting": str(QT_TRANSLATE_NOOP("TicketDesk", "waiting")),
          "called": str(QT_TRANSLATE_NOOP("TicketDesk", "called")),
          "serving": str(QT_TRANSLATE_NOOP("TicketDesk", "serving")),
          "done": str(QT_TRANSLATE_NOOP("TicketDesk", "done")),
          "no_show": str(QT_TRANSLATE_NOOP("TicketDesk", "no show")),
          "cancelled": str(QT_TRANSLATE_NOOP("TicketDesk", "cancelled")),
          "expired": str(QT_TRANSLATE_NOOP("TicketDesk", "expired"))}
PRIORITY = {"care": str(QT_TRANSLATE_NOOP("TicketDesk", "care")),
            "vip": str(QT_TRANSLATE_NOOP("TicketDesk", "VIP")),
            "normal": str(QT_TRANSLATE_NOOP("TicketDesk", "normal"))}
WIDE = (2, 4)
"""Columns of the tickets found and of the services on a wide page; one and two on a
narrow one (portrait, large text): :meth:`TicketDesk.set_narrow`."""
NARROW = (1, 2)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TicketDesk", text)


class TicketDesk(Retranslating, QFrame):
    """Search, the tickets found, their actions, and issuing a ticket."""

    changed = Signal()
    """A ticket was cancelled or issued (the board reads again)."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__()
        self.setObjectName("ticket-desk")
        self.setProperty("kind", "panel")
        self.context = context
        self.found: TicketSearch | None = None
        self.chosen: str | None = None
        self.service: str | None = None
        self.priority = "care"
        self.columns = WIDE
        self._task: Task | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        self.title = QLabel()
        self.title.setProperty("kind", "section")
        search_row = QHBoxLayout()
        self.search_field = QLineEdit()
        self.search_field.setObjectName("ticket-search")
        self.search_field.setMaxLength(8)
        self.search_field.returnPressed.connect(self.search)
        self.search_button = TouchButton(kind="primary")
        self.search_button.setObjectName("ticket-search-go")
        self.search_button.clicked.connect(self.search)
        search_row.addWidget(self.search_field, 1)
        search_row.addWidget(self.search_button)
        self.results = QGridLayout()
        self.results.setSpacing(8)
        self.result_buttons: dict[str, TouchButton] = {}
        self.empty = QLabel()
        self.empty.setProperty("kind", "muted")
        self.empty.hide()
        act_row = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("cancel-reason")
        self.reason.setMaxLength(200)
        self.reprint_button = TouchButton()
        self.reprint_button.setObjectName("ticket-reprint")
        self.reprint_button.clicked.connect(self.reprint)
        self.cancel_button = TouchButton(kind="danger")
        self.cancel_button.setObjectName("ticket-cancel")
        self.cancel_button.clicked.connect(self.cancel)
        act_row.addWidget(self.reason, 1)
        act_row.addWidget(self.reprint_button)
        act_row.addWidget(self.cancel_button)
        self.issue_title = QLabel()
        self.issue_title.setProperty("kind", "section")
        self.services = QGridLayout()
        self.services.setSpacing(8)
        self.service_buttons: dict[str, TouchButton] = {}
        priority_row = QHBoxLayout()
        self.priority_buttons: dict[str, TouchButton] = {}
        for priority in ("care", "vip", "normal"):
            button = choice_button(f"issue-{priority}", self.choose_priority, priority)
            priority_row.addWidget(button)
            self.priority_buttons[priority] = button
        priority_row.addStretch(1)
        self.issue_button = TouchButton(kind="primary")
        self.issue_button.setObjectName("ticket-issue")
        self.issue_button.clicked.connect(self.issue)
        priority_row.addWidget(self.issue_button)
        layout.addWidget(self.title)
        layout.addLayout(search_row)
        layout.addLayout(self.results)
        layout.addWidget(self.empty)
        layout.addLayout(act_row)
        layout.addWidget(self.issue_title)
        layout.addLayout(self.services)
        layout.addLayout(priority_row)
        self.choose_priority("care")
        self.retranslate()

    # -- state ------------------------------------------------------------------------

    def may_act(self) -> bool:
        return self.context.logged_in and self.context.staff.can(Permission.OVERRIDE)

    def set_services(self, queues: Sequence[BoardQueue]) -> None:
        """The services a ticket can be issued for (the board's queues)."""
        codes = [q.code for q in queues if q.enabled]
        if codes != list(self.service_buttons):
            for button in self.service_buttons.values():
                self.services.removeWidget(button)
                button.deleteLater()
            self.service_buttons = {}
            for code in codes:
                button = choice_button(f"issue-service-{code}", self.choose_service, code)
                self.service_buttons[code] = button
            self._place(self.services, list(self.service_buttons.values()), self.columns[1])
            if self.service not in codes:
                self.service = None
        zh = i18n.current_language() == "zh_CN"
        for queue in queues:
            if queue.code in self.service_buttons:
                self.service_buttons[queue.code].setText(
                    f"{queue.prefix} {queue.name_zh if zh else queue.name_en}")
        self._enable()

    def set_narrow(self, narrow: bool) -> None:
        """One column of tickets and two of services on a narrow page."""
        columns = NARROW if narrow else WIDE
        if columns != self.columns:
            self.columns = columns
            self._place(self.results, list(self.result_buttons.values()), columns[0])
            self._place(self.services, list(self.service_buttons.values()), columns[1])

    @staticmethod
    def _place(grid: QGridLayout, buttons: list[TouchButton], columns: int) -> None:
        for button in buttons:
            grid.removeWidget(button)
        for index, button in enumerate(buttons):
            grid.addWidget(button, index // columns, index % columns)

    def choose_service(self, code: str) -> None:
        self.service = code
        for key, button in self.service_buttons.items():
            button.setChecked(key == code)
        self._enable()

    def choose_priority(self, priority: str) -> None:
        self.priority = priority
        for key, button in self.priority_buttons.items():
            button.setChecked(key == priority)

    def choose(self, number: str) -> None:
        self.chosen = number
        for key, button in self.result_buttons.items():
            button.setChecked(key == number)
        self._enable()

    def reset(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.found, self.chosen, self.service = None, None, None
        self.search_field.clear()
        self.reason.clear()
        self.choose_priority("care")
        for button in self.service_buttons.values():
            button.setChecked(False)
        self._fill()

    def _enable(self) -> None:
        acting = self.may_act()
        for widget in (self.reason, self.reprint_button, self.cancel_button,
                       self.issue_title, self.issue_button, *self.priority_buttons.values(),
                       *self.service_buttons.values()):
            widget.setVisible(acting)
        idle = self._task is None
        chosen = self.chosen is not None
        self.search_button.setEnabled(idle)
        self.reprint_button.setEnabled(idle and chosen)
        self.cancel_button.setEnabled(idle and chosen)
        self.issue_button.setEnabled(idle and self.service is not None)

    # -- acting -------------------------------------------------------------------------

    def _run(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None],
             name: str, **kwargs: Any) -> None:
        if self._task is not None:
            return
        self._task = run_task(fn, self.context.app, self.context.staff, *args, owner=self,
                              name=name, on_result=lambda value: self._finished(done, value),
                              on_error=self._refused, **kwargs)
        self._enable()

    def _finished(self, done: Callable[[Any], None], value: Any) -> None:
        self._task = None
        done(value)
        self._enable()

    def _refused(self, failure: Failure) -> None:
        self._task = None
        self._enable()
        self.context.notify(failure.message(), "error")

    def search(self) -> None:
        self._run(ticket_desk.search_tickets, self.search_field.text(), done=self._found,
                  name="ticket_search")

    def _found(self, found: TicketSearch) -> None:
        self.found = found
        if self.chosen not in {t.number for t in found.tickets}:
            self.chosen = None
        self._fill()

    def reprint(self) -> None:
        if self.chosen is not None:
            self._run(ticket_desk.reprint_ticket, self.chosen, done=self._printed,
                      name="ticket_reprint")

    def _printed(self, outcome: Any) -> None:
        self._print_note(self.chosen or "", outcome)

    def cancel(self) -> None:
        if self.chosen is not None:
            self._run(ticket_desk.cancel_ticket_for, self.chosen, self.reason.text(),
                      done=self._cancelled, name="ticket_cancel")

    def _cancelled(self, ticket: TicketInfo) -> None:
        self.reason.clear()
        self.context.notify(self.tr("%1 cancelled").replace("%1", ticket.number), "success")
        self.changed.emit()
        self.search()

    def issue(self) -> None:
        if self.service is not None:
            self._run(ticket_desk.issue_ticket, self.service, self.priority,
                      done=self._issued, name="ticket_issue")

    def _issued(self, ticket: TakenTicket) -> None:
        self.changed.emit()
        self.search_field.setText(ticket.number)
        self._print_note(ticket.number, ticket.print)
        self.search()

    def _print_note(self, number: str, outcome: Any) -> None:
        if outcome is not None and not outcome.printed:
            reason = outcome.reason_zh if i18n.error_language() == "zh" else outcome.reason_en
            self.context.notify(self.tr("%1: not printed (%2); the ticket stands.")
                                .replace("%1", number).replace("%2", reason), "warning")
        else:
            self.context.notify(self.tr("%1 printed").replace("%1", number), "success")

    # -- showing ----------------------------------------------------------------------

    def row_text(self, ticket: TicketInfo) -> str:
        zh = i18n.current_language() == "zh_CN"
        parts = [ticket.number, ticket.service_name_zh if zh else ticket.service_name_en,
                 _tr(STATUS.get(ticket.status, ticket.status))]
        if ticket.priority != "normal":
            parts.append(_tr(PRIORITY.get(ticket.priority, ticket.priority)))
        parts.append(self.tr("taken %1").replace("%1", ticket.issued_at[11:16]))
        if ticket.status == "waiting":
            parts.append(self.tr("%1 ahead").replace("%1", str(ticket.ahead)))
        elif ticket.counter is not None:
            parts.append(self.tr("counter %1").replace("%1", str(ticket.counter)))
        return " · ".join(parts)

    def _fill(self) -> None:
        for button in self.result_buttons.values():
            self.results.removeWidget(button)
            button.deleteLater()
        self.result_buttons = {}
        tickets = self.found.tickets if self.found else ()
        for ticket in tickets:
            button = TouchButton(kind="choice")
            button.setCheckable(True)
            button.setProperty("row", "list")
            button.setObjectName(f"ticket-{ticket.number}")
            button.setText(self.row_text(ticket))
            button.setChecked(ticket.number == self.chosen)
            button.clicked.connect(lambda _=False, n=ticket.number: self.choose(n))
            self.result_buttons[ticket.number] = button
        self._place(self.results, list(self.result_buttons.values()), self.columns[0])
        self.empty.setVisible(self.found is not None and not tickets)
        self._enable()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Tickets today"))
        self.search_field.setPlaceholderText(self.tr("Ticket number, e.g. D007 (empty: all)"))
        self.search_field.setAccessibleName(self.tr("Ticket number"))
        self.search_button.setText(self.tr("Find"))
        self.reason.setPlaceholderText(self.tr("Reason for cancelling"))
        self.reason.setAccessibleName(self.tr("Reason for cancelling"))
        self.reprint_button.setText(self.tr("Reprint"))
        self.cancel_button.setText(self.tr("Cancel ticket"))
        self.issue_title.setText(self.tr("Issue a ticket for a customer (printed here)"))
        for priority, button in self.priority_buttons.items():
            button.setText(_tr(PRIORITY[priority]))
        self.issue_button.setText(self.tr("Issue ticket"))
        self.empty.setText(self.tr("No ticket today starts with that number."))
        if self.found is not None:
            for ticket in self.found.tickets:
                self.result_buttons[ticket.number].setText(self.row_text(ticket))


__all__ = ["TicketDesk"]
