"""Screenshot tour of the technician's setup (``scripts/screenshots.sh setup``): the
login, the ports after a probe (a simulated printer and keypad bus on pseudo-terminals,
under udev-like stable names in a fake /dev/serial), a printer being assigned, this
station's devices, the checks."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.app import AppContext, setup, staff
from kiosk.devices.health import record_health
from kiosk.staff.permissions import StaffSession
from printers.escpos.transport import close_all
from printers.simulators.keypad_bus import FakeKeypadBus
from printers.simulators.printer import FakePrinter
from ui.setup.page import Section, SetupPage
from ui.setup.window import setup_window

TOUR_NOW = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


def technician() -> StaffSession:
    return StaffSession(number="S9101", name="李工", role="technician", station="K1",
                        started_at=TOUR_NOW)


def tour(camera: Any) -> None:
    serial = camera.workdir / "serial"
    (serial / "by-id").mkdir(parents=True, exist_ok=True)
    (serial / "by-path").mkdir(exist_ok=True)
    os.environ["KIOSK_SERIAL_DIR"] = str(serial)
    os.environ["KIOSK_NOW"] = TOUR_NOW.isoformat()
    printer = FakePrinter(link=serial / "by-id" / "usb-1a86_USB_Serial_P0001-if00-port0",
                          model="XP-58IIH").start()
    bus = FakeKeypadBus([1, 2], line_baud=19200)
    bus.start()
    app = AppContext.open(f"sqlite:///{camera.workdir / 'setup-tour.db'}", station="K1")
    try:
        login = setup_window(app)
        camera.show(login)
        camera.take("login")
        camera.close()

        window = setup_window(app, login=False)
        camera.show(window)
        window.start_session(technician())
        page = window.desk.page("devices")
        assert isinstance(page, SetupPage)
        page.ports.probe([printer.path, bus.path])
        camera.take("ports")
        page.ports.assign.for_printer(page.ports.results[printer.path])
        camera.take("assign")
        setup.assign_printer(app, staff.console(app), printer.path, "generic-80")
        setup.assign_keypads(app, staff.console(app), bus.path, {1: 1, 2: 2}, baud=19200)
        page.show_section(Section.STATION)
        camera.take("station")
        record_health(app.engine, "K1", "printer", "problem", ("打印机缺纸",
                      "printer is out of paper"), detail=printer.path,
                      at=TOUR_NOW - timedelta(minutes=20))
        record_health(app.engine, "K1", "printer", "ok", detail=printer.path, at=TOUR_NOW)
        page.show_section(Section.HEALTH)
        camera.take("health")
        page.show_section(Section.CHECKS)
        page.checks.run()
        camera.take("checks")
    finally:
        close_all()
        app.close()
        printer.stop()
        bus.stop()
        os.environ.pop("KIOSK_SERIAL_DIR", None)
        os.environ.pop("KIOSK_NOW", None)


__all__ = ["tour"]
