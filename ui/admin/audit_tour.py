"""Screenshot tour of the audit log page (``scripts/screenshots.sh admin-audit``): the
tour branch's busy morning with a supervisor's account, read back on the page."""

from __future__ import annotations

import os
from typing import Any

from kiosk.app import counters
from kiosk.app import staff as staff_app
from ui.admin.audit import AuditPage
from ui.admin.tour import demo_app
from ui.admin.window import AdminWindow


def tour(camera: Any) -> None:
    app = demo_app(camera.workdir)
    try:
        # demo_app's register already added the supervisors (S9001, PIN 3691)
        staff_app.add_staff(app, staff_app.console(app), "S0201", "李柜员", "counter", "2580")
        clerk = staff_app.login(app, "S0201", "2580")
        counters.open_counter(app, clerk, 2)
        counters.pause_counter(app, clerk, 2, "lunch",
                               staff_app.SupervisorPin("S9001", "3691"))
        supervisor = staff_app.login(app, "S9001", "3691")
        window = AdminWindow(app, feed=False)
        camera.show(window)
        window.start_session(supervisor, "audit")
        page = window.desk.page("audit")
        assert isinstance(page, AuditPage)
        camera.take("audit")  # take() waits for the page's reads
        if page.table.rowCount() == 0:
            camera.problems.append("the audit page shows no entries")
    finally:
        os.environ.pop("KIOSK_NOW", None)
        app.close()


__all__ = ["tour"]
