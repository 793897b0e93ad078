"""The counter terminal's main screen: the ticket at the counter, the actions, the
waiting counts of the counter's services and its station's device alerts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout

from kiosk.app import counters as counters_app
from kiosk.app.counters import CounterView
from kiosk.staff.permissions import StaffSession
from ui import i18n
from ui.counter.controller import CounterDesk
from ui.counter.states import CounterState
from ui.shell import Screen
from ui.tasks import Failure
from ui.widgets import TouchButton, scrolled_body

ACTIONS = ("call", "recall", "start", "finish", "no_show", "transfer", "call_specific",
           "pause", "open")


class DeskScreen(Screen):
    """Reads nothing itself: it shows what :class:`CounterDesk` reports and asks it to
    act. Buttons are enabled by the counter's state (a called ticket can be recalled,
    started, marked no-show; a ticket at the counter can be finished or transferred)."""

    def __init__(self, desk: CounterDesk) -> None:
        super().__init__()
        self.desk = desk
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = scrolled_body(outer)
        top = QHBoxLayout()
        self.who = QLabel()
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        self.logout_button = TouchButton(kind="nav")
        self.logout_button.setObjectName("logout")
        self.logout_button.clicked.connect(lambda: self.desk.end_session())
        top.addWidget(self.who, 1)
        top.addWidget(self.logout_button)
        self.alerts = QLabel()
        self.alerts.setObjectName("alerts")
        self.alerts.setWordWrap(True)
        self.alerts.setProperty("kind", "alert")
        self.alerts.hide()
        panel = QFrame()
        panel.setProperty("kind", "panel")
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(16, 8, 16, 8)
        self.number = QLabel()
        self.number.setObjectName("current-number")
        self.number.setProperty("kind", "number")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.details = QLabel()
        self.details.setObjectName("current-details")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.claim = QLabel()
        self.claim.setObjectName("claim-check")
        self.claim.setWordWrap(True)
        self.claim.setProperty("kind", "muted")
        inner.addWidget(self.number)
        inner.addWidget(self.details)
        inner.addWidget(self.claim)
        grid = QGridLayout()
        grid.setSpacing(10)
        self.buttons: dict[str, TouchButton] = {}
        for index, action in enumerate(ACTIONS):
            button = TouchButton(kind="primary" if action == "call" else "secondary")
            button.setObjectName(action)
            button.clicked.connect(lambda _=False, a=action: self.press(a))
            self.buttons[action] = button
            if action == "call":
                grid.addWidget(button, 0, 0, 1, 2)
            else:
                grid.addWidget(button, 1 + (index - 1) // 2, (index - 1) % 2)
        self.queues = QLabel()
        self.queues.setObjectName("queues")
        self.queues.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("desk-message")
        self.message.setWordWrap(True)
        self.message.setProperty("kind", "alert")
        self.message.hide()
        layout.addLayout(top)
        layout.addWidget(self.alerts)
        layout.addWidget(panel)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        layout.addWidget(self.queues)
        layout.addStretch(1)
        desk.view_changed.connect(self.show_view)
        desk.session_changed.connect(lambda _: self.retranslate())
        desk.action_done.connect(self._done)
        desk.action_failed.connect(self._failed)
        self._alert_lines: list[tuple[str, str]] = []
        self.retranslate()

    # ----- actions ------------------------------------------------------------------

    def press(self, action: str) -> None:
        self.say("")
        view = self.desk.view
        if action == "call":
            self.desk.act("call", counters_app.call_next)
        elif action == "recall":
            self.desk.act("recall", counters_app.recall)
        elif action == "start":
            self.desk.act("start", counters_app.start_serving)
        elif action == "finish":
            self.desk.act("finish", counters_app.finish)
        elif action == "no_show":
            self.desk.act("no_show", counters_app.no_show)
        elif action == "transfer":
            self.move_to(CounterState.TRANSFER)
        elif action == "call_specific":
            self.move_to(CounterState.CALL_NUMBER)
        elif action == "pause":
            if view is not None and view.status == "paused":
                self.desk.act("resume", counters_app.resume_counter)
            else:
                self.desk.act("pause", counters_app.pause_counter)
        elif action == "open":
            if view is not None and view.status == "closed":
                self.desk.act("open", counters_app.open_counter)
            else:
                self.desk.act("close", counters_app.close_counter)

    def _done(self, action: str, view: CounterView) -> None:
        if action == "call" and view.ticket is None:
            self.say(self.tr("Nobody is waiting for this counter's services."))

    def _failed(self, action: str, failure: Failure) -> None:
        if action == "pause" and getattr(failure.error, "code", "") == "only_open_counter":
            self.move_to(CounterState.OVERRIDE, message=failure.message())
            return
        self.say(failure.message())

    # ----- showing ------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        if self.desk.view is not None:
            self.show_view(self.desk.view)

    def reset(self) -> None:
        self.say("")

    def say(self, text: str) -> None:
        """A line about the last action (a refusal, nobody waiting); hidden when empty."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def show_alerts(self, lines: list[tuple[str, str]]) -> None:
        """The station's device alerts, each (zh, en); hidden when there are none."""
        self._alert_lines = lines
        self._render_alerts()

    def _render_alerts(self) -> None:
        english = i18n.current_language() == "en"
        self.alerts.setText("\n".join(en if english else zh for zh, en in self._alert_lines))
        self.alerts.setVisible(bool(self._alert_lines))

    def show_view(self, view: CounterView) -> None:
        english = i18n.current_language() == "en"
        current = view.current
        if current is None:
            self.number.setText("—")
            self.number.setAccessibleName(self.tr("No customer at the counter"))
            self.details.setText(self.tr("No customer at the counter"))
            self.claim.clear()
        else:
            self.number.setText(current.number)
            self.number.setAccessibleName(self.tr("Ticket %1").replace("%1", current.number))
            parts = [current.service_name_en if english else current.service_name_zh,
                     self._priority(current.priority), self._status(current.status),
                     self.tr("waited %1 min").replace("%1", str(current.waited_min))]
            if current.recalls:
                parts.append(self.tr("recalled %1×").replace("%1", str(current.recalls)))
            self.details.setText(" · ".join(p for p in parts if p))
            check = current.claim_check
            if check is None:
                self.claim.clear()
            elif check.complete:
                self.claim.setText(self.tr("Claim check %1: documents complete")
                                   .replace("%1", check.reference))
            else:
                missing = (", " if english else "、").join(
                    d.name_en if english else d.name_zh for d in check.missing)
                self.claim.setText(self.tr("Claim check %1, missing: %2")
                                   .replace("%1", check.reference).replace("%2", missing))
        self.queues.setText(self.tr("Waiting: %1").replace("%1", "  ".join(
            f"{q.name_en if english else q.name_zh} {q.waiting}" for q in view.queues)))
        self._enable(view)
        self._render_who()

    def _enable(self, view: CounterView) -> None:
        state = view.current.status if view.current else None
        is_open = view.status == "open"
        self.buttons["call"].setEnabled(is_open)
        self.buttons["recall"].setEnabled(is_open and state == "called")
        self.buttons["start"].setEnabled(is_open and state == "called")
        self.buttons["no_show"].setEnabled(is_open and state == "called")
        self.buttons["finish"].setEnabled(state in ("called", "serving"))
        self.buttons["transfer"].setEnabled(is_open and state in ("called", "serving"))
        self.buttons["call_specific"].setEnabled(is_open)
        self.buttons["pause"].setEnabled(view.status in ("open", "paused"))
        self.buttons["pause"].setText(self.tr("Resume") if view.status == "paused"
                                      else self.tr("Pause"))
        self.buttons["open"].setText(self.tr("Open counter") if view.status == "closed"
                                     else self.tr("Close counter"))
        recalls = view.current.recalls if view.current else 0
        self.buttons["recall"].setText(self.tr("Recall (%1)").replace("%1", str(recalls))
                                       if recalls else self.tr("Recall"))

    def _render_who(self) -> None:
        session: StaffSession | None = self.desk.session
        view = self.desk.view
        status = self._counter_status(view.status) if view is not None else ""
        who = f"{session.name} ({session.number})" if session is not None else ""
        self.who.setText(self.tr("Counter %1 · %2 · %3").replace("%1", str(self.desk.counter))
                         .replace("%2", who).replace("%3", status))

    def _priority(self, priority: str) -> str:
        return {"care": self.tr("Priority (care)"), "vip": self.tr("VIP")}.get(priority, "")

    def _status(self, status: str) -> str:
        return {"called": self.tr("called"), "serving": self.tr("serving")}.get(status, status)

    def _counter_status(self, status: str) -> str:
        return {"open": self.tr("open"), "paused": self.tr("paused"),
                "closed": self.tr("closed")}.get(status, status)

    def retranslate(self) -> None:
        self.logout_button.setText(self.tr("Log out"))
        for action, text in (("call", self.tr("Call next")), ("start", self.tr("Start")),
                             ("finish", self.tr("Finish")), ("no_show", self.tr("No-show")),
                             ("transfer", self.tr("Transfer")),
                             ("call_specific", self.tr("Call a number"))):
            self.buttons[action].setText(text)
        if self.desk.view is not None:
            self.show_view(self.desk.view)
        else:
            for action in ("pause", "open", "recall"):
                self.buttons[action].setText({"pause": self.tr("Pause"),
                                              "open": self.tr("Open counter"),
                                              "recall": self.tr("Recall")}[action])
            self.number.setText("—")
            self.details.clear()
            self.queues.clear()
            self._render_who()
        self._render_alerts()


__all__ = ["DeskScreen"]
