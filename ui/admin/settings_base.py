"""What every settings page shares: load the branch settings when shown, save one
section, show a refused value next to its field, in the user's language.

A page derives :class:`SettingsPage` and writes

- ``build(form)``: its fields, added to ``form`` (a ``QVBoxLayout`` in a scroll area);
  for each field a refusal may name, ``self.error_label("hours.mon")`` gives the label
  shown under it (the key is the settings file's name of the field, as
  ``kiosk.branch.settings.FieldProblem.where`` gives it; a refusal goes to the label
  of the longest key that starts its ``where``);
- ``fill(view)``: the loaded :class:`~kiosk.app.admin_settings.SettingsView` into the
  fields (also after every save, so the page shows what was stored);
- ``submit()``: read the fields (GUI thread) and return the call that saves them
  (run in a task), e.g. ``lambda: save_hours(self.app, self.staff, hours, rev=rev)``;
- ``retranslate()``: its own strings, then ``super().retranslate()``.

Pages that save something else than the settings document (staff accounts, the claim
catalogue) use the same pieces with their own use cases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from kiosk.app.admin_settings import SettingsSaved, load_settings
from kiosk.branch.settings import FieldProblem
from ui import i18n
from ui.admin.pages import AdminContext, AdminPage
from ui.tasks import Failure, Task, run_task
from ui.widgets import TouchButton, muted_label, scroll_area

CONTEXT = "SettingsPage"


def error_text(failure: Failure | None) -> str:
    """A refusal's reason alone when it names a field, else the failure's message."""
    if failure is None:
        return ""
    if isinstance(failure.error, FieldProblem):
        return failure.error.problem(i18n.error_language())
    return failure.message()


def make_error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("kind", "error")
    label.setWordWrap(True)
    label.hide()
    return label


class SettingsPage(AdminPage):
    """Base of the settings pages (see the module docstring)."""

    loaded = Signal()
    """The settings were read and filled in (after entering and after each save)."""
    saved = Signal(object)
    """A save went through (:class:`SettingsSaved`)."""
    refused = Signal(object)
    """A save or a load failed (:class:`ui.tasks.Failure`), shown on the page."""

    name = "settings"
    """Prefix of the page's object names (``<name>-save``, ``<name>-problem``)."""
    has_save = True
    """False: the page's own buttons act (Save and Undo changes are hidden)."""
    code_fields: dict[str, str] = {}
    """A refusal's ``code`` -> the ``error_label`` key of its field, for use cases whose
    errors name no field (staff accounts: ``bad_pin`` -> ``staff.pin``)."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.view: Any = None
        self.task: Task | None = None
        self.failure: Failure | None = None
        self._errors: dict[str, QLabel] = {}
        self._shown: QLabel | None = None
        self._splits: list[QBoxLayout] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        body = QWidget()
        self.form = QVBoxLayout(body)
        self.form.setContentsMargins(24, 16, 24, 24)
        self.form.setSpacing(12)
        self.intro = muted_label()
        self.form.addWidget(self.intro)
        self.build(self.form)
        self.form.addStretch(1)
        self.scroller = scroll_area(body)
        outer.addWidget(self.scroller, 1)
        bar = QFrame()
        bar.setProperty("kind", "panel")
        row = QHBoxLayout(bar)
        row.setContentsMargins(24, 8, 24, 8)
        self.problem = make_error_label(f"{self.name}-problem")
        row.addWidget(self.problem, 1)
        self.status = muted_label()
        row.addWidget(self.status, 1)
        self.undo_button = TouchButton()
        self.undo_button.setObjectName(f"{self.name}-undo")
        self.undo_button.clicked.connect(self.load)
        self.save_button = TouchButton(kind="primary")
        self.save_button.setObjectName(f"{self.name}-save")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.undo_button)
        row.addWidget(self.save_button)
        self.save_button.setVisible(self.has_save)
        self.undo_button.setVisible(self.has_save)
        bar.setVisible(self.has_save)  # else shown only with a problem
        self.action_bar = bar
        outer.addWidget(bar)
        self.retranslate()

    # -- for the pages ----------------------------------------------------------------

    def build(self, form: QVBoxLayout) -> None:
        """Add the page's fields to ``form``."""

    def read(self) -> Any:
        """What the page shows, read in a task (the branch settings by default)."""
        return load_settings(self.app, self.staff)

    def fill(self, view: Any) -> None:
        """Show ``view`` (what :meth:`read` returned) in the fields."""

    def submit(self) -> Callable[[], Any] | None:
        """The call that saves the fields (None: nothing to save, a problem is shown)."""
        return None

    def split(self) -> QBoxLayout:
        """A row (a list beside the chosen row's fields) that becomes a column when the
        page is taller than wide (portrait screens)."""
        layout = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._splits.append(layout)
        return layout

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        direction = (QBoxLayout.Direction.TopToBottom if self.width() < self.height()
                     else QBoxLayout.Direction.LeftToRight)
        for layout in self._splits:
            if layout.direction() != direction:
                layout.setDirection(direction)
        super().resizeEvent(event)

    def error_label(self, where: str) -> QLabel:
        """The label under the field the settings file calls ``where``."""
        label = self._errors.get(where)
        if label is None:
            label = make_error_label(f"{self.name}-error-{where}")
            self._errors[where] = label
        return label

    def show_problem(self, where: str | None, text: str) -> None:
        """A problem found on the page itself (before any save), next to ``where``."""
        self.clear_errors()
        label = self.label_for(where)
        if label is not None:
            label.setText(text)
            label.show()
            self._shown = label
        self.problem.setText(text if label is None else self._marked())
        self.problem.show()
        self.action_bar.show()

    # -- loading and saving -----------------------------------------------------------

    def enter(self, **params: Any) -> None:
        self.load()

    def reset(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.task = None
        self.view, self.failure = None, None
        self.clear_errors()
        self.status.clear()

    def load(self) -> None:
        """Read the settings (in a task) and fill the page."""
        self.clear_errors()
        self.status.setText(QCoreApplication.translate("SettingsPage", "Reading the settings…"))
        self._run(self.read, self._loaded)

    def save(self) -> None:
        """Check on the page, then save in a task; a refusal is shown by its field."""
        if self.task is not None:
            return
        self.clear_errors()
        call = self.submit()
        if call is None:
            return
        self.status.setText(QCoreApplication.translate("SettingsPage", "Saving…"))
        self._run(call, self._saved)

    def _run(self, call: Callable[[], Any], done: Callable[[Any], None]) -> None:
        if self.task is not None:
            self.task.cancel()
        self.save_button.setEnabled(False)
        self.task = run_task(call, owner=self, on_result=done, on_error=self._failed,
                             name=f"{self.name}-settings")

    def _loaded(self, view: Any) -> None:
        self.task = None
        self.view = view
        self.save_button.setEnabled(True)
        self.status.clear()
        self.fill(view)
        self.loaded.emit()

    def _saved(self, result: Any) -> None:
        self.task = None
        self.save_button.setEnabled(True)
        if isinstance(result, SettingsSaved) and not result.changes:
            self.context.notify(QCoreApplication.translate(
                "SettingsPage", "Nothing was changed."), "info")
        else:
            self.context.notify(QCoreApplication.translate("SettingsPage", "Saved."), "success")
        self.saved.emit(result)
        self.after_save(result)

    def after_save(self, result: Any) -> None:
        """After a save: read the settings again (the page shows what was stored)."""
        self.load()

    def _failed(self, failure: Failure) -> None:
        self.task = None
        self.save_button.setEnabled(self.view is not None or not self.needs_view())
        self.status.clear()
        self.failure = failure
        self._show_failure()
        self.refused.emit(failure)
        if getattr(failure.error, "code", "") == "settings_changed":
            self.load()

    def needs_view(self) -> bool:
        """Whether Save waits for the settings to be read (pages of the settings
        document do)."""
        return True

    def label_for(self, where: str | None) -> QLabel | None:
        """The error label of the field ``where`` names (a page showing one row of many
        chooses that row first), None for a problem of the whole page."""
        if not where:
            return None
        keys = [k for k in self._errors if where == k or where.startswith((k + ".", k + "["))]
        return self._errors[max(keys, key=len)] if keys else None

    def _show_failure(self) -> None:
        failure = self.failure
        if failure is None:
            return
        if isinstance(failure.error, FieldProblem):
            where: str | None = failure.error.where
        else:
            where = self.code_fields.get(getattr(failure.error, "code", ""))
        label = self.label_for(where)
        if label is not None:
            label.setText(error_text(failure))
            label.show()
            self._shown = label
            self.scroller.ensureWidgetVisible(label)
            self.problem.setText(self._marked())
        else:
            self.problem.setText(QCoreApplication.translate(
                "SettingsPage", "Not saved: %1").replace("%1", error_text(failure)))
        self.problem.show()
        self.action_bar.show()

    @staticmethod
    def _marked() -> str:
        return QCoreApplication.translate("SettingsPage", "Not saved: see the marked field.")

    def clear_errors(self) -> None:
        self.failure = None
        for label in self._errors.values():
            label.hide()
        self._shown = None
        self.problem.hide()
        self.action_bar.setVisible(self.has_save)

    def retranslate(self) -> None:
        self.save_button.setText(QCoreApplication.translate("SettingsPage", "Save"))
        self.undo_button.setText(QCoreApplication.translate("SettingsPage", "Undo changes"))
        if self.failure is not None:
            self._show_failure()


__all__ = ["CONTEXT", "SettingsPage", "error_text", "make_error_label"]
