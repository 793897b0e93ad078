"""One complaint in the register: what the customer said (masked), the contact (masked;
a supervisor may reveal it, audited), who owns it and who took it first, its
deadlines and what is overdue, its history, and the steps the logged-in member of
staff may take on it now.

The steps call ``kiosk.app.complaint_register`` in a task; the rules decide (the
buttons only follow them: a step the rules would refuse is disabled). A refused step
shows why in the banner and keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import complaint_register as register
from kiosk.app.complaint_register import RegisterEntry
from kiosk.staff.permissions import Permission
from ui import i18n
from ui.admin.board_grid import BoardGrid
from ui.admin.pages import AdminContext
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton, muted_label
from ui.widgets.retranslate import Retranslating

ACTIONS = ("take", "hand_over", "feedback", "note", "complex", "major_dispute", "reply",
           "close")


class ComplaintDetail(Retranslating, QWidget):
    """The complaint shown (``show_entry``) and its steps; ``changed(entry)`` after a
    step succeeded (the list refreshes)."""

    changed = Signal(object)

    def __init__(self, context: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaint-detail")
        self.context = context
        self.entry: RegisterEntry | None = None
        self.revealed: str | None = None
        self._task: Task | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        self.heading = QLabel()
        self.heading.setObjectName("complaint-heading")
        self.heading.setProperty("kind", "title")
        self.heading.setWordWrap(True)
        self.overdue = QLabel()
        self.overdue.setObjectName("complaint-overdue")
        self.overdue.setProperty("kind", "alert")
        self.overdue.setWordWrap(True)
        self.text = QLabel()
        self.text.setObjectName("complaint-text")
        self.text.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setObjectName("complaint-facts")
        self.facts.setWordWrap(True)
        contact_row = QHBoxLayout()
        self.contact = QLabel()
        self.contact.setObjectName("complaint-contact")
        self.contact.setWordWrap(True)
        self.reveal_button = TouchButton()
        self.reveal_button.setObjectName("reveal")
        self.reveal_button.clicked.connect(self._toggle_reveal)
        contact_row.addWidget(self.contact, 1)
        contact_row.addWidget(self.reveal_button)
        self.history_title = QLabel()
        self.history_title.setProperty("kind", "section")
        self.history = BoardGrid("complaint-history", wrap=frozenset({4}))
        self.history.grid.setColumnStretch(4, 1)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("complaint-note")
        self.note.setFixedHeight(120)
        self.to_label = QLabel()
        self.to_staff = QLineEdit()
        self.to_staff.setObjectName("hand-over-to")
        self.to_staff.setMaxLength(20)
        to_row = QHBoxLayout()
        to_row.addWidget(self.to_label)
        to_row.addWidget(self.to_staff, 1)
        self.buttons: dict[str, TouchButton] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for index, action in enumerate(ACTIONS):
            button = TouchButton(kind="primary" if action in ("take", "reply", "close")
                                 else "secondary")
            button.setObjectName(f"complaint-{action.replace('_', '-')}")
            button.clicked.connect(lambda _=False, a=action: self.act(a))
            grid.addWidget(button, index // 3, index % 3)
            self.buttons[action] = button
        self.empty = muted_label()
        self.body = QWidget()
        inner = QVBoxLayout(self.body)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(10)
        for widget in (self.heading, self.overdue, self.text, self.facts):
            inner.addWidget(widget)
        inner.addLayout(contact_row)
        inner.addWidget(self.note_label)
        inner.addWidget(self.note)
        inner.addLayout(to_row)
        inner.addLayout(grid)
        inner.addWidget(self.history_title)
        inner.addWidget(self.history)
        layout.addWidget(self.empty)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.retranslate()

    # -- showing ----------------------------------------------------------------------

    def show_entry(self, entry: RegisterEntry | None) -> None:
        """Show ``entry`` (None: nothing chosen). Another complaint forgets the
        revealed contact and what was typed."""
        if entry is None or self.entry is None or (
                entry.complaint.reference != self.entry.complaint.reference):
            self.revealed = None
            self.note.clear()
            self.to_staff.clear()
        self.entry = entry
        self.redraw()

    def reset(self) -> None:
        """Logout: forget the complaint, the revealed contact and what was typed."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.show_entry(None)

    def forget_revealed(self) -> None:
        self.revealed = None
        self.redraw()

    def redraw(self) -> None:
        entry = self.entry
        self.empty.setVisible(entry is None)
        self.body.setVisible(entry is not None)
        if entry is None:  # nothing of the last complaint stays in any widget
            for label in (self.heading, self.overdue, self.text, self.facts, self.contact):
                label.clear()
            self.history.set_rows([])
            return
        c = entry.complaint
        zh = i18n.current_language() == "zh_CN"
        self.heading.setText(f"{c.reference} · {c.category_name_zh if zh else c.category_name_en}"
                             f" · {state_name(c.state)}")
        late = [overdue_name(kind) for kind in entry.overdue]
        self.overdue.setText(self.tr("Overdue: %1").replace("%1", ", ".join(late)))
        self.overdue.setVisible(bool(late))
        self.text.setText(c.text)
        self.facts.setText("\n".join(self._facts(entry)))
        shown = self.revealed if self.revealed is not None else (c.contact or "—")
        self.contact.setText(self.tr("Call-back phone: %1").replace("%1", shown or "—"))
        may_reveal = bool(c.contact) and self._can(Permission.REVEAL)
        self.reveal_button.setVisible(may_reveal)
        self.reveal_button.setText(self.tr("Hide") if self.revealed is not None
                                   else self.tr("Reveal"))
        self.history.set_rows([[step.at[5:16].replace("T", " "), step_name(step.kind),
                                step.staff or "—", step.owner or "—", step.note]
                               for step in entry.history])
        allowed = self.allowed(entry)
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed and self._task is None)

    def _facts(self, entry: RegisterEntry) -> list[str]:
        c = entry.complaint
        source = self.tr("at the kiosk") if c.source == "kiosk" else self.tr("by staff")
        lines = [self.tr("Received %1, %2").replace("%1", c.received_at[:16].replace("T", " "))
                 .replace("%2", source) + (f" · {c.ticket}" if c.ticket else "")]
        lines.append(self.tr("Owner: %1 · first owner: %2").replace("%1", c.owner or "—")
                     .replace("%2", entry.first_owner or "—"))
        due = self.tr("Feedback by %1 · decision by %2").replace("%1", c.feedback_due) \
            .replace("%2", c.decision_due)
        if entry.investigate_due:
            due += " · " + self.tr("investigate by %1").replace("%1", entry.investigate_due)
        lines.append(due)
        marks = [m for m, on in ((self.tr("complex"), entry.complex),
                                 (self.tr("major claim dispute"), entry.major_dispute)) if on]
        if marks:
            lines.append(" · ".join(marks))
        return lines

    def _can(self, permission: Permission) -> bool:
        return self.context.logged_in and self.context.staff.can(permission)

    def allowed(self, entry: RegisterEntry) -> set[str]:
        """The steps the rules would allow the logged-in member of staff now."""
        c = entry.complaint
        if c.state == "closed" or not self._can(Permission.COMPLAINTS):
            return set()
        me = self.context.staff.number
        allowed = {"note"}
        if c.owner is None:
            allowed.add("take")
        if not entry.major_dispute:
            allowed.add("major_dispute")
        if c.owner == me:
            allowed |= {"hand_over", "feedback"}
            if c.state == "investigating":
                allowed.add("reply")
            if c.state in ("received", "investigating") and not entry.complex:
                allowed.add("complex")
        if c.state == "replied" and entry.first_owner == me:
            allowed.add("close")
        return allowed

    # -- acting -------------------------------------------------------------------------

    def act(self, action: str) -> None:
        """Run step ``action`` on the complaint shown (in a task)."""
        if self.entry is None or self._task is not None:
            return
        app, staff = self.context.app, self.context.staff
        ref, text = self.entry.complaint.reference, self.note.toPlainText()
        calls: dict[str, Callable[[], Any]] = {
            "take": lambda: register.take_complaint(app, staff, ref),
            "hand_over": lambda: register.hand_over_complaint(
                app, staff, ref, self.to_staff.text().strip(), text),
            "feedback": lambda: register.update_complaint(app, staff, ref, feedback=text),
            "note": lambda: register.update_complaint(app, staff, ref, note_text=text),
            "complex": lambda: register.update_complaint(app, staff, ref,
                                                         complex_reason=text),
            "major_dispute": lambda: register.update_complaint(
                app, staff, ref, major_dispute=True, note_text=text or None),
            "reply": lambda: register.update_complaint(app, staff, ref, note_text=text,
                                                       state="replied"),
            "close": lambda: register.update_complaint(app, staff, ref,
                                                       note_text=text or None,
                                                       state="closed"),
        }
        self._task = run_task(calls[action], owner=self, name=f"complaint_{action}",
                              on_result=lambda entry: self._done(action, entry),
                              on_error=self._refused)
        self.redraw()

    def _done(self, action: str, entry: RegisterEntry) -> None:
        self._task = None
        self.note.clear()
        self.to_staff.clear()
        self.entry = entry
        self.redraw()
        self.context.notify(self.tr("%1: %2 done").replace("%1", entry.complaint.reference)
                            .replace("%2", self.buttons[action].text()), "success", 4_000)
        self.changed.emit(entry)

    def _refused(self, failure: Failure) -> None:
        self._task = None
        self.redraw()
        self.context.notify(failure.message(), "error")

    def _toggle_reveal(self) -> None:
        if self.entry is None:
            return
        if self.revealed is not None:
            self.forget_revealed()
            return
        ref = self.entry.complaint.reference
        run_task(register.reveal_contact, self.context.app, self.context.staff, ref,
                 owner=self, name="reveal_contact",
                 on_result=lambda phone: self._revealed(ref, phone), on_error=self._refused)

    def _revealed(self, reference: str, phone: str) -> None:
        if self.entry is not None and self.entry.complaint.reference == reference:
            self.revealed = phone or "—"
            self.redraw()

    def retranslate(self) -> None:
        names = {"take": self.tr("Take it"), "hand_over": self.tr("Hand over"),
                 "feedback": self.tr("Feedback given"), "note": self.tr("Add note"),
                 "complex": self.tr("Complex"), "major_dispute": self.tr("Major dispute"),
                 "reply": self.tr("Reply"), "close": self.tr("Confirm done")}
        for action, button in self.buttons.items():
            button.setText(names[action])
        self.empty.setText(self.tr("Choose a complaint in the list."))
        self.history_title.setText(self.tr("History"))
        self.history.set_headers([self.tr("When"), self.tr("Step"), self.tr("By"),
                                  self.tr("Owner"), self.tr("Note")])
        self.history.setAccessibleName(self.tr("History"))
        self.note_label.setText(self.tr("Note, feedback, reply or reason (numbers are "
                                        "masked when saved)"))
        self.note.setAccessibleName(self.tr("Note"))
        self.to_label.setText(self.tr("Hand over to (staff number)"))
        self.to_staff.setAccessibleName(self.tr("Hand over to (staff number)"))
        self.to_staff.setPlaceholderText(self.tr("e.g. S9002"))
        self.reveal_button.set_accessible(self.tr("Reveal the phone number"))
        self.redraw()


NAMES = "ComplaintNames"
STATES = {"received": str(QT_TRANSLATE_NOOP("ComplaintNames", "received")),
          "investigating": str(QT_TRANSLATE_NOOP("ComplaintNames", "investigating")),
          "replied": str(QT_TRANSLATE_NOOP("ComplaintNames", "replied")),
          "closed": str(QT_TRANSLATE_NOOP("ComplaintNames", "closed"))}
OVERDUE = {"investigation": str(QT_TRANSLATE_NOOP("ComplaintNames", "investigation")),
           "feedback": str(QT_TRANSLATE_NOOP("ComplaintNames", "feedback")),
           "decision": str(QT_TRANSLATE_NOOP("ComplaintNames", "decision"))}
STEPS = {"received": str(QT_TRANSLATE_NOOP("ComplaintNames", "received")),
         "taken": str(QT_TRANSLATE_NOOP("ComplaintNames", "taken")),
         "handed_over": str(QT_TRANSLATE_NOOP("ComplaintNames", "handed over")),
         "feedback": str(QT_TRANSLATE_NOOP("ComplaintNames", "feedback")),
         "note": str(QT_TRANSLATE_NOOP("ComplaintNames", "note")),
         "complex": str(QT_TRANSLATE_NOOP("ComplaintNames", "complex")),
         "major_dispute": str(QT_TRANSLATE_NOOP("ComplaintNames", "major claim dispute")),
         "replied": str(QT_TRANSLATE_NOOP("ComplaintNames", "replied")),
         "closed": str(QT_TRANSLATE_NOOP("ComplaintNames", "closed"))}


def _name(table: dict[str, str], code: str) -> str:
    return QCoreApplication.translate(NAMES, table[code]) if code in table else code


def state_name(state: str) -> str:
    """A complaint state in the current language."""
    return _name(STATES, state)


def overdue_name(kind: str) -> str:
    return _name(OVERDUE, kind)


def step_name(kind: str) -> str:
    return _name(STEPS, kind)


__all__ = ["ACTIONS", "ComplaintDetail", "overdue_name", "state_name", "step_name"]
