"""The customer kiosk's staff exit (ui.staff_exit): five taps in the corner within three
seconds open a PIN pad; a technician or supervisor gets the menu, a clerk is refused;
leaving full screen, closing the program and the caller's actions are audited steps;
the menu forgets its session when it closes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.models import AuditEntry
from kiosk.staff.permissions import StaffSession
from tests.conftest import MONDAY_10AM
from tests.ui.counter_support import PINS, branch_app, click, type_pin
from tests.ui.sample_screens import sample_shell
from ui import tasks
from ui.fullscreen import show_fullscreen
from ui.maintenance import DailyPurge
from ui.shell import Shell
from ui.staff_exit import CornerTaps, StaffExit, install_staff_exit


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = branch_app(tmp_path, station="K1")
    yield context
    context.close()


@pytest.fixture
def kiosk(qtbot: QtBot) -> Shell:
    shell = sample_shell(qtbot)
    show_fullscreen(shell)
    qtbot.waitExposed(shell)
    return shell


def audit(app: AppContext) -> list[tuple[str, str]]:
    with app.read() as session:
        return [(e.staff, e.action) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.staff.not_like("cli:%")).order_by(AuditEntry.id))]


def test_five_taps_in_the_corner_within_three_seconds_and_only_those() -> None:
    clock = [0.0]
    taps = CornerTaps(QWidget(), clock=lambda: clock[0])
    seen = []
    taps.triggered.connect(lambda: seen.append(clock[0]))
    corner, middle = QPoint(10, 10), QPoint(500, 500)
    for t in (0.0, 0.5, 1.0, 1.5):
        clock[0] = t
        assert not taps.press_at(corner)
    clock[0] = 3.5  # the fifth tap, but 3.5 s after the first
    assert not taps.press_at(corner)
    for t in (20.0, 20.1, 20.2, 20.3):
        clock[0] = t
        assert not taps.press_at(corner)
    clock[0] = 20.4
    assert taps.press_at(corner)
    assert seen == [20.4]
    for t in (30.0, 30.1, 30.2, 30.3):
        clock[0] = t
        taps.press_at(corner)
    taps.press_at(middle)  # a touch elsewhere breaks the sequence
    clock[0] = 30.4
    assert not taps.press_at(corner)
    assert seen == [20.4]


def test_real_taps_on_the_window_open_the_pin_pad(kiosk: Shell, app: AppContext,
                                                   qtbot: QtBot) -> None:
    exit_ = install_staff_exit(kiosk, app)
    for _ in range(4):
        qtbot.mouseClick(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert not exit_.isVisible()
    qtbot.mouseClick(kiosk, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert exit_.isVisible()
    assert exit_.pages.currentIndex() == 0
    exit_.gesture.stop()  # type: ignore[attr-defined]


def open_as(qtbot: QtBot, exit_: StaffExit, number: str) -> None:
    exit_.open_menu()
    exit_.number.setText(number)
    type_pin(qtbot, exit_.pinpad, PINS[number])
    qtbot.waitUntil(lambda: exit_.session is not None or bool(exit_.status.text())
                    and exit_.status.text() != "正在验证…", timeout=30_000)


def test_a_clerk_is_refused_and_a_technician_leaves_full_screen_and_comes_back(
        kiosk: Shell, app: AppContext, qtbot: QtBot) -> None:
    exit_ = StaffExit(kiosk, app)
    open_as(qtbot, exit_, "S0401")
    assert exit_.session is None
    assert "无权" in exit_.status.text()
    assert exit_.pages.currentIndex() == 0
    open_as(qtbot, exit_, "T01")
    assert exit_.pages.currentIndex() == 1
    assert "张技术" in exit_.title.text()
    assert not exit_.menu_buttons["reprint"].isVisibleTo(exit_)  # no action given
    assert exit_.fullscreen
    click(qtbot, exit_.menu_buttons["fullscreen"])
    qtbot.waitUntil(lambda: not exit_.fullscreen, timeout=30_000)
    assert kiosk.allow_close
    assert not kiosk.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert exit_.menu_buttons["fullscreen"].text() == "恢复全屏"
    click(qtbot, exit_.menu_buttons["fullscreen"])
    qtbot.waitUntil(lambda: exit_.fullscreen, timeout=30_000)
    assert not kiosk.allow_close
    click(qtbot, exit_.cancel_button)
    assert exit_.session is None
    assert not exit_.isVisible()
    assert audit(app) == [("S0401", "login"), ("S0401", "denied"), ("T01", "login"),
                          ("T01", "kiosk.staff_menu"), ("T01", "kiosk.leave_fullscreen"),
                          ("T01", "kiosk.return_fullscreen")]


def test_the_callers_actions_run_with_the_session_and_say_what_happened(
        kiosk: Shell, app: AppContext, qtbot: QtBot) -> None:
    calls: list[str] = []

    def reprint(context: AppContext, staff: StaffSession) -> str:
        calls.append(staff.number)
        return "已补打 A001"

    exit_ = StaffExit(kiosk, app, actions={"reprint": reprint})
    open_as(qtbot, exit_, "S0001")
    assert exit_.menu_buttons["reprint"].isVisibleTo(exit_)
    click(qtbot, exit_.menu_buttons["reprint"])
    qtbot.waitUntil(lambda: exit_.status.text() == "已补打 A001", timeout=30_000)
    assert calls == ["S0001"]


def test_the_menu_closes_itself_when_left_alone_and_the_program_can_be_closed(
        kiosk: Shell, app: AppContext, qtbot: QtBot) -> None:
    exit_ = StaffExit(kiosk, app, menu_idle_ms=60_000)
    open_as(qtbot, exit_, "T01")
    exit_.idle.timeout.emit()  # what the timer does after a minute without a touch
    assert not exit_.isVisible()
    assert exit_.session is None
    open_as(qtbot, exit_, "T01")
    click(qtbot, exit_.menu_buttons["close_program"])
    qtbot.waitUntil(lambda: not kiosk.isVisible(), timeout=30_000)
    assert ("T01", "kiosk.close") in audit(app)


def test_a_running_station_asks_for_the_daily_purge_and_only_one_gets_it(
        app: AppContext, qtbot: QtBot) -> None:
    owner = QObject()
    first = DailyPurge(app, owner)
    other = DailyPurge(AppContext(app.engine, "C4"), owner)
    first.ask()
    qtbot.waitUntil(lambda: first.last is not None, timeout=30_000)
    other.ask()
    assert tasks.wait_idle(30_000)
    qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=30_000)
    assert other.last is None  # the day's purge already ran at K1
    assert ("system", "personal_data.purge") in audit(app)
