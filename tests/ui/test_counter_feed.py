"""The counter terminal follows the call feed: a call made with the function keys of
this counter's rating keypad (the real keypad service on a pty with the simulated
keypad) shows on the terminal at once, on SQLite and PostgreSQL; a counter with a
keypad asks for no on-screen rating."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.devices.keypad_ports import configure_port
from kiosk.devices.keypads import KeypadService
from printers.kp1 import codec as kp1
from printers.simulators.keypad_bus import FakeKeypadBus
from tests.conftest import MONDAY_10AM
from tests.ui.counter_support import branch_app, logged_in, press, take
from ui import tasks
from ui.counter.states import CounterState
from ui.counter.window import CounterWindow


@pytest.fixture
def app(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = branch_app(tmp_path, url=db_url)
    yield context
    context.close()


@pytest.fixture
def keypad(app: AppContext) -> Iterator[FakeKeypadBus]:
    """Keypad 1 at counter 4, served by the real keypad service."""
    bus = FakeKeypadBus([1])
    path = bus.start()
    try:
        with app.write() as session:
            configure_port(session, path, {1: 4})
        service = KeypadService(app.engine, cycle_s=0.02)
        service.start()
        try:
            yield bus
        finally:
            service.stop()
    finally:
        bus.stop()


def test_a_call_from_the_counters_keypad_shows_on_the_terminal_at_once(
        app: AppContext, keypad: FakeKeypadBus, qtbot: QtBot) -> None:
    window = CounterWindow(app, 4)
    qtbot.addWidget(window)
    window.show()
    window.follow_feed()
    try:
        take(app, count=2)
        logged_in(qtbot, window, "S0401")
        assert window.desk.setup is not None
        assert window.desk.setup.has_keypad
        press(qtbot, window, "open")
        keypad.press(1, kp1.KEY_CALL_NEXT)
        qtbot.waitUntil(lambda: window.desk_screen.number.text() == "D001", timeout=30_000)
        assert window.desk_screen.buttons["recall"].isEnabled()
        keypad.press(1, kp1.KEY_RECALL)
        qtbot.waitUntil(lambda: "已重呼 1 次" in window.desk_screen.details.text(),
                        timeout=30_000)
        press(qtbot, window, "finish")
        assert window.state is CounterState.DESK  # the keypad asks for the rating
        assert "理赔 1" in window.desk_screen.queues.text()
        # a view read a feed event started (the keypad's finish) is delivered in the test
        qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=30_000)
    finally:
        window.stop_feed()
