"""Screenshot tour of the settings pages (``scripts/screenshots.sh settings``): each
page as a supervisor finds it on the tour's busy Monday, and a refused value shown
next to its field."""

from __future__ import annotations

import os
from typing import Any

from kiosk.app import staff as staff_app
from kiosk.app.admin_settings import save_calendar
from ui.admin.settings_base import SettingsPage
from ui.admin.tour import demo_app, supervisor
from ui.admin.window import AdminWindow
from ui.screenshots import settle

PAGES = ("settings-branch", "settings-hours", "settings-calendar")


def tour(camera: Any) -> None:
    app = demo_app(camera.workdir)
    try:
        boss = supervisor()
        staff_app.add_staff(app, staff_app.console(app), boss.number, boss.name,
                            "supervisor", "3691")
        save_calendar(app, boss, ["2026-12-24", "2027-02-10", "2027-02-11"],
                      ["2027-02-07"], True)
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
