"""A counter terminal on a real SQLite file, for the screen tests and the benchmark:
the branch open round the clock at Monday 10:00, a clerk, a supervisor and a
technician, and helpers that press real buttons and wait for the answer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.branch.settings import apply_config
from kiosk.queue.lobby import Lobby
from tests.conftest import open_all_hours
from ui.counter.states import CounterState
from ui.counter.window import CounterWindow
from ui.widgets import PinPad

PINS = {"S0401": "2580", "S0001": "3691", "T01": "4702"}


def branch_app(folder: Path, station: str = "C4", url: str | None = None) -> AppContext:
    """The branch at ``url`` (default: a SQLite file in ``folder``)."""
    app = AppContext.open(url or f"sqlite:///{folder / 'branch.db'}", station=station)
    with app.write() as session:
        apply_config(session, open_all_hours())
    console = staff_app.console(app)
    staff_app.add_staff(app, console, "S0401", "王小明", "counter", PINS["S0401"])
    staff_app.add_staff(app, console, "S0001", "李主管", "supervisor", PINS["S0001"])
    staff_app.add_staff(app, console, "T01", "张技术", "technician", PINS["T01"])
    return app


def take(app: AppContext, service: str = "claims", count: int = 1) -> list[str]:
    with app.write() as session:
        lobby = Lobby(session)
        return [lobby.take(service).number for _ in range(count)]


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_pin(qtbot: QtBot, pad: PinPad, pin: str) -> None:
    for digit in pin:
        click(qtbot, pad.digit_buttons[digit])
    click(qtbot, pad.ok_button)


def log_in(qtbot: QtBot, window: CounterWindow, number: str, pin: str | None = None) -> None:
    login = window.screen(CounterState.LOGIN)
    field = login.findChild(QLineEdit, "staff-number")
    field.setText(number)
    type_pin(qtbot, login.findChild(PinPad, "pinpad"), pin or PINS[number])


def logged_in(qtbot: QtBot, window: CounterWindow, number: str) -> None:
    log_in(qtbot, window, number)
    qtbot.waitUntil(lambda: window.state is CounterState.DEVICES or (
        window.state is CounterState.DESK and window.desk.setup is not None
        and window.desk.view is not None), timeout=30_000)


def press(qtbot: QtBot, window: CounterWindow, action: str) -> None:
    """Press a desk button and wait until its answer is on screen."""
    done: list[str] = []

    def answered(name: str, _: object) -> None:
        done.append(name)

    window.desk.action_done.connect(answered)
    window.desk.action_failed.connect(answered)
    try:
        click(qtbot, window.desk_screen.buttons[action])
        if action not in ("transfer", "call_specific"):  # these open a form
            qtbot.waitUntil(lambda: bool(done) and not window.desk.busy, timeout=30_000)
    finally:
        window.desk.action_done.disconnect(answered)
        window.desk.action_failed.disconnect(answered)


def texts(widget: QWidget) -> str:
    """Every text a person can see or a screen reader reads in ``widget``."""
    parts = []
    for child in [widget, *widget.findChildren(QWidget)]:
        if isinstance(child, QLabel | QAbstractButton | QLineEdit):
            parts.append(child.text())
        parts.append(child.accessibleName())
    return "\n".join(p for p in parts if p)
