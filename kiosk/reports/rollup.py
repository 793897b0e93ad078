"""The daily rollup: a business day's KPI grain written once the day is over.

A day is *final* once it is before today and none of its tickets is open any more
(waiting, called, serving): after that nothing changes its figures (a rating counts on
the day it is given). A final day is rolled up by :func:`roll_up_day` (at day close,
by ``kiosk report rollup``, or the first time a report or the KPI page needs it); a
day that is not final, today above all, is computed from the tickets when asked.

Each day is one short write transaction, so rolling up a year never holds SQLite's
write lock for more than a moment; the ``kpi_rollup`` row is inserted first with
``ON CONFLICT DO NOTHING``, so two stations rolling up the same day write it once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import String, insert, literal, select
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.db import dialect_insert
from kiosk.models import OPEN_STATES, KpiDay, KpiHour, KpiRollup, KpiWait, Ticket
from kiosk.reports.grain import GRAIN, MEASURES, day_grain, hour_grain, wait_grain


@dataclass(frozen=True)
class DayPlan:
    """Where the figures of each day of a period come from."""

    rolled: tuple[date, ...]
    """Written in the rollup tables."""
    ready: tuple[date, ...]
    """Final but not written yet: :func:`roll_up_day` would write them."""
    live: tuple[date, ...]
    """Not final (today, or a past day with a ticket still open): from the tickets."""

    @property
    def unrolled(self) -> tuple[date, ...]:
        """Every day whose figures must come from the tickets if read now."""
        return tuple(sorted(self.ready + self.live))


def calendar(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def plan_days(session: Session, branch: BranchInfo, first: date, last: date,
              today: date) -> DayPlan:
    """Sort the days ``first``..``last`` into rolled, ready and live (two queries; the
    second looks only at the days not rolled up, usually the last few)."""
    rolled = set(session.scalars(select(KpiRollup.business_date).where(
        KpiRollup.branch_id == branch.id, KpiRollup.business_date >= first,
        KpiRollup.business_date <= last)))
    days = [d for d in calendar(first, last) if d not in rolled]
    still_open = set(session.scalars(select(Ticket.business_date).distinct().where(
        Ticket.branch_id == branch.id, Ticket.business_date >= min(days),
        Ticket.business_date <= max(days), Ticket.status.in_(OPEN_STATES)))) if days else set()
    return DayPlan(
        rolled=tuple(sorted(rolled)),
        ready=tuple(d for d in days if d < today and d not in still_open),
        live=tuple(d for d in days if d >= today or d in still_open))


def utc_offset_s(timezone: str, day: date) -> int:
    """The branch's offset from UTC at noon of ``day``, in seconds (opening hours never
    span a daylight-saving change, which happens at night)."""
    offset = datetime.combine(day, time(12), ZoneInfo(timezone)).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def by_offset(timezone: str, days: Sequence[date]) -> dict[int, list[date]]:
    """``days`` grouped by their UTC offset (one group unless daylight saving)."""
    groups: dict[int, list[date]] = {}
    for day in days:
        groups.setdefault(utc_offset_s(timezone, day), []).append(day)
    return groups


def roll_up_day(session: Session, branch: BranchInfo, day: date, *, now: datetime) -> bool:
    """Write the rollup of ``day`` if it is final and not written yet; True if written
    now. The caller's write unit of work commits it (one day per transaction)."""
    if day >= branch.business_date(now):
        return False
    if session.scalar(select(Ticket.id).where(
            Ticket.branch_id == branch.id, Ticket.business_date == day,
            Ticket.status.in_(OPEN_STATES)).limit(1)) is not None:
        return False
    claimed = session.execute(
        dialect_insert(session)(KpiRollup)
        .values(branch_id=branch.id, business_date=day, rolled_at=now)
        .on_conflict_do_nothing().returning(KpiRollup.business_date)).first()
    if claimed is None:
        return False  # written already (or being written by another station)
    days = [day]
    grain = [*GRAIN]
    session.execute(insert(KpiDay).from_select(
        ["branch_id", *grain, *MEASURES], _with_branch(branch.id, day_grain(branch.id, days))))
    session.execute(insert(KpiWait).from_select(
        ["branch_id", *grain, "wait_min", "tickets"],
        _with_branch(branch.id, wait_grain(branch.id, days))))
    session.execute(insert(KpiHour).from_select(
        ["branch_id", *grain, "hour", "issued"],
        _with_branch(branch.id, hour_grain(branch.id, days,
                                           utc_offset_s(branch.timezone, day)))))
    return True


def _with_branch(branch_id: str, statement: Any) -> Any:
    """``statement``'s rows with the branch id in front (the rollup tables' first column)."""
    rows = statement.subquery()
    return select(literal(branch_id, String(32)).label("branch_id"), *rows.c)


__all__ = ["DayPlan", "by_offset", "calendar", "plan_days", "roll_up_day", "utc_offset_s"]
