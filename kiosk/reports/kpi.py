"""Service KPIs of a period: satisfaction and participation, average and 90th
percentile wait, average handling time, share called within the target wait, no-show
rate, tickets by hour of day; for the whole period and by day, service, counter and
staff member, optionally narrowed to one service, counter or staff member.

The database adds up the rollup rows of the rolled-up days and the same grain
computed from the tickets for the other days (:mod:`kiosk.reports.grain`), in one
statement per breakdown; the rates are ratios of those sums. Satisfaction and
participation are the rating report's own definitions
(:class:`kiosk.feedback.ratings.RateFigures`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, func, literal, select, union_all
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.errors import UsageError
from kiosk.feedback.ratings import RateFigures
from kiosk.models import KpiDay, KpiHour, KpiWait
from kiosk.reports.grain import GRAIN, MEASURES, day_grain, hour_grain, wait_grain
from kiosk.reports.rollup import DayPlan, by_offset, plan_days

SATISFACTION_FLOOR = 0.70
"""The satisfaction rate a branch must stay above (evaluated monthly)."""

DIMENSIONS: dict[str, str] = {"day": "business_date", "service": "service_code",
                              "counter": "counter_number", "staff": "staff"}
MAX_DAYS = 5 * 366
"""The longest period one request covers."""

Key = date | str | int | None


@dataclass(frozen=True)
class KpiFilter:
    """Narrow the figures to one service (the one asked for), counter or staff member."""

    service: str | None = None
    counter: int | None = None
    staff: str | None = None

    def conditions(self, rows: Any) -> list[Any]:
        wanted = [("service_code", self.service), ("counter_number", self.counter),
                  ("staff", self.staff)]
        return [rows.c[name] == value for name, value in wanted if value is not None]


def _ratio(part: int, whole: int, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


@dataclass(frozen=True)
class KpiRow:
    """The sums of one breakdown row (or the whole period: ``key`` None) and its KPIs."""

    key: Key
    issued: int = 0
    called: int = 0
    served: int = 0
    no_show: int = 0
    cancelled: int = 0
    expired: int = 0
    within_target: int = 0
    wait_sum_s: int = 0
    handle_sum_s: int = 0
    rated: int = 0
    satisfied: int = 0
    not_rated: int = 0
    answered: int = 0
    unsolicited: int = 0
    wait_p90_min: int | None = None
    """90th percentile of the wait, in whole minutes rounded up (None: nobody called)."""

    @property
    def ratings(self) -> RateFigures:
        return RateFigures(given=self.rated, satisfied=self.satisfied,
                           not_rated=self.not_rated, answered_requests=self.answered)

    @property
    def satisfaction_rate(self) -> float | None:
        return self.ratings.satisfaction_rate

    @property
    def participation_rate(self) -> float | None:
        return self.ratings.participation_rate

    @property
    def wait_avg_s(self) -> float | None:
        return _ratio(self.wait_sum_s, self.called, 1)

    @property
    def handle_avg_s(self) -> float | None:
        return _ratio(self.handle_sum_s, self.served, 1)

    @property
    def within_target_rate(self) -> float | None:
        return _ratio(self.within_target, self.called)

    @property
    def no_show_rate(self) -> float | None:
        """No-shows among the tickets whose call ended (served or no-show)."""
        return _ratio(self.no_show, self.served + self.no_show)


@dataclass(frozen=True)
class KpiSet:
    """The KPIs of business days ``first``..``last``."""

    first: date
    last: date
    filter: KpiFilter
    total: KpiRow
    breakdowns: dict[str, tuple[KpiRow, ...]]
    """By ``day``, ``service``, ``counter``, ``staff`` (those asked for)."""
    by_hour: tuple[tuple[int, int], ...]
    """(local hour 0-23, tickets issued), every hour with tickets."""
    plan: DayPlan = field(repr=False)


def compute(session: Session, branch: BranchInfo, first: date, last: date, *, today: date,
            kpi_filter: KpiFilter | None = None,
            breakdowns: tuple[str, ...] = tuple(DIMENSIONS)) -> KpiSet:
    """The KPIs of ``first``..``last``; days not rolled up come from the tickets."""
    if last < first:
        raise UsageError("结束日期早于开始日期", "the period ends before it begins")
    if (last - first).days >= MAX_DAYS:
        raise UsageError(f"一次最多统计 {MAX_DAYS} 天", f"a period is at most {MAX_DAYS} days")
    unknown = [b for b in breakdowns if b not in DIMENSIONS]
    if unknown:
        raise UsageError(f"未知分组：{', '.join(unknown)}",
                         f"unknown breakdown {', '.join(unknown)}; use "
                         f"{', '.join(DIMENSIONS)}")
    kpi_filter = kpi_filter or KpiFilter()
    plan = plan_days(session, branch, first, last, today)
    query = _Query(session, branch, first, last, plan, kpi_filter)
    total = query.rows(None)
    return KpiSet(
        first=first, last=last, filter=kpi_filter,
        total=total[0] if total else KpiRow(key=None),
        breakdowns={name: tuple(query.rows(name)) for name in breakdowns},
        by_hour=query.hours(), plan=plan)


class _Query:
    """The period's rows: rollup tables for rolled days, the grain for the rest."""

    def __init__(self, session: Session, branch: BranchInfo, first: date, last: date,
                 plan: DayPlan, kpi_filter: KpiFilter) -> None:
        self.session, self.branch, self.plan = session, branch, plan
        self.first, self.last, self.filter = first, last, kpi_filter

    def _source(self, table: Any, columns: list[str], live: list[Any]) -> Any:
        stored = select(*[table.c[name] for name in columns]).where(
            table.c.branch_id == self.branch.id, table.c.business_date >= self.first,
            table.c.business_date <= self.last)
        if self.plan.unrolled:
            # a day another station rolls up while this request reads (PostgreSQL reads
            # each statement afresh) is still counted once: from the tickets, as planned
            stored = stored.where(table.c.business_date.not_in(self.plan.unrolled))
        rows = union_all(stored, *live).subquery("period") if live else stored.subquery()
        return rows, self.filter.conditions(rows)

    def _days(self) -> Any:
        live = [day_grain(self.branch.id, self.plan.unrolled)] if self.plan.unrolled else []
        return self._source(KpiDay.__table__, [*GRAIN, *MEASURES], live)

    def _waits(self) -> Any:
        live = [wait_grain(self.branch.id, self.plan.unrolled)] if self.plan.unrolled else []
        return self._source(KpiWait.__table__, [*GRAIN, "wait_min", "tickets"], live)

    def rows(self, dimension: str | None) -> list[KpiRow]:
        """Sums and 90th percentile per value of ``dimension`` (None: one row)."""
        rows, where = self._days()
        key = rows.c[DIMENSIONS[dimension]] if dimension else literal(None)
        statement = select(key.label("key"), *[
            func.coalesce(func.sum(rows.c[name]), 0).label(name) for name in MEASURES])
        statement = statement.where(*where)
        if dimension:
            statement = statement.group_by(key)
        p90 = self.p90(dimension)
        found = [KpiRow(key=row.key, wait_p90_min=p90.get(row.key),
                        **{name: int(row[i + 1]) for i, name in enumerate(MEASURES)})
                 for row in self.session.execute(statement)]
        return sorted(found, key=lambda r: (r.key is None, r.key))

    def p90(self, dimension: str | None) -> dict[Key, int]:
        """90th percentile wait (nearest rank, whole minutes) per value of ``dimension``:
        the smallest minute by which 90 % of the called tickets had been called."""
        rows, where = self._waits()
        key = rows.c[DIMENSIONS[dimension]] if dimension else literal(0, Integer)
        counted = (select(key.label("key"), rows.c.wait_min,
                          func.sum(rows.c.tickets).label("n"))
                   .where(*where).group_by(key, rows.c.wait_min).subquery("counted"))
        running = select(
            counted.c.key, counted.c.wait_min,
            func.sum(counted.c.n).over(partition_by=counted.c.key,
                                       order_by=counted.c.wait_min).label("cum"),
            func.sum(counted.c.n).over(partition_by=counted.c.key).label("total"),
        ).subquery("running")
        statement = (select(running.c.key, func.min(running.c.wait_min))
                     .where(running.c.cum * 10 >= running.c.total * 9)
                     .group_by(running.c.key))
        found = {k: int(v) for k, v in self.session.execute(statement)}
        return found if dimension else {None: found[0]} if 0 in found else {}

    def hours(self) -> tuple[tuple[int, int], ...]:
        live = [hour_grain(self.branch.id, days, offset)
                for offset, days in by_offset(self.branch.timezone,
                                              self.plan.unrolled).items()]
        rows, where = self._source(KpiHour.__table__, [*GRAIN, "hour", "issued"], live)
        statement = (select(rows.c.hour, func.sum(rows.c.issued)).where(*where)
                     .group_by(rows.c.hour).order_by(rows.c.hour))
        return tuple((int(h), int(n)) for h, n in self.session.execute(statement) if n)


__all__ = ["DIMENSIONS", "MAX_DAYS", "SATISFACTION_FLOOR", "KpiFilter", "KpiRow", "KpiSet",
           "compute"]
