"""``kiosk report daily|monthly|range|rollup`` and the rollup at ``kiosk day close``:
files read back with poppler and parsed as CSV, figures equal to an independent count
(tests/kpi_support.py), one JSON object, bilingual refusals, nothing half-written, the
export audited, no customer's phone number anywhere; and the use cases' permission,
progress and cancel (kiosk.app.reports, kiosk.app.report_files)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.app.report_files import write_report
from kiosk.app.reports import ReportCancelled, kpi_choices, kpis
from kiosk.app.staff import console
from kiosk.branch.info import load_branch
from kiosk.cli import main
from kiosk.db import make_engine, unit_of_work
from kiosk.migrate import ensure_ready
from kiosk.models import AuditEntry, KpiRollup
from kiosk.privacy.masking import find_unmasked
from kiosk.reports.periods import Period
from kiosk.staff.permissions import NotPermitted, StaffSession
from tests.conftest import MONDAY_10AM, copy_sqlite, migrated_copy
from tests.kpi_support import count, expected_row, report_history

T = MONDAY_10AM
TODAY = T.date()
NOW = T + timedelta(hours=2)
Kiosk = Callable[..., tuple[int, Any, str, str]]


def _history(url: str) -> None:
    engine = make_engine(url)
    ensure_ready(engine)
    report_history(engine, T)
    engine.dispose()


@pytest.fixture
def url(db_url: str, request: pytest.FixtureRequest) -> str:
    migrated_copy(request, db_url)
    _history(db_url)
    return db_url


@pytest.fixture(scope="session")
def history_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The history in a SQLite file, built once per run (per xdist worker)."""
    path = tmp_path_factory.mktemp("report-history") / "branch.db"
    _history(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_history(sqlite_url: str, history_template: Path) -> str:
    """``sqlite_url`` holding a copy of the history (every test changes its own)."""
    copy_sqlite(history_template, sqlite_url)
    return sqlite_url


def _runner(url: str, monkeypatch: pytest.MonkeyPatch,
            capsys: pytest.CaptureFixture[str]) -> Kiosk:
    monkeypatch.setenv("KIOSK_NOW", NOW.isoformat())

    def run(*args: str) -> tuple[int, Any, str, str]:
        code = main(["--db", url, *args])
        out, err = capsys.readouterr()
        data = json.loads(out) if "--json" in args and out.strip() else None
        if "--json" in args:
            assert out.count("\n") == 1  # one JSON object
        return code, data, out, err

    return run


@pytest.fixture
def kiosk(url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Kiosk:
    return _runner(url, monkeypatch, capsys)


@pytest.fixture
def kiosk_sqlite(sqlite_history: str, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> Kiosk:
    return _runner(sqlite_history, monkeypatch, capsys)


@pytest.fixture
def app(sqlite_history: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", NOW.isoformat())
    context = AppContext.open(sqlite_history, station="ADMIN-PC")
    yield context
    context.close()


def _independent(url: str, first: date, last: date) -> Any:
    engine = make_engine(url)
    try:
        with unit_of_work(engine) as session:
            return count(session, load_branch(session), first, last)
    finally:
        engine.dispose()


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = path.parent / f"{path.stem}-page"
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(pages)], check=True,
                   capture_output=True)
    assert sorted(path.parent.glob(f"{path.stem}-page-*.png"))  # every page renders
    return text


def _csv_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    lines = io.StringIO(text)
    head = next(csv.reader(lines))
    names = [h.split(" ")[-1] for h in head]
    return list(csv.DictReader(lines, fieldnames=names))


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("issued", "called", "served", "no_show", "cancelled", "expired",
            "within_target", "rated", "satisfied", "not_rated", "answered", "unsolicited",
            "wait_p90_min")
    return {k: row[k] for k in keys}


def _expected(counted: Any) -> dict[str, Any]:
    return {k: v for k, v in expected_row(counted).items()
            if k not in ("wait_sum_s", "handle_sum_s")}


def test_daily_report_files_hold_the_independent_count(kiosk: Kiosk, url: str,
                                                       tmp_path: Path) -> None:
    pdf, table = tmp_path / "daily.pdf", tmp_path / "daily.csv"
    code, written, out, err = kiosk("report", "daily", "--date", TODAY.isoformat(),
                                    "--pdf", str(pdf), "--csv", str(table), "--json")
    assert code == 0, err
    assert (written["pdf"], written["csv"]) == (str(pdf), str(table))
    assert written["pdf_bytes"] == pdf.stat().st_size
    report = written["kpis"]
    assert (report["kind"], report["label"], report["live_days"]) == ("day", "2026-11-23", 1)
    expected = _independent(url, TODAY, TODAY)
    assert _figures(report["total"]) == _expected(expected.total)
    assert {r["key"]: _figures(r) for r in report["by_service"]} == {
        k: _expected(c) for k, c in expected.by["service"].items()}
    assert {h["hour"]: h["issued"] for h in report["by_hour"]} == dict(expected.hours)

    text = _pdf_text(pdf)
    for words in ("服务质量日报", "Daily service report", "概览 Summary", "按业务 By service",
                  "分时段取号 Tickets by hour of day", "理赔 Claims", "合计 Total"):
        assert words in text, words
    rows = _csv_rows(table)
    total = rows[0]
    assert (total["section"], total["key"]) == ("total", "2026-11-23")
    assert int(total["issued"]) == expected.total.tally["issued"]
    assert int(total["served"]) == expected.total.tally["done"]
    assert float(total["satisfaction_rate"]) == report["total"]["satisfaction_rate"]
    assert {r["key"]: int(r["issued"]) for r in rows if r["section"] == "hour"} == {
        str(h): n for h, n in expected.hours.items()}
    for output in (out, text, table.read_text(encoding="utf-8-sig")):
        assert find_unmasked(output) == []
    assert not list(tmp_path.glob(".partial-*"))


def test_monthly_report_rolls_up_and_is_audited(kiosk: Kiosk, url: str,
                                                tmp_path: Path) -> None:
    pdf = tmp_path / "november.pdf"
    code, written, _, err = kiosk("report", "monthly", "--month", "2026-11", "--pdf", str(pdf),
                                  "--json")
    assert code == 0, err
    assert written["csv"] is None
    report = written["kpis"]
    assert (report["first"], report["last"]) == ("2026-11-01", "2026-11-30")
    assert report["rolled_now"] == 22  # 1..22 November are over (today is the 23rd)
    assert report["live_days"] == 8  # today and the days to come
    expected = _independent(url, date(2026, 11, 1), date(2026, 11, 30))
    assert _figures(report["total"]) == _expected(expected.total)
    assert {r["key"]: _figures(r) for r in report["by_day"]} == {
        k.isoformat(): _expected(c) for k, c in expected.by["day"].items()}
    assert {r["key"]: _figures(r) for r in report["by_staff"]} == {
        k: _expected(c) for k, c in expected.by["staff"].items()}
    text = _pdf_text(pdf)
    for words in ("服务质量月报", "Monthly service report", "按日期 By day",
                  "每日满意率（%）Satisfaction rate by day (%)"):
        assert words in text, words
    assert find_unmasked(text) == []

    engine = make_engine(url)
    with unit_of_work(engine) as session:
        audited = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "report.export")).all()
        rolled = session.scalars(select(KpiRollup.business_date)).all()
    engine.dispose()
    assert [(a.subject, a.detail) for a in audited] == [("2026-11", "november.pdf")]
    assert audited[0].staff.startswith("cli:")
    assert len(rolled) == 22
    assert max(rolled) == date(2026, 11, 22)
    # the figures are the same once read from the rollup
    code, again, _, err = kiosk("report", "monthly", "--month", "2026-11", "--json")
    assert code == 0, err
    assert again["rolled_now"] == 0
    assert again["total"] == report["total"]
    assert again["by_day"] == report["by_day"]


def test_one_service_and_a_range(kiosk_sqlite: Kiosk, sqlite_history: str) -> None:
    first = TODAY - timedelta(days=3)
    code, report, out, err = kiosk_sqlite("report", "range", "--from", first.isoformat(),
                                          "--to", TODAY.isoformat(), "--service", "claims",
                                          "--json")
    assert code == 0, err
    assert (report["kind"], report["service"]) == ("range", "claims")
    engine = make_engine(sqlite_history)
    with unit_of_work(engine) as session:
        expected = count(session, load_branch(session), first, TODAY, {"service": "claims"})
    engine.dispose()
    assert _figures(report["total"]) == _expected(expected.total)
    assert [r["key"] for r in report["by_service"]] == ["claims"]
    code, _, text, err = kiosk_sqlite("report", "daily", "--date", TODAY.isoformat())
    assert code == 0, err
    assert "理赔 Claims" in text
    assert "satisfaction" in text


def test_day_close_and_the_rollup_command(kiosk_sqlite: Kiosk) -> None:
    code, closed, _, err = kiosk_sqlite("day", "close", "--json")
    assert code == 0, err
    assert closed["expired"] == 1  # A003 still waited
    assert closed["rolled_up"] == 3  # seed-demo's three days before today
    code, done, _, err = kiosk_sqlite("report", "rollup", "--from", "2026-11-01", "--json")
    assert code == 0, err
    # 1..22 November are over; three were written at day close; today is not final
    assert (done["first"], done["last"]) == ("2026-11-01", "2026-11-22")
    assert (done["written"], done["already"], done["pending"]) == (19, 3, [])
    code, again, _, err = kiosk_sqlite("report", "rollup", "--json")
    assert code == 0, err
    assert (again["written"], again["already"]) == (0, 3)


def test_a_day_without_tickets(kiosk_sqlite: Kiosk, tmp_path: Path) -> None:
    """A Sunday the branch was closed (nothing to chart): the files are written all the
    same, with empty charts and zeros."""
    pdf, table = tmp_path / "sunday.pdf", tmp_path / "sunday.csv"
    code, written, _, err = kiosk_sqlite("report", "daily", "--date", "2026-11-29", "--pdf",
                                         str(pdf), "--csv", str(table), "--json")
    assert code == 0, err
    assert written["kpis"]["total"]["issued"] == 0
    assert written["kpis"]["by_counter"] == []
    assert "服务质量日报" in _pdf_text(pdf)
    assert _csv_rows(table)[0]["issued"] == "0"


@pytest.mark.parametrize(("args", "words"), [
    (("report", "monthly", "--month", "2026-13"), "no such month 2026-13"),
    (("report", "monthly", "--month", "11/2026"), "a month is YYYY-MM"),
    (("report", "daily", "--date", "2026-11-31"), "a date is YYYY-MM-DD"),
    (("report", "range", "--from", "2026-11-20", "--to", "2026-11-01"), "ends"),
    (("report", "daily", "--date", "2026-11-23", "--pdf", "{tmp}/missing/r.pdf"),
     "no such folder"),
    (("report", "daily", "--date", "2026-11-23", "--csv", "{tmp}"), "is a folder"),
    (("report", "daily", "--date", "2026-11-23", "--counter", "99999999999"), "counter"),
])
def test_bad_requests_are_refused_in_both_languages(kiosk_sqlite: Kiosk, tmp_path: Path,
                                                    args: tuple[str, ...], words: str) -> None:
    code, _, out, err = kiosk_sqlite(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == 2, (out, err)
    assert words in err
    assert " / " in err  # Chinese / English
    assert list(tmp_path.glob("**/*.pdf")) == []


def test_permission_progress_and_cancel(app: AppContext, tmp_path: Path) -> None:
    clerk = StaffSession(number="S0401", name="", role="counter", station="ADMIN-PC",
                         started_at=NOW)
    with pytest.raises(NotPermitted):
        kpis(app, clerk, Period.day(TODAY))
    with pytest.raises(NotPermitted):
        write_report(app, clerk, Period.day(TODAY), pdf=tmp_path / "r.pdf")
    supervisor = console(app)
    choices = kpi_choices(app, supervisor)
    assert choices.today == "2026-11-23"
    assert [c.key for c in choices.services][:2] == ["enquiry", "new_business"]

    steps: list[tuple[int, int, str]] = []
    asked = 0

    def cancel_at_the_pdf() -> bool:
        nonlocal asked
        asked += 1
        return bool(steps) and steps[-1][2] == "pdf"

    out = tmp_path / "out"
    out.mkdir()
    pdf, table = out / "r.pdf", out / "r.csv"
    with pytest.raises(ReportCancelled):
        write_report(app, supervisor, Period.month(2026, 11), pdf=pdf, csv=table,
                     progress=lambda *step: steps.append(step), cancelled=cancel_at_the_pdf)
    assert asked > 0
    assert [s for s in steps if s[2] != "rollup"] == [(23, 25, "figures"), (24, 25, "pdf")]
    assert [s[:2] for s in steps if s[2] == "rollup"] == [(i, 25) for i in range(1, 23)]
    assert list(out.iterdir()) == []  # nothing written, no partial file

    steps.clear()
    done = write_report(app, supervisor, Period.month(2026, 11), pdf=pdf, csv=table,
                        progress=lambda *step: steps.append(step))
    assert steps == [(1, 3, "figures"), (2, 3, "pdf"), (3, 3, "csv")]  # rolled up before
    assert pdf.stat().st_size == done.pdf_bytes
    assert table.stat().st_size == done.csv_bytes
