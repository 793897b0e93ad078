"""The working-day calendar: national holidays for every year the package knows, the
branch's own entries on top, and the warning before a year with no calendar."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from kiosk.branch.calendar import WARN_DAYS_BEFORE, CalendarGap, national_years
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.branch.settings import apply_config, default_config
from kiosk.db import unit_of_work

# The first year the installed package does not know (2027 with chinesecalendar 1.11):
# the tests hold whatever release is installed.
UNKNOWN = max(national_years()) + 1


def branch_with(engine: Engine, **changes: object) -> BranchInfo:
    config = default_config()
    settings = changes.pop("settings", {})
    with unit_of_work(engine, write=True) as session:
        apply_config(session, replace(config, settings={**config.settings, **settings},
                                      **changes))  # type: ignore[arg-type]
    with unit_of_work(engine) as session:
        return load_branch(session)


def test_the_package_knows_2026_and_the_years_before() -> None:
    assert set(range(2010, 2027)) <= national_years()


def test_national_holidays_and_make_up_days_of_every_known_year(engine: Engine) -> None:
    branch = branch_with(engine)
    # 2026, as the State Council announced it: National Day and the make-up Saturday.
    assert not branch.is_working_day(date(2026, 10, 1))
    assert branch.is_working_day(date(2026, 10, 10))
    # 2025, which the settings file never listed: Spring Festival on a Wednesday, and
    # the make-up working Sunday before it.
    assert not branch.is_working_day(date(2025, 1, 29))
    assert date(2025, 1, 26).weekday() == 6
    assert branch.is_working_day(date(2025, 1, 26))
    # An ordinary Monday and Sunday follow the weekly pattern.
    assert branch.is_working_day(date(2026, 11, 23))
    assert not branch.is_working_day(date(2026, 11, 22))


def test_the_branch_entries_win_over_the_national_ones(engine: Engine) -> None:
    branch = branch_with(engine, holidays=frozenset({date(2026, 10, 10), date(2026, 11, 24)}),
                         workdays=frozenset({date(2026, 10, 8)}))
    assert not branch.is_working_day(date(2026, 10, 10))  # national make-up day, closed
    assert branch.is_working_day(date(2026, 10, 8))  # national holiday, open here
    assert not branch.is_working_day(date(2026, 11, 24))  # a local holiday
    assert not branch.is_working_day(date(2026, 10, 7))  # the rest of the holiday stays


def test_the_national_calendar_can_be_turned_off(engine: Engine) -> None:
    branch = branch_with(engine, settings={"national_calendar": False})
    assert branch.is_working_day(date(2026, 10, 1))  # a Thursday like any other
    assert branch.hours_on(date(2026, 10, 10)) == branch.hours[5]  # an ordinary Saturday


def test_no_warning_before_45_days_or_for_a_year_the_package_knows(engine: Engine) -> None:
    branch = branch_with(engine)
    first = date(UNKNOWN, 1, 1)
    assert branch.calendar_gap(first - timedelta(days=WARN_DAYS_BEFORE + 1)) is None
    assert branch.calendar_gap(date(UNKNOWN - 1, 1, 1) - timedelta(days=10)) is None


def test_a_warning_45_days_before_a_year_without_calendar_and_after_it_starts(
        engine: Engine) -> None:
    branch = branch_with(engine)
    first = date(UNKNOWN, 1, 1)
    assert branch.calendar_gap(first - timedelta(days=WARN_DAYS_BEFORE)) == CalendarGap(
        UNKNOWN, WARN_DAYS_BEFORE)
    started = branch.calendar_gap(first + timedelta(days=40))
    assert started == CalendarGap(UNKNOWN, -40)
    assert "has started" in started.en
    gap = branch.calendar_gap(first - timedelta(days=39))
    assert gap is not None
    assert f"{UNKNOWN} starts in 39 days" in gap.en
    assert f"{UNKNOWN} 年39 天后开始" in gap.zh


def test_a_year_the_branch_has_entered_needs_no_warning(engine: Engine) -> None:
    branch = branch_with(engine, holidays=frozenset({date(UNKNOWN, 1, 1)}))
    assert branch.calendar_gap(date(UNKNOWN, 1, 1) - timedelta(days=10)) is None
    assert branch.calendar_gap(date(UNKNOWN, 6, 1)) is None


def kiosk(db: str, *args: str, now: date) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_NOW": f"{now.isoformat()}T10:00:00+08:00"}
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", db, *args],
                          capture_output=True, text=True, env=env, timeout=120, check=False)


def test_staff_commands_warn_on_stderr_and_customer_ones_do_not(sqlite_url: str,
                                                                tmp_path: Path) -> None:
    soon = date(UNKNOWN, 1, 1) - timedelta(days=20)
    while soon.weekday() != 0:  # a Monday, so that a ticket can be taken
        soon -= timedelta(days=1)
    queue = kiosk(sqlite_url, "queue", "--json", now=soon)
    assert queue.returncode == 0
    assert json.loads(queue.stdout)["services"]  # stdout is still the one JSON object
    assert f"{UNKNOWN} starts in" in queue.stderr
    assert "kiosk settings import" in queue.stderr
    assert "还没有该年的节假日安排" in queue.stderr
    opened = kiosk(sqlite_url, "counter", "open", "1", now=soon)
    assert opened.returncode == 0
    assert str(UNKNOWN) in opened.stderr
    taken = kiosk(sqlite_url, "ticket", "take", "claims", now=soon)
    assert taken.returncode == 0
    assert str(UNKNOWN) not in taken.stderr
    # The branch enters the new year's first holiday: the warning stops.
    exported = tmp_path / "branch.toml"
    assert kiosk(sqlite_url, "settings", "export", str(exported), now=soon).returncode == 0
    text = exported.read_text(encoding="utf-8").replace(
        "holidays = []", f"holidays = [{UNKNOWN}-01-01]")
    exported.write_text(text, encoding="utf-8")
    imported = kiosk(sqlite_url, "settings", "import", str(exported), now=soon)
    assert imported.returncode == 0, imported.stderr
    assert str(UNKNOWN) not in kiosk(sqlite_url, "queue", now=soon).stderr
