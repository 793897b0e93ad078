"""The technician's setup screen with real widgets: the login, probing ptys with the
simulated printer and keypads (progress shown, Cancel stops it), assigning what was
found, the test print, the keypad live view, the checks and the diagnostics export;
and the page reached from the admin panel."""

from __future__ import annotations

import os
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext, staff
from kiosk.app.setup_tools import station_setup
from printers.escpos.transport import close_all
from printers.simulators.keypad_bus import FakeKeypadBus
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM
from tests.ui.admin_support import admin_window, session, shown_admin
from ui.admin.pages import reachable_pages
from ui.admin.window import AdminState, AdminWindow
from ui.setup.login import SetupLogin
from ui.setup.page import Section, SetupPage
from ui.setup.window import setup_window
from ui.tasks import pending_tasks


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = AppContext(engine, "K1")
    yield context
    close_all()


@pytest.fixture
def window(qtbot: QtBot, app: AppContext) -> Iterator[AdminWindow]:
    def leave(window: AdminWindow) -> None:
        page = window.desk.page("devices")
        assert isinstance(page, SetupPage)
        page.leave()

    with shown_admin(qtbot, setup_window(app, login=False), before=leave) as shown:
        staff.add_staff(app, staff.console(app), "S9102", "李工", "technician", "246810")
        shown.start_session(staff.login(app, "S9102", "246810"))
        yield shown


@pytest.fixture
def silent_port() -> Iterator[str]:
    master, slave = os.openpty()
    tty.setraw(master)
    yield os.ttyname(slave)
    os.close(master)
    os.close(slave)


def page_of(window: AdminWindow) -> SetupPage:
    page = window.desk.page("devices")
    assert isinstance(page, SetupPage)
    return page


def wait_idle(qtbot: QtBot) -> None:
    qtbot.wait_until(lambda: not pending_tasks(), timeout=30_000)


def test_a_technician_logs_in_and_a_counter_clerk_is_refused(qtbot: QtBot,
                                                             app: AppContext) -> None:
    console = staff.console(app)
    staff.add_staff(app, console, "S9101", "李工", "technician", "246810")
    staff.add_staff(app, console, "S0401", "张三", "counter", "135790")
    window = setup_window(app)
    qtbot.addWidget(window)
    window.show()
    login = window.current_screen()
    assert isinstance(login, SetupLogin)
    login.form.number.setText("S0401")
    login.form.submit("135790")
    qtbot.wait_until(lambda: "technician" in login.form.status.text() or "技术员" in
                     login.form.status.text(), timeout=10_000)
    assert window.state is AdminState.LOGIN
    login.form.number.setText("S9101")
    for digit in "246810":
        login.form.pinpad.press_digit(digit)
    login.form.pinpad.submit()
    qtbot.wait_until(lambda: window.state is AdminState.DESK, timeout=10_000)
    assert window.desk.nav_buttons.keys() == {"devices"}
    wait_idle(qtbot)
    window.allow_close = True
    window.close()


def test_probe_shows_each_device_on_its_port_and_assigns_the_printer(
        qtbot: QtBot, window: AdminWindow, app: AppContext, silent_port: str) -> None:
    page = page_of(window)
    wait_idle(qtbot)
    with FakePrinter(model="TM-T20") as printer, FakeKeypadBus([4], line_baud=19200) as bus:
        seen: list[float] = []
        page.ports.relay.message.connect(lambda step: seen.append(step.fraction))
        page.ports.port_field.setText(printer.path)
        qtbot.mouseClick(page.ports.probe_one_button, qtbot_button())
        wait_idle(qtbot)
        seen.clear()
        page.ports.probe([bus.path, silent_port])
        assert page.ports.cancel_button.isEnabled()
        assert page.ports.progress.isVisible()
        wait_idle(qtbot)
        results = page.ports.results
        assert results[printer.path].kind == "printer"
        assert results[bus.path].kind == "keypads"
        assert results[bus.path].baud == 19200
        assert results[silent_port].kind == "nothing"
        assert seen
        assert seen == sorted(seen)
        assert not page.ports.progress.isVisible()
        label = page.ports.findChild(object, f"result-{bus.path}")
        assert label is not None
        assert "19200" in label.text()
        assert "4" in label.text()

        use = page.ports.findChild(object, f"use-{printer.path}")
        assert use is not None
        qtbot.mouseClick(use, qtbot_button())
        assert page.ports.assign.isVisible()
        page.ports.assign.profile.setCurrentText("generic-80")
        qtbot.mouseClick(page.ports.assign.save_button, qtbot_button())
        wait_idle(qtbot)
        assert printer.path in page.ports.assign.status.text()
        found = station_setup(app)
        assert found.printer is not None
        assert found.printer.port == printer.path

        page.show_section(Section.STATION)
        wait_idle(qtbot)
        test_button = page.station.findChild(object, "printer-test")
        assert test_button is not None
        qtbot.mouseClick(test_button, qtbot_button())
        wait_idle(qtbot)
        assert printer.wait_for(lambda p: len(p.jobs) == 1)
        assert "bytes" in page.station.printer_result.text() or "字节" in \
            page.station.printer_result.text()


def test_cancel_stops_a_probe_under_way(qtbot: QtBot, window: AdminWindow,
                                        silent_port: str) -> None:
    page = page_of(window)
    wait_idle(qtbot)
    page.ports.probe([silent_port])
    qtbot.wait_until(lambda: page.ports.progress.value() > 0, timeout=10_000)
    qtbot.mouseClick(page.ports.cancel_button, qtbot_button())
    wait_idle(qtbot)
    assert page.ports.results[silent_port].kind == "cancelled"
    assert page.ports.status.text() == "探测已取消。"
    assert page.ports.probe_button.isEnabled()


def test_the_keypad_live_view_shows_a_key_pressed(qtbot: QtBot, window: AdminWindow,
                                                  app: AppContext) -> None:
    page = page_of(window)
    with FakeKeypadBus([2]) as bus:
        staff_session = staff.console(app)
        from kiosk.app.setup import assign_keypads

        assign_keypads(app, staff_session, bus.path, {2: 1})
        page.show_section(Section.STATION)
        wait_idle(qtbot)
        live = page.station.findChild(object, "keypad-live")
        qtbot.mouseClick(live, qtbot_button())
        qtbot.wait_until(lambda: bool(page.station.live_lines), timeout=5_000)
        bus.press(2, 0x01)
        qtbot.wait_until(lambda: "very_satisfied" in page.station.keypad_result.text(),
                         timeout=10_000)
        live = page.station.findChild(object, "keypad-live")
        qtbot.mouseClick(live, qtbot_button())
        wait_idle(qtbot)
        assert page.station.live_task is None


def test_checks_show_the_fix_and_diagnostics_are_exported(
        qtbot: QtBot, window: AdminWindow, tmp_path: Path) -> None:
    page = page_of(window)
    page.show_section(Section.CHECKS)
    qtbot.mouseClick(page.checks.run_button, qtbot_button())
    wait_idle(qtbot)
    assert page.checks.checks is not None
    for check in page.checks.checks.problems:
        fix = page.checks.findChild(object, f"fix-{check.name}")
        assert fix is not None, check.name
        assert check.fix_zh in fix.text()
    page.checks.folder.setText(str(tmp_path))
    qtbot.mouseClick(page.checks.export_button, qtbot_button())
    wait_idle(qtbot)
    written = list(tmp_path.glob("lobby-kiosk-K1-*.zip"))
    assert len(written) == 1
    assert str(written[0]) in page.checks.export_result.text()


def test_the_devices_page_is_in_the_admin_panel_for_technicians_and_supervisors(
        qtbot: QtBot, app: AppContext) -> None:
    assert "devices" in reachable_pages(session("supervisor"))
    assert "devices" in reachable_pages(session("technician"))
    with admin_window(qtbot, app, feed=False) as admin:
        admin.start_session(session("supervisor"))
        admin.desk.open("devices")
        assert isinstance(admin.desk.page("devices"), SetupPage)
        wait_idle(qtbot)
        admin.desk.page("devices").leave()


def test_the_health_section_shows_each_change_of_a_device(qtbot: QtBot, window: AdminWindow,
                                                          app: AppContext) -> None:
    from kiosk.devices.health import record_health

    record_health(app.engine, "K2", "printer", "problem", ("打印机缺纸", "printer is out of "
                  "paper"), detail="/dev/ttyUSB0", at=MONDAY_10AM)
    page = page_of(window)
    page.show_section(Section.HEALTH)
    wait_idle(qtbot)
    assert "K2 · 小票打印机 · 有问题 · 打印机缺纸" in page.health.log.text()


def qtbot_button() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
