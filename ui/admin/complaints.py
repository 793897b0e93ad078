"""The complaints register page (首问责任制): the list by view (open, overdue, mine,
closed, all) with the branch's open and overdue counts, overdue complaints marked,
and the complaint chosen on the right (below in portrait): ``ui.admin.complaints_detail``;
New complaint opens the form for one a customer makes to staff
(``ui.admin.complaints_new``).

Everything is read through ``kiosk.app.complaint_register`` in tasks; phones are masked
in every line (the use cases mask them) unless a supervisor reveals one contact, which
is forgotten when another complaint is chosen, the page is left or the panel locks.

``open_page.emit("complaints", {"view": "overdue"})`` opens it on a view (the live
board's overdue count does), ``{"reference": "FB..."}`` on one complaint.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.app import complaint_register as register
from kiosk.app.complaint_register import RegisterEntry, RegisterList
from ui import i18n
from ui.admin.complaints_detail import ComplaintDetail, overdue_name, state_name
from ui.admin.complaints_new import NewComplaint
from ui.admin.pages import AdminContext, AdminPage
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton, choice_button, muted_label, scroll_area

VIEWS = {"open": str(QT_TRANSLATE_NOOP("ComplaintsPage", "Open")),
         "overdue": str(QT_TRANSLATE_NOOP("ComplaintsPage", "Overdue")),
         "mine": str(QT_TRANSLATE_NOOP("ComplaintsPage", "Mine")),
         "closed": str(QT_TRANSLATE_NOOP("ComplaintsPage", "Closed")),
         "all": str(QT_TRANSLATE_NOOP("ComplaintsPage", "All"))}


class ComplaintsPage(AdminPage):
    """``ui.admin.pages`` key ``complaints`` (permission ``complaints``)."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.view = "open"
        self.listing: RegisterList | None = None
        self.rows: dict[str, TouchButton] = {}
        self._wanted: str | None = None
        self._task: Task | None = None
        self._entry_task: Task | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 16)
        outer.setSpacing(12)
        filters = QHBoxLayout()
        filters.setSpacing(10)
        self.view_buttons: dict[str, TouchButton] = {}
        for view in VIEWS:
            button = choice_button(f"view-{view}", self.show_view, view)
            filters.addWidget(button)
            self.view_buttons[view] = button
        filters.addStretch(1)
        self.new_button = TouchButton(kind="primary")
        self.new_button.setObjectName("new-complaint-open")
        self.new_button.clicked.connect(self.open_form)
        self.form = NewComplaint(context)
        self.form.hide()
        self.form.saved.connect(self._entered)
        self.form.closed.connect(self.form.hide)
        self.counts = QLabel()
        self.counts.setObjectName("complaint-counts")
        self.counts.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("complaints-problem")
        self.problem.setProperty("kind", "alert")
        self.problem.setWordWrap(True)
        self.problem.hide()
        list_body = QWidget()
        self.list_layout = QVBoxLayout(list_body)
        self.list_layout.setContentsMargins(0, 0, 8, 0)
        self.list_layout.setSpacing(8)
        self.empty = muted_label()
        self.list_layout.addWidget(self.empty)
        self.list_layout.addStretch(1)
        self.detail = ComplaintDetail(context)
        self.detail.changed.connect(self._changed)
        self.split = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.split.setSpacing(24)
        self.split.addWidget(scroll_area(list_body), 1)
        right = QWidget()  # the form on top of the detail, both scrolled
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(16)
        right_layout.addWidget(self.form)
        right_layout.addWidget(self.detail, 1)
        self.right = scroll_area(right)
        self.split.addWidget(self.right, 1)
        outer.addLayout(filters)
        counts_row = QHBoxLayout()
        counts_row.addWidget(self.counts, 1)
        counts_row.addWidget(self.new_button)
        outer.addLayout(counts_row)
        outer.addWidget(self.problem)
        outer.addLayout(self.split, 1)
        self.retranslate()

    # -- reading ----------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        view = str(params.get("view") or self.view)
        self._wanted = params.get("reference") or (
            self.detail.entry.complaint.reference if self.detail.entry else None)
        self.show_view(view if view in VIEWS else "open")

    def leave(self) -> None:
        self.detail.forget_revealed()

    def reset(self) -> None:
        for task in (self._task, self._entry_task):
            if task is not None:
                task.cancel()
        self._task = self._entry_task = None
        self.view, self.listing, self._wanted = "open", None, None
        self.detail.reset()
        self.form.reset()
        self.form.hide()
        self._fill()

    def open_form(self) -> None:
        """The form for a complaint a customer makes to staff."""
        self.form.show()
        self.right.verticalScrollBar().setValue(0)
        self.form.text.setFocus()

    def _entered(self, reference: str) -> None:
        self.form.hide()
        self._wanted = reference
        self.show_view("open")

    def show_view(self, view: str) -> None:
        """List the complaints of ``view`` (read in a task)."""
        self.view = view
        for key, button in self.view_buttons.items():
            button.setChecked(key == view)
        if self._task is not None:
            self._task.cancel()
        self._task = run_task(register.register_list, self.app, self.staff, view, owner=self,
                              on_result=self._listed, on_error=self._failed,
                              name="complaint_list")

    def _listed(self, listing: RegisterList) -> None:
        self._task = None
        self.problem.hide()
        self.listing = listing
        self._fill()
        wanted, self._wanted = self._wanted, None
        if wanted:
            self.choose(wanted)

    def _failed(self, failure: Failure) -> None:
        self._task = self._entry_task = None
        self.problem.setText(failure.message())
        self.problem.show()

    def choose(self, reference: str) -> None:
        """Show complaint ``reference`` with its history (read in a task)."""
        for ref, button in self.rows.items():
            button.setChecked(ref == reference)
        if self._entry_task is not None:
            self._entry_task.cancel()
        self._entry_task = run_task(register.complaint_entry, self.app, self.staff, reference,
                                    owner=self, on_result=self._chosen, on_error=self._failed,
                                    name="complaint_entry")

    def _chosen(self, entry: RegisterEntry) -> None:
        self._entry_task = None
        self.detail.show_entry(entry)

    def _changed(self, entry: RegisterEntry) -> None:
        """A step was taken: the list again (the complaint may leave this view)."""
        self._wanted = entry.complaint.reference
        self.show_view(self.view)

    # -- showing ----------------------------------------------------------------------

    def _fill(self) -> None:
        entries = self.listing.entries if self.listing else ()
        for button in self.rows.values():
            self.list_layout.removeWidget(button)
            button.deleteLater()
        self.rows = {}
        for index, entry in enumerate(entries):
            button = TouchButton(kind="choice")
            button.setCheckable(True)
            ref = entry.complaint.reference
            button.setObjectName(f"complaint-{ref}")
            button.setProperty("level", "error" if entry.overdue else "")
            button.setProperty("row", "list")
            button.setText(self.row_text(entry))
            button.clicked.connect(lambda _=False, r=ref: self.choose(r))
            self.list_layout.insertWidget(index, button)
            self.rows[ref] = button
        self.empty.setVisible(not entries)
        if self.detail.entry is not None and self.detail.entry.complaint.reference in self.rows:
            self.rows[self.detail.entry.complaint.reference].setChecked(True)
        self._counts()

    def row_text(self, entry: RegisterEntry) -> str:
        """Reference, category and state; when received and who owns it; what is late."""
        c = entry.complaint
        zh = i18n.current_language() == "zh_CN"
        lines = [f"{c.reference} · {state_name(c.state)}",
                 f"{c.category_name_zh if zh else c.category_name_en} · "
                 + self.tr("Received %1").replace("%1", c.received_at[5:16].replace("T", " ")),
                 self.tr("Owner %1").replace("%1", c.owner or "—")]
        if entry.overdue:
            lines.append(self.tr("OVERDUE: %1").replace(
                "%1", ", ".join(overdue_name(k) for k in entry.overdue)))
        return "\n".join(lines)

    def _counts(self) -> None:
        if self.listing is None:
            self.counts.setText(self.tr("Reading the register…"))
            return
        self.counts.setText(self.tr("Business day %1 · %2 open, %3 overdue").replace(
            "%1", self.listing.today).replace("%2", str(self.listing.open)).replace(
            "%3", str(self.listing.overdue)))
        self.counts.setProperty("kind", "error" if self.listing.overdue else "")
        self.counts.style().unpolish(self.counts)
        self.counts.style().polish(self.counts)

    def retranslate(self) -> None:
        for view, button in self.view_buttons.items():
            button.setText(QCoreApplication.translate("ComplaintsPage", VIEWS[view]))
        self.empty.setText(self.tr("No complaints in this list."))
        self.new_button.setText(self.tr("New complaint"))
        if self.listing is not None:
            for entry in self.listing.entries:
                self.rows[entry.complaint.reference].setText(self.row_text(entry))
        self._counts()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        portrait = event.size().height() > event.size().width()
        self.split.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)


__all__ = ["VIEWS", "ComplaintsPage"]
