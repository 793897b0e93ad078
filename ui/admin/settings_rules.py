"""Settings page: the branch's other single settings, grouped: queue rules, promised
deadlines (complaints, feedback, claim decisions), the rating keypads, staff sign-in,
calling by voice, the ticket's notice and the lobby display's line. Every value goes
to the same validator as a settings file (``settings.<key>`` names the field)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.admin_settings import SettingsView, save_values
from ui.admin.settings_base import SettingsPage
from ui.widgets import grid_widget

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("queue", ("recall_limit", "ticket_print_expiry_min", "customer_idle_seconds",
               "claims_fast_lane")),
    ("deadlines", ("feedback_working_days", "complaint_reply_working_days",
                   "complaint_decision_days", "complaint_complex_decision_days",
                   "complaint_major_dispute_working_days", "claim_decision_working_days")),
    ("ratings", ("rating_scale",)),
    ("staff", ("pin_max_attempts", "pin_lockout_minutes", "staff_idle_lock_minutes")),
    ("voice", ("voice_repeat", "voice_volume", "voice_chime")),
    ("notices", ("ticket_notice_zh", "ticket_notice_en", "display_notice")),
)
FLAGS = ("claims_fast_lane", "voice_chime")
LINES = ("ticket_notice_zh", "ticket_notice_en")


class RulesSettingsPage(SettingsPage):
    """``ui.admin.pages`` key ``settings-rules``."""

    name = "rules"

    def build(self, form: QVBoxLayout) -> None:
        self.titles: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}
        host, grid = grid_widget()  # one grid, so every group's fields line up
        row = 0
        for group, keys in GROUPS:
            title = QLabel()
            title.setProperty("kind", "section")
            self.titles[group] = title
            grid.addWidget(title, row, 0, 1, 2)
            row += 1
            for key in keys:
                widget: QWidget
                if key in FLAGS:
                    widget = QCheckBox()
                elif key in LINES:
                    widget = QPlainTextEdit()
                    widget.setTabChangesFocus(True)
                else:
                    widget = QLineEdit()
                widget.setObjectName(f"rules-{key}")
                label = QLabel()
                label.setWordWrap(True)
                label.setBuddy(widget)
                self.labels[key], self.inputs[key] = label, widget
                grid.addWidget(label, row, 0)
                grid.addWidget(widget, row, 1)
                grid.addWidget(self.error_label(f"settings.{key}"), row + 1, 1)
                row += 2
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        form.addWidget(host)

    def value(self, key: str) -> Any:
        """What the page holds for ``key`` (typed digits become numbers in the use case)."""
        widget = self.inputs[key]
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return [line for line in widget.toPlainText().rstrip("\n").split("\n")] \
                if widget.toPlainText().strip() else []
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def fill(self, view: SettingsView) -> None:
        for key, widget in self.inputs.items():
            value = view.values[key]
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText("\n".join(str(line) for line in value))
            elif isinstance(widget, QLineEdit):
                widget.setText(str(value))

    def submit(self) -> Callable[[], Any] | None:
        loaded = self.view.values if self.view else {}
        values = {key: self.value(key) for key in self.inputs
                  if str(self.value(key)) != str(loaded.get(key))}
        rev = self.view.rev if self.view else None
        return lambda: save_values(self.app, self.staff, values, rev=rev)

    def retranslate(self) -> None:
        self.intro.setText(self.tr("The branch's rules and notices. Deadlines count working "
                                   "days on the branch calendar unless they say calendar "
                                   "days."))
        titles = {"queue": self.tr("Queue"), "deadlines": self.tr("Promised deadlines"),
                  "ratings": self.tr("Rating keypads"), "staff": self.tr("Staff sign-in"),
                  "voice": self.tr("Calling by voice"),
                  "notices": self.tr("Ticket notice and lobby display")}
        for group, text in titles.items():
            self.titles[group].setText(text)
        names = {
            "recall_limit": self.tr("Recalls before a ticket may be marked no-show"),
            "ticket_print_expiry_min": self.tr("A ticket not printed within (minutes, 0: "
                                               "no limit) is not printed later"),
            "customer_idle_seconds": self.tr("Customer screen returns to its welcome after "
                                             "(seconds idle)"),
            "claims_fast_lane": self.tr("A complete claim check gets a priority ticket"),
            "feedback_working_days": self.tr("Progress feedback on a complaint (working "
                                             "days)"),
            "complaint_reply_working_days": self.tr("Reply to a complaint (working days)"),
            "complaint_decision_days": self.tr("Decision on a complaint (calendar days)"),
            "complaint_complex_decision_days": self.tr("Decision on a complex complaint "
                                                       "(calendar days)"),
            "complaint_major_dispute_working_days": self.tr("Major claim dispute "
                                                            "investigated within (working "
                                                            "days)"),
            "claim_decision_working_days": self.tr("Decision on a complete claim file "
                                                   "(working days)"),
            "rating_scale": self.tr("Keys on the rating keypads (3, 4 or 5)"),
            "pin_max_attempts": self.tr("Wrong PINs in a row before an account locks"),
            "pin_lockout_minutes": self.tr("Locked for (minutes)"),
            "staff_idle_lock_minutes": self.tr("Counter terminal locks itself after "
                                               "(minutes idle)"),
            "voice_repeat": self.tr("Times each call is spoken (1-5)"),
            "voice_volume": self.tr("Volume (0-100 %)"),
            "voice_chime": self.tr("A chime before each call"),
            "ticket_notice_zh": self.tr("Notice on the ticket, in Chinese (one line each)"),
            "ticket_notice_en": self.tr("Notice on the ticket, in English (one line each)"),
            "display_notice": self.tr("Scrolling line of the lobby display (empty: none)"),
        }
        for key, text in names.items():
            self.labels[key].setText(text)
            self.inputs[key].setAccessibleName(text)
            if isinstance(self.inputs[key], QCheckBox):
                self.inputs[key].setText(self.tr("Yes"))  # type: ignore[attr-defined]
        super().retranslate()


__all__ = ["GROUPS", "RulesSettingsPage"]
