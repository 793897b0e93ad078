"""Helpers for the settings pages' screen tests: an app with a supervisor account, a
page opened in the admin window as the shell shows it, saves waited for, and the
audit entries of a section read back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.app.admin_settings import SettingsView, load_settings
from kiosk.models import AuditEntry
from tests.staff_support import add
from tests.ui.admin_support import admin_window, session
from ui.admin.settings_base import SettingsPage

WAIT_MS = 60_000  # a generous bound on a loaded machine; nothing here is a timing check
SUPERVISOR = "S0001"  # admin_support.session()'s number
LEFT = Qt.MouseButton.LeftButton


def with_supervisor(app: AppContext) -> AppContext:
    add(app, SUPERVISOR, "supervisor", "王主管")
    return app


@contextmanager
def settings_page(qtbot: QtBot, app: AppContext, key: str) -> Iterator[Any]:
    """The page ``key`` shown to the supervisor, its settings loaded."""
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session(), page=key)
        page = window.desk.page(key)
        wait_loaded(qtbot, page)
        yield page


def stored(app: AppContext) -> SettingsView:
    """The branch settings as stored now (read as the supervisor)."""
    return load_settings(app, session())


def wait_loaded(qtbot: QtBot, page: SettingsPage) -> None:
    qtbot.waitUntil(lambda: page.view is not None and page.task is None, timeout=WAIT_MS)


def save(qtbot: QtBot, page: SettingsPage) -> Any:
    """Touch Save; the result (saved), or the failure (refused)."""
    outcome: list[Any] = []
    page.saved.connect(outcome.append)
    page.refused.connect(outcome.append)
    qtbot.mouseClick(page.save_button, LEFT)
    qtbot.waitUntil(lambda: bool(outcome), timeout=WAIT_MS)
    page.saved.disconnect(outcome.append)
    page.refused.disconnect(outcome.append)
    qtbot.waitUntil(lambda: page.task is None, timeout=WAIT_MS)  # the reload after a save
    return outcome[0]


def audit_details(app: AppContext, action: str) -> list[tuple[str, str]]:
    """(staff, detail) of the entries of ``action``, oldest first."""
    with app.read() as session:
        return [(e.staff, e.detail) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))]
