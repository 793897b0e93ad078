"""Helpers for the admin panel's screen tests: staff sessions of each role, a
registry of sample pages, and an admin window that is closed (its call feed
stopped) after the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot

from kiosk import clock
from kiosk.app import AppContext
from kiosk.staff.permissions import Permission, StaffSession
from ui import tasks
from ui.admin.pages import AdminContext, AdminPage, PageEntry
from ui.admin.window import AdminWindow


def session(role: str = "supervisor", number: str = "S0001", name: str = "王主管",
            station: str = "ADMIN") -> StaffSession:
    return StaffSession(number=number, name=name, role=role, station=station,
                        started_at=clock.now())


class SamplePage(AdminPage):
    """Records enter/leave/reset; a field that reset() clears."""

    def __init__(self, context: AdminContext) -> None:
        super().__init__(context)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.field = QLineEdit()
        self.field.setObjectName("sample-field")
        layout.addWidget(self.label)
        layout.addWidget(self.field)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.calls.append(("enter", params))

    def leave(self) -> None:
        self.calls.append(("leave", {}))

    def reset(self) -> None:
        self.calls.append(("reset", {}))
        self.field.clear()

    def retranslate(self) -> None:
        self.label.setText(self.tr("Live board"))


class OtherPage(SamplePage):
    pass


class DevicePage(SamplePage):
    pass


SAMPLE_PAGES = {
    "board": PageEntry("tests.ui.admin_support:SamplePage",
                       QT_TRANSLATE_NOOP("AdminPages", "Live board"), Permission.REPORTS),
    "other": PageEntry("tests.ui.admin_support:OtherPage",
                       QT_TRANSLATE_NOOP("AdminPages", "Live board"), Permission.COMPLAINTS),
    "devices": PageEntry("tests.ui.admin_support:DevicePage",
                         QT_TRANSLATE_NOOP("AdminPages", "Live board"), Permission.DEVICES),
}


@contextmanager
def shown_admin(qtbot: QtBot, window: AdminWindow,
                before: Callable[[AdminWindow], None] | None = None) -> Iterator[AdminWindow]:
    """``window`` shown at 1920x1080; afterwards closed once and in order: ``before``
    (a page left), no task pending, closed for good, its call feed stopped.

    The close is also pytest-qt's ``before_close_func``, whichever comes first: from a
    fixture, the code after the ``yield`` runs after pytest-qt has closed the window
    and handed it to ``deleteLater``; waiting there for a read still on its way ran the
    event loop, which deleted it ("AdminWindow already deleted")."""
    closed = False

    def close(_: object = None) -> None:
        nonlocal closed
        if closed:
            return
        closed = True
        if before is not None:
            before(window)
        # a read a feed event (or the desk's board read after a logout) started just
        # before the end is delivered, not left over
        qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=60_000)
        window.allow_close = True
        window.close()
        assert window.feed is None

    qtbot.addWidget(window, before_close_func=close)
    window.resize(1920, 1080)
    window.show()
    try:
        yield window
    finally:
        close()


@contextmanager
def admin_window(qtbot: QtBot, app: AppContext, **kwargs: Any) -> Iterator[AdminWindow]:
    """An admin window shown at 1920x1080, closed and its feed stopped afterwards."""
    with shown_admin(qtbot, AdminWindow(app, **kwargs)) as window:
        yield window
