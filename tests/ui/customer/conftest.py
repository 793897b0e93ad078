"""Fixtures for the customer touchscreen: a demo branch in a SQLite file (open round
the clock, counters open), the customer window on it, and helpers to touch widgets the
way a finger does and to wait for the screens' tasks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.printer import set_printer
from kiosk.demo import prepare_branch
from printers.simulators.printer import FakePrinter
from ui import tasks
from ui.customer.window import CustomerWindow


@pytest.fixture
def kiosk_app(sqlite_url: str) -> Iterator[AppContext]:
    """The demo branch (open round the clock, every counter open) of station K1."""
    app = AppContext.open(sqlite_url, station="K1")
    prepare_branch(app)
    yield app
    app.close()


@pytest.fixture
def paper(printer: FakePrinter, kiosk_app: AppContext) -> FakePrinter:
    """The fake receipt printer (on a pty) as the branch's printer, by its link: once
    unplugged, the freed /dev/pts number may be another test worker's device."""
    set_printer(kiosk_app, str(printer.link), "generic-80", "text")
    return printer


@pytest.fixture
def window(qtbot: QtBot, kiosk_app: AppContext) -> CustomerWindow:
    """The customer window at 1920x1080, on the welcome, its branch facts read."""
    shell = CustomerWindow(kiosk_app, idle_ms=600_000, countdown_ms=3_000)
    qtbot.add_widget(shell)
    shell.resize(1920, 1080)
    shell.show()
    settle(qtbot)
    return shell


def settle(qtbot: QtBot, timeout: int = 20_000) -> None:
    """Wait until every task the screens started has delivered its result."""
    qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=timeout)


def touch(qtbot: QtBot, widget: QWidget) -> None:
    """A finger on ``widget``: it must be on screen and enabled, or the test fails."""
    assert widget.isVisible(), f"{widget.objectName() or widget} is not on screen"
    assert widget.isEnabled(), f"{widget.objectName() or widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton,
                     pos=QPoint(widget.width() // 2, widget.height() // 2))


def find(window: QWidget, name: str) -> QWidget:
    """The visible widget named ``name`` in the current screen of ``window``."""
    found = [w for w in window.findChildren(QWidget, name) if w.isVisible()]
    assert found, f"no visible widget {name!r}"
    return found[0]
