"""The period a KPI request or a report covers: one business day, a calendar month, or
a chosen range of days."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk.errors import UsageError

KINDS = ("day", "month", "range")


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date

    @classmethod
    def day(cls, day: date) -> Period:
        return cls("day", day, day)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12 or not 2000 <= year <= 9999:
            raise UsageError(f"月份无效：{year}-{month:02d}", f"no such month {year}-{month:02d}")
        return cls("month", date(year, month, 1),
                   date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def range(cls, first: date, last: date) -> Period:
        if last < first:
            raise UsageError(f"结束日期 {last} 早于开始日期 {first}",
                             f"the period ends ({last}) before it begins ({first})")
        return cls("range", first, last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        """``2026-11-23``, ``2026-11`` or ``2026-11-01..2026-11-23``."""
        if self.kind == "day":
            return self.first.isoformat()
        if self.kind == "month":
            return self.first.strftime("%Y-%m")
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "month":
            before = self.first - timedelta(days=1)
            return Period.month(before.year, before.month)
        length = timedelta(days=self.days)
        return Period(self.kind, self.first - length, self.last - length)


def parse_day(text: str) -> date:
    """``YYYY-MM-DD``, else a bilingual usage error."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UsageError(f"日期格式应为 YYYY-MM-DD：{text}",
                         f"a date is YYYY-MM-DD, not {text!r}") from exc


def parse_month(text: str) -> Period:
    """``YYYY-MM``, else a bilingual usage error."""
    year, sep, month = text.strip().partition("-")
    if not (sep and year.isdigit() and month.isdigit() and len(year) == 4
            and len(month) == 2):
        raise UsageError(f"月份格式应为 YYYY-MM：{text}", f"a month is YYYY-MM, not {text!r}")
    return Period.month(int(year), int(month))


__all__ = ["KINDS", "Period", "parse_day", "parse_month"]
