"""Screenshot tour of the KPI and report pages (``scripts/screenshots.sh admin-kpi``):
a month of seed-demo history (one counter's ratings made poor, so the 70 % floor
shows), seen by service, by day and as a table, and a monthly report written.

The history is seeded and rolled up once per run into a template database and copied
into each variant's work folder (seeding a month takes tens of seconds)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QScrollArea
from sqlalchemy import update

from kiosk.app import AppContext
from kiosk.app.reports import roll_up
from kiosk.app.staff import add_staff, console
from kiosk.branch.settings import apply_config, default_config
from kiosk.models import Rating
from kiosk.seed import seed_history
from ui.admin.tour import TOUR_NOW, supervisor
from ui.admin.window import AdminWindow

HISTORY_DAYS = 30
_template: Path | None = None


def _make_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="kpi-tour-"))
    path = folder / "kpi-tour.db"
    app = AppContext.open(f"sqlite:///{path}", station="ADMIN-PC")
    try:
        with app.write() as session:
            apply_config(session, replace(default_config(), hours=dict.fromkeys(
                range(7), (time(8, 30), time(17, 0)))))
        seed_history(app.engine, days=HISTORY_DAYS, seed=4, now=TOUR_NOW)
        with app.write() as session:  # counter 6 had a bad month
            session.execute(update(Rating).where(Rating.counter_number == 6,
                                                 Rating.value.in_(("satisfied",)))
                            .values(value="dissatisfied"))
        cli = console(app)
        me = supervisor()
        add_staff(app, cli, me.number, me.name, "supervisor", "2580")
        roll_up(app, cli)
    finally:
        app.close()
    return path


def history_app(workdir: Path) -> AppContext:
    """A copy of the month of history, at the tour's instant."""
    global _template
    os.environ["KIOSK_NOW"] = TOUR_NOW.isoformat()
    if _template is None or not _template.exists():
        _template = _make_template()
    target = workdir / "kpi-tour.db"
    shutil.copy(_template, target)
    return AppContext.open(f"sqlite:///{target}", station="ADMIN-PC")


def tour(camera: Any) -> None:
    app = history_app(camera.workdir)
    try:
        window = AdminWindow(app, feed=False)
        camera.show(window)
        window.start_session(supervisor())
        window.desk.open("kpi")
        page: Any = window.desk.page("kpi")
        page.picker.set_kind("month")
        camera.take("kpi-month-by-service")
        page.set_breakdown("counter")
        scroll = page.findChild(QScrollArea, "kpi-scroll")
        bar = scroll.verticalScrollBar() if scroll is not None else None
        if bar is not None:
            bar.setValue(bar.maximum())
        camera.take("kpi-month-by-counter-table")
        if bar is not None:
            bar.setValue(0)
        page.set_breakdown("day")
        camera.take("kpi-month-by-day")
        window.desk.open("reports")
        reports: Any = window.desk.page("reports")
        reports.picker.set_kind("month")
        folder = camera.workdir / "reports"
        folder.mkdir(exist_ok=True)
        reports.folder.setText(str(folder))
        camera.take("reports")
        reports.start()
        camera.take("reports-written")
    finally:
        os.environ.pop("KIOSK_NOW", None)
        app.close()


__all__ = ["history_app", "tour"]
