"""The KPI and report pages through real widgets: figures equal to an independent
count (tests/kpi_support.py) for a day, a month, a breakdown and a filter; the charts
(satisfaction with the 70 % floor, waits, tickets by hour); both languages; reports
written to a folder and read back; Cancel while the worker is busy (the panel keeps
answering and no file is left); no phone number on any page; QtCharts loaded only by
the KPI page; the pages only for roles allowed to see reports."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app import report_files as report_files_module
from kiosk.app.staff import add_staff, console
from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.privacy.masking import find_unmasked
from kiosk.reports.periods import Period
from tests.conftest import MONDAY_10AM
from tests.kpi_support import count, report_history
from tests.ui.admin_support import admin_window, session
from ui import i18n
from ui.admin.kpi_page import KpiPage
from ui.admin.pages import reachable_pages
from ui.admin.report_page import ReportPage

T = MONDAY_10AM
TODAY = T.date()
WAIT_MS = 60_000  # a generous bound on a loaded machine; nothing here is a timing check


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    report_history(engine, T)
    monkeypatch.setenv("KIOSK_NOW", (T + timedelta(hours=2)).isoformat())
    context = AppContext(engine, "ADMIN")
    me = session()
    add_staff(context, console(context), me.number, me.name, "supervisor", "2580")
    return context


def independent(engine: Engine, first: date, last: date, **wanted: Any) -> Any:
    with unit_of_work(engine) as s:
        return count(s, load_branch(s), first, last, wanted)


def kpi_page(window: Any) -> KpiPage:
    window.desk.open("kpi")
    page = window.desk.page("kpi")
    assert isinstance(page, KpiPage)
    return page


def wait_for(qtbot: QtBot, page: KpiPage, **fields: Any) -> None:
    def ready() -> bool:
        report = page.report
        return (page._task is None and report is not None
                and all(getattr(report, k) == v for k, v in fields.items()))
    qtbot.waitUntil(ready, timeout=WAIT_MS)


def shown_text(widget: QWidget) -> str:
    """Every label, table cell and accessible description the page shows."""
    texts = [label.text() for label in widget.findChildren(QLabel)]
    texts += [w.accessibleDescription() for w in widget.findChildren(QWidget)]
    page = widget if isinstance(widget, KpiPage) else None
    if page is not None:
        texts += [" ".join(row) for row in page.table.texts()]
    return "\n".join(texts)


def test_kpi_page_figures_breakdowns_charts_and_languages(
        qtbot: QtBot, app: AppContext, engine: Engine) -> None:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        page = kpi_page(window)
        wait_for(qtbot, page, kind="day", label="2026-11-23")
        today = independent(engine, TODAY, TODAY)
        assert page.summary_values["issued"].text() == str(today.total.tally["issued"])
        assert page.summary_values["served"].text() == str(today.total.tally["done"])
        # the morning's ratings: satisfied, dissatisfied, an unsolicited very satisfied
        assert page.summary_values["satisfaction_rate"].text() == "66.7%"
        assert page.summary_values["satisfaction_rate"].property("kind") == "error"

        qtbot.mouseClick(page.picker.kind_buttons["month"], _left())
        wait_for(qtbot, page, kind="month", label="2026-11")
        qtbot.mouseClick(page.by_buttons["counter"], _left())
        qtbot.waitUntil(lambda: page._task is None and page.report is not None
                        and len(page.report.by_counter) > 0, timeout=WAIT_MS)
        month = independent(engine, date(2026, 11, 1), date(2026, 11, 30))
        table = page.table.texts()
        by_name = {row[0]: row for row in table}
        for key, counted in month.by["counter"].items():
            name = f"{key}号窗口" if key is not None else "未叫号"
            assert by_name[name][1] == str(counted.tally["issued"]), name
        assert table[-1][0] == "合计"
        assert table[-1][1] == str(month.total.tally["issued"])
        report = page.report
        assert report is not None
        satisfaction = page.satisfaction_chart.series_values()
        assert satisfaction["底线 70%"] == [70]
        assert satisfaction["满意率"] == [
            None if r.satisfaction_rate is None else round(r.satisfaction_rate * 100, 1)
            for r in report.by_counter]
        waits = page.wait_chart.series_values()
        assert waits["90% 客户等候不超过"] == [r.wait_p90_min for r in report.by_counter]
        hours = page.hour_chart.series_values()["取号"]
        assert sum(v or 0 for v in hours) == month.total.tally["issued"]
        assert page.satisfaction_chart.series_kinds() == ["bar", "line"]

        # one service only
        page.service_box.setCurrentIndex(page.service_box.findData("claims"))
        page.service_box.activated.emit(page.service_box.currentIndex())
        wait_for(qtbot, page, service="claims")
        claims = independent(engine, date(2026, 11, 1), date(2026, 11, 30), service="claims")
        assert page.summary_values["issued"].text() == str(claims.total.tally["issued"])

        # by day: one row per day with tickets, their dates as names
        qtbot.mouseClick(page.by_buttons["day"], _left())
        qtbot.waitUntil(lambda: page._task is None and page.report is not None
                        and page.table.texts()[0][0].startswith("11月"), timeout=WAIT_MS)
        assert len(page.table.texts()) == len(claims.by["day"]) + 1

        i18n.set_language("en")
        assert page.by_buttons["counter"].text() == "Counter"
        assert page.picker.kind_buttons["range"].text() == "Range of days"
        assert page.table.texts()[-1][0] == "Total"
        assert page.table.texts()[0][0].startswith("2026-11-")
        assert find_unmasked(shown_text(page)) == []

        window.logout()
        assert page.report is None
        assert page.table.texts() == []


def test_a_range_of_days(qtbot: QtBot, app: AppContext, engine: Engine) -> None:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        page = kpi_page(window)
        wait_for(qtbot, page, kind="day")
        qtbot.mouseClick(page.picker.kind_buttons["range"], _left())
        wait_for(qtbot, page, kind="range", first="2026-10-25", last="2026-11-23")
        qtbot.mouseClick(page.picker.earlier, _left())
        wait_for(qtbot, page, kind="range", first="2026-09-25", last="2026-10-24")
        assert page.summary_values["issued"].text() == "0"
        qtbot.mouseClick(page.picker.later, _left())
        wait_for(qtbot, page, kind="range", last="2026-11-23")
        expected = independent(engine, date(2026, 10, 25), TODAY)
        assert page.summary_values["issued"].text() == str(expected.total.tally["issued"])


def test_report_page_writes_the_files(qtbot: QtBot, app: AppContext, engine: Engine,
                                      tmp_path: Path) -> None:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        window.desk.open("reports")
        page = window.desk.page("reports")
        assert isinstance(page, ReportPage)
        qtbot.mouseClick(page.picker.kind_buttons["month"], _left())
        page.folder.setText(str(tmp_path))
        qtbot.mouseClick(page.write, _left())
        qtbot.waitUntil(lambda: page.written is not None, timeout=WAIT_MS)
        pdf = tmp_path / "service-report-monthly-2026-11.pdf"
        table = tmp_path / "service-report-monthly-2026-11.csv"
        assert page.status.text().splitlines()[1:] == [str(pdf), str(table)]
        assert not page.running
        assert page.write.isEnabled()
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "服务质量月报" in text
        assert "按窗口 By counter" in text
        rows = list(csv.reader(io.StringIO(table.read_bytes().decode("utf-8-sig"))))
        month = independent(engine, date(2026, 11, 1), date(2026, 11, 30))
        assert rows[1][:2] == ["total", "2026-11"]
        assert int(rows[1][4]) == month.total.tally["issued"]
        for output in (text, table.read_text(encoding="utf-8-sig"), shown_text(page)):
            assert find_unmasked(output) == []


def test_cancel_while_the_worker_is_busy(qtbot: QtBot, app: AppContext, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF step is held on the worker until the test lets it go: meanwhile the
    panel answers (Cancel is clicked and shown); then the report stops, no file."""
    drawing, release = threading.Event(), threading.Event()
    real_pdf = report_files_module.report_pdf

    def slow_pdf(content: Any) -> bytes:
        drawing.set()
        assert release.wait(WAIT_MS / 1000)
        return real_pdf(content)

    monkeypatch.setattr(report_files_module, "report_pdf", slow_pdf)
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        window.desk.open("reports")
        page = window.desk.page("reports")
        assert isinstance(page, ReportPage)
        out = tmp_path / "out"
        out.mkdir()
        page.folder.setText(str(out))
        qtbot.mouseClick(page.write, _left())
        assert page.running
        assert not page.write.isEnabled()
        qtbot.waitUntil(drawing.is_set, timeout=WAIT_MS)
        qtbot.mouseClick(page.cancel, _left())  # the GUI thread is free while it draws
        assert page.status.text() == "正在取消…"
        assert not page.cancel.isEnabled()
        window.desk.open("kpi")  # other pages still work meanwhile
        window.desk.open("reports")
        release.set()
        qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
        assert page.status.text() == "已取消，未写入任何文件。"
        assert list(out.iterdir()) == []  # no file, no partial file
        assert page.write.isEnabled()
        kpi = window.desk.page("kpi")
        assert isinstance(kpi, KpiPage)
        qtbot.waitUntil(lambda: kpi._task is None, timeout=WAIT_MS)


def test_both_pages_take_a_period_asked_for_and_forget_it_at_logout(
        qtbot: QtBot, app: AppContext) -> None:
    """What the two pages share (ui.admin.period_page): their kinds, their status and
    problem lines by name, ``enter(period=...)``, the business day read once, and the
    picker back at its first kind (the report's at today) after a logout."""
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        window.desk.open("kpi", period=Period.month(2026, 10))
        kpi = window.desk.page("kpi")
        assert isinstance(kpi, KpiPage)
        wait_for(qtbot, kpi, kind="month", label="2026-10")
        assert tuple(kpi.picker.kind_buttons) == ("day", "month", "range")
        window.desk.open("reports")
        report = window.desk.page("reports")
        assert isinstance(report, ReportPage)
        assert tuple(report.picker.kind_buttons) == ("day", "month")
        qtbot.waitUntil(lambda: report.picker.today == TODAY, timeout=WAIT_MS)
        report.picker.step(-1)
        assert report.picker.period().label == "2026-11-22"
        window.desk.open("reports", period=Period.month(2026, 9))
        assert report.picker.period().label == "2026-09"
        for page, name in ((kpi, "kpi"), (report, "report")):
            assert page.findChild(QLabel, f"{name}-status") is page.status
            assert page.findChild(QLabel, f"{name}-problem") is page.problem
            assert page.findChild(QScrollArea, f"{name}-scroll") is not None
        window.logout()
        assert kpi.picker.kind == "day"
        assert report.picker.period().label == TODAY.isoformat()


def test_only_roles_that_see_reports_reach_the_pages() -> None:
    assert {"kpi", "reports"} <= set(reachable_pages(session("supervisor")))
    assert not {"kpi", "reports"} & set(reachable_pages(session("technician")))
    assert reachable_pages(session("counter")) == []


def test_qtcharts_is_loaded_by_the_kpi_page_only() -> None:
    script = ("import sys\n"
              "import ui.admin.window, ui.admin.pages, ui.admin.board, ui.admin.report_page\n"
              "assert 'PySide6.QtCharts' not in sys.modules, 'loaded too early'\n"
              "import ui.admin.kpi_page\n"
              "assert 'PySide6.QtCharts' in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_a_chart_of_many_rows_is_drawn_as_lines_with_its_floor(qtbot: QtBot) -> None:
    """A year by day would be hairline bars: more than MAX_BAR_CATEGORIES rows become
    lines; a day with nothing to divide leaves a gap, the floor stays a line."""
    from ui.admin.kpi_charts import MAX_BAR_CATEGORIES, KpiChart

    chart = KpiChart("test-chart")
    qtbot.addWidget(chart)
    days = [f"day {i}" for i in range(MAX_BAR_CATEGORIES + 1)]
    values: list[float | None] = [80.0] * len(days)
    values[3] = None
    chart.show_bars("Satisfaction", days, [("rate", values)], value_max=100, floor=70,
                    floor_name="floor")
    assert chart.series_kinds() == ["line", "line"]
    assert chart.series_values() == {"rate": values, "floor": [70]}
    assert "rate: 80, 80, 80, —" in chart.accessibleDescription()
    chart.show_bars("Satisfaction", days[:5], [("rate", values[:5])], value_max=100)
    assert chart.series_kinds() == ["bar"]
