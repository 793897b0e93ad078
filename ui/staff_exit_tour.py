"""Screenshot tour of the staff exit (``scripts/screenshots.sh staff-exit``): the PIN
page a gesture opens, a clerk refused, and a technician's menu, over the widget
gallery standing in for the customer window."""

from __future__ import annotations

from typing import Any

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.staff.permissions import StaffSession
from ui.gallery import GalleryWindow
from ui.staff_exit import StaffExit


def _printer(app: AppContext, staff: StaffSession) -> str:
    return "打印机正常 / printer ready"


def tour(camera: Any) -> None:
    app = AppContext.open(f"sqlite:///{camera.workdir / 'tour.db'}", station="K1")
    console = staff_app.console(app)
    staff_app.add_staff(app, console, "S0401", "王小明", "counter", "2580")
    staff_app.add_staff(app, console, "T01", "张技术", "technician", "4702")
    window = GalleryWindow()
    camera.show(window)
    exit_ = StaffExit(window, app, actions={"reprint": _printer, "printer": _printer})
    exit_.open_menu()
    exit_.number.setText("T01")
    for digit in "47":
        exit_.pinpad.press_digit(digit)
    camera.take("pin")
    exit_.number.setText("S0401")
    exit_.submit("2580")
    camera.take("clerk-refused")
    exit_.number.setText("T01")
    exit_.submit("4702")
    camera.take("menu")
    exit_.close_menu()
    app.close()
