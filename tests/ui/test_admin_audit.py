"""The audit log page through real widgets: a supervisor reads who did what in the
week up to today, narrows it to one staff member or one kind of action, and exports
it as CSV (the export itself audited); a clerk's panel has no audit page."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext, counters, privacy
from kiosk.app.staff import console, login
from kiosk.staff.permissions import NotPermitted
from tests.conftest import MONDAY_10AM
from tests.staff_support import PINS, add
from tests.ui.admin_support import admin_window
from ui import i18n
from ui.admin.audit import AuditPage
from ui.admin.pages import reachable_pages

WAIT_MS = 60_000


@pytest.fixture
def app(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = AppContext(open_engine, "ADMIN")
    add(context, "S0401", "counter")
    add(context, "S0001", "supervisor", "李主管")
    return context


def cells(page: AuditPage) -> list[tuple[str, str, str]]:
    """(staff, action, subject) of each row shown."""
    table = page.table
    return [(table.item(r, 1).text(), table.item(r, 3).text(), table.item(r, 4).text())
            for r in range(table.rowCount())]


def test_a_supervisor_reads_narrows_and_exports_the_audit_log(
        qtbot: QtBot, app: AppContext, tmp_path: Path) -> None:
    clerk = login(app, "S0401", PINS["counter"])
    counters.open_counter(app, clerk, 4)
    supervisor = login(app, "S0001", PINS["supervisor"])
    with admin_window(qtbot, app) as window:
        window.start_session(supervisor, "audit")
        page = window.desk.page("audit")
        assert isinstance(page, AuditPage)
        qtbot.waitUntil(lambda: page.table.rowCount() > 0, timeout=WAIT_MS)
        assert page.start.date().toString("yyyy-MM-dd") == "2026-11-17"
        assert page.end.date().toString("yyyy-MM-dd") == "2026-11-23"
        shown = cells(page)
        assert ("S0401", "counter.open", "counter 4") in shown
        assert ("S0001", "login", "") in shown
        assert page.status.text() == f"共 {len(shown)} 条"

        page.staff_field.setText("S0401")
        page.action_field.setText("counter.")
        qtbot.mouseClick(page.search_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: cells(page) == [("S0401", "counter.open", "counter 4")],
                        timeout=WAIT_MS)

        out = tmp_path / "audit.csv"
        page.export_to(out)
        qtbot.waitUntil(lambda: page.exported is not None, timeout=WAIT_MS)
        with out.open(encoding="utf-8-sig", newline="") as f:
            written = list(csv.reader(f))
        assert written[0] == ["at", "staff", "station", "action", "subject", "detail"]
        assert [(r[1], r[3], r[4]) for r in written[1:]] == [
            ("S0401", "counter.open", "counter 4")]
        assert str(out) in page.status.text()

        i18n.set_language("en")
        try:
            assert page.search_button.text() == "Search"
            assert page.status.text() == "1 entries"
        finally:
            i18n.set_language("zh_CN")
    exports = privacy.audit_log(app, console(app), action="audit.export")
    assert [(e.staff, e.subject, e.detail) for e in exports] == [
        ("S0001", "audit.csv", "2026-11-17..2026-11-23 staff=S0401 action=counter.")]


def test_only_a_role_with_the_audit_permission_reaches_the_page(app: AppContext) -> None:
    clerk = login(app, "S0401", PINS["counter"])
    supervisor = login(app, "S0001", PINS["supervisor"])
    assert "audit" in reachable_pages(supervisor)
    assert "audit" not in reachable_pages(clerk)
    with pytest.raises(NotPermitted):  # the use case checks again
        privacy.audit_log(app, clerk)
