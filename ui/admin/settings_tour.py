"""Screenshot tour of the settings pages (``scripts/screenshots.sh settings``): each
page as a supervisor finds it on the tour's busy Monday, and a refused value shown
next to its field."""

from __future__ import annotations

import os
from typing import Any

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.app.admin_settings import save_calendar
from kiosk.app.printer import set_printer
from kiosk.devices.health import record_health
from ui.admin.settings_base import SettingsPage
from ui.admin.tour import demo_app, supervisor
from ui.admin.window import AdminWindow
from ui.screenshots import settle

PAGES = ("settings-branch", "settings-hours", "settings-calendar", "settings-services",
         "settings-counters", "settings-claims", "settings-staff", "settings-retention",
         "settings-language", "settings-rules", "settings-stations")


def tour(camera: Any) -> None:
    app = demo_app(camera.workdir)
    try:
        boss = supervisor()  # demo_app's register already added the supervisors
        save_calendar(app, boss, ["2026-12-24", "2027-02-10", "2027-02-11"],
                      ["2027-02-07"], True)
        for number, name, role in (("S0101", "李柜员", "counter"), ("S0401", "赵柜员", "counter"),
                                   ("T0001", "钱技术员", "technician")):
            staff_app.add_staff(app, staff_app.console(app), number, name, role, "3691")
        set_printer(AppContext(app.engine, "K1"), "/dev/ttyUSB0")
        record_health(app.engine, "K1", "printer", "problem", ("缺纸", "out of paper"))
        record_health(app.engine, "C1", "a4", "ok", detail="/srv/a4")
        window = AdminWindow(app, feed=False)
        camera.show(window)
        window.start_session(boss, page=PAGES[0])
        for key in PAGES:
            window.desk.open(key)
            camera.take(key.removeprefix("settings-"))
        window.desk.open("settings-hours")
        page = window.desk.page("settings-hours")
        assert isinstance(page, SettingsPage)
        settle()  # the page has read the settings
        page.opens["tue"].setText("18:00")  # type: ignore[attr-defined]
        page.closes["tue"].setText("09:00")  # type: ignore[attr-defined]
        page.save()
        camera.take("hours-refused")
    finally:
        os.environ.pop("KIOSK_NOW", None)
        app.close()


__all__ = ["tour"]
