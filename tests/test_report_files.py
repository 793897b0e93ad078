"""The daily and monthly report files: the PDF read back with poppler (text, pages,
rendering), the CSV parsed back, both holding the figures of the KPI set they were
made from and no customer's phone number."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.privacy.masking import find_unmasked
from kiosk.reports.content import ReportContent
from kiosk.reports.csvfile import FIELDS, report_csv
from kiosk.reports.kpi import compute
from kiosk.reports.labels import load_names
from kiosk.reports.pdf import report_pdf
from kiosk.reports.periods import Period
from tests.conftest import MONDAY_10AM
from tests.kpi_support import PHONE, report_history

T = MONDAY_10AM
TODAY = T.date()


@pytest.fixture
def branch_day(engine: Engine) -> Engine:
    """Three days of seed-demo history, rated, and Monday morning's queue actions; a
    customer's phone number typed into a cancellation reason (free text staff may
    type), which no report may show."""
    report_history(engine, T)
    return engine


def _content(engine: Engine, period: Period) -> ReportContent:
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        kpis = compute(session, branch, period.first, period.last, today=TODAY)
        return ReportContent(period, kpis, load_names(session, branch), branch.name_zh,
                             branch.name_en, "2026-11-23 11:00")


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    # every page renders (poppler draws the charts and the embedded CJK font)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")],
                   check=True, capture_output=True)
    assert sorted(tmp_path.glob("page-*.png"))
    return text


def test_daily_pdf(branch_day: Engine, tmp_path: Path) -> None:
    content = _content(branch_day, Period.day(TODAY))
    text = _pdf_text(report_pdf(content), tmp_path)
    total = content.kpis.total
    for words in ("客户服务中心 服务质量日报", "Daily service report", "概览 Summary",
                  "分时段取号 Tickets by hour of day",
                  "各窗口满意率（%）Satisfaction rate by counter (%)",
                  "按业务 By service", "按窗口 By counter", "按工作人员 By staff member",
                  "理赔 Claims", "4号窗口 Counter 4", "S04", "合计 Total"):
        assert words in text, words
    assert "按日期 By day" not in text  # a day's report goes by hour, not by day
    assert f"{total.issued}" in text
    assert "66.7%" in text  # two of the three ratings satisfied
    # below the floor: the report says so
    assert "满意率低于 70% 底线" in text
    assert find_unmasked(text) == []


def test_monthly_pdf(branch_day: Engine, tmp_path: Path) -> None:
    content = _content(branch_day, Period.month(2026, 11))
    text = _pdf_text(report_pdf(content), tmp_path)
    for words in ("服务质量月报", "Monthly service report", "2026-11-01 至 to 2026-11-30",
                  "每日取号与办结 Tickets issued and served per day",
                  "每日满意率（%）Satisfaction rate by day (%)",
                  "每日等候（分钟）Wait by day (minutes)", "按日期 By day"):
        assert words in text, words
    days = [row.key for row in content.kpis.breakdowns["day"]]
    assert len(days) >= 3
    for day in days:
        assert content.names.bilingual("day", day) in text
    assert find_unmasked(text) == []


def test_csv_has_every_row_and_the_figures(branch_day: Engine) -> None:
    content = _content(branch_day, Period.month(2026, 11))
    data = report_csv(content)
    assert data.startswith("\ufeff".encode())  # Excel reads the Chinese as UTF-8
    text = data.decode("utf-8-sig")
    assert find_unmasked(text) == []
    lines = io.StringIO(text)
    head = next(csv.reader(lines))
    assert head == [f"{zh} {name}" for name, zh in FIELDS]
    rows = list(csv.DictReader(lines, fieldnames=[name for name, _ in FIELDS]))
    sections = [row["section"] for row in rows]
    kpis = content.kpis
    assert sections.count("day") == len(kpis.breakdowns["day"])
    assert sections.count("staff") == len(kpis.breakdowns["staff"])
    assert sections.count("hour") == len(kpis.by_hour)
    total = rows[0]
    assert (total["section"], total["key"]) == ("total", "2026-11")
    assert int(total["issued"]) == kpis.total.issued
    assert float(total["satisfaction_rate"]) == kpis.total.satisfaction_rate
    assert float(total["wait_avg_s"]) == kpis.total.wait_avg_s
    claims = next(r for r in rows if r["section"] == "service" and r["key"] == "claims")
    assert claims["name_zh"] == "理赔"
    by_service = {r.key: r for r in kpis.breakdowns["service"]}
    assert int(claims["served"]) == by_service["claims"].served
    assert sum(int(r["issued"]) for r in rows if r["section"] == "hour") == kpis.total.issued


def test_masking_check_would_catch_a_phone() -> None:
    """The check the tests above rely on finds a phone number written out."""
    assert find_unmasked(f"客户来电 {PHONE} 改约") == [PHONE]
