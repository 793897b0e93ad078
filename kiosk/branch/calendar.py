"""The working-day calendar: which days the branch opens.

Three layers, the later winning:

1. the weekly pattern (the branch's opening hours per weekday);
2. the national public holidays and make-up working days (调休上班) that the State
   Council announces each year, from the ``chinesecalendar`` package for the years it
   knows (a dependency kept up to date with each release, so new years arrive with an
   update and nobody types them in); the branch setting ``national_calendar = false``
   turns this layer off (the demo's round-the-clock lobby);
3. the branch's own entries (``[calendar]`` in the settings file): a local holiday, a
   day it opens although the nation rests, or next year's dates typed in before a
   release knows them.

:func:`calendar_gap` says when the coming year (or this one) has no calendar yet: a
year the package does not know and the branch has not entered. The CLI prints it on
the commands staff run; the admin board shows it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

# Warn this many days before a year that has no calendar starts.
WARN_DAYS_BEFORE = 45


@functools.cache
def national_days() -> tuple[frozenset[date], frozenset[date]]:
    """(public holidays, make-up working days) of every year the package knows."""
    from chinese_calendar import constants

    return frozenset(constants.holidays), frozenset(constants.workdays)


@functools.cache
def national_years() -> frozenset[int]:
    """The years whose national calendar the installed package knows."""
    holidays, workdays = national_days()
    return frozenset(d.year for d in holidays | workdays)


def layered(own_holidays: frozenset[date], own_workdays: frozenset[date], *,
            national: bool) -> tuple[frozenset[date], frozenset[date]]:
    """(holidays, workdays) as the branch keeps them: the national days with the
    branch's own entries on top (its workday wins over a national holiday and its
    holiday over a national make-up day)."""
    if not national:
        return own_holidays, own_workdays
    holidays, workdays = national_days()
    return ((holidays - own_workdays) | own_holidays,
            (workdays - own_holidays) | own_workdays)


@dataclass(frozen=True)
class CalendarGap:
    """A year that starts soon (or has started) with no holiday calendar."""

    year: int
    days_left: int  # until 1 January of ``year``; 0 or less once it has started

    @property
    def zh(self) -> str:
        when = (f"{self.days_left} 天后开始" if self.days_left > 0 else "已开始")
        return (f"{self.year} 年{when}，但还没有该年的节假日安排：请更新软件，或用 "
                f"kiosk settings import 录入该年的假日和调休上班日")

    @property
    def en(self) -> str:
        when = (f"starts in {self.days_left} days" if self.days_left > 0 else "has started")
        return (f"{self.year} {when} and has no public holiday calendar: update the "
                f"software, or enter that year's holidays and make-up working days "
                f"with kiosk settings import")

    def as_dict(self) -> dict[str, object]:
        return {"year": self.year, "days_left": self.days_left,
                "message_zh": self.zh, "message_en": self.en}


def calendar_gap(today: date, own_years: frozenset[int], *, national: bool = True,
                 warn_days: int = WARN_DAYS_BEFORE) -> CalendarGap | None:
    """The first year without a calendar among this year and, within ``warn_days`` of
    its start, the next; None when both have one. ``own_years`` are the years the
    branch has entries for."""
    known = own_years | (national_years() if national else frozenset())
    for year in (today.year, today.year + 1):
        days_left = (date(year, 1, 1) - today).days
        if days_left <= warn_days and year not in known:
            return CalendarGap(year, days_left)
    return None


__all__ = ["WARN_DAYS_BEFORE", "CalendarGap", "calendar_gap", "layered", "national_days",
           "national_years"]
