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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import String, cast, func, literal, null, select, union_all
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
    query = _Query(session, branch, first, last, plan, kpi_filter, breakdowns)
    total = query.rows(None)
    return KpiSet(
        first=first, last=last, filter=kpi_filter,
        total=total[0] if total else KpiRow(key=None),
        breakdowns={name: tuple(query.rows(name)) for name in breakdowns},
        by_hour=query.hours(), plan=plan)


def _typed(dimension: str, key: str | None) -> Key:
    """A breakdown key read back as text (the percentiles' one statement) as its type."""
    if key is None:
        return None
    if dimension == "day":
        return date.fromisoformat(str(key)[:10])
    if dimension == "counter":
        return int(key)
    return key


Keys = list[tuple[str, Callable[[Any], Any]]]


class _Query:
    """The period's figures: the rollup tables for rolled-up days and the grain computed
    from the tickets for the rest. Each is summed on its own (the rollup table grouped
    straight off its index), then the sums are added up: one statement per figure."""

    def __init__(self, session: Session, branch: BranchInfo, first: date, last: date,
                 plan: DayPlan, kpi_filter: KpiFilter, breakdowns: tuple[str, ...]) -> None:
        self.session, self.branch, self.plan = session, branch, plan
        self.first, self.last, self.filter = first, last, kpi_filter
        self.breakdowns = breakdowns

    def _sources(self, table: Any, live: list[Any]) -> list[tuple[Any, list[Any]]]:
        """(rows, conditions) of the rollup table and of each statement of ``live``."""
        stored = [table.c.branch_id == self.branch.id, table.c.business_date >= self.first,
                  table.c.business_date <= self.last]
        if self.plan.unrolled:
            # a day another station rolls up while this request reads (PostgreSQL reads
            # each statement afresh) is still counted once: from the tickets, as planned
            stored.append(table.c.business_date.not_in(self.plan.unrolled))
        sources = [(table, stored + self.filter.conditions(table))]
        for i, statement in enumerate(live):
            rows = statement.subquery(f"live_{i}")
            sources.append((rows, self.filter.conditions(rows)))
        return sources

    @staticmethod
    def _sum(sources: list[tuple[Any, list[Any]]], keys: Keys, measures: list[str],
             materialized: str = "") -> Any:
        """``measures`` summed by ``keys`` in each source, then across them; as a
        materialised common table expression of that name if given (used several
        times by one statement, computed once)."""
        parts = []
        for rows, conditions in sources:
            grouped = [make(rows) for _, make in keys]
            parts.append(select(*[g.label(label) for g, (label, _) in zip(grouped, keys,
                                                                          strict=True)],
                                *[func.sum(rows.c[m]).label(m) for m in measures])
                         .where(*conditions).group_by(*grouped))
        if len(parts) == 1:
            statement = parts[0]
        else:
            both = union_all(*parts).subquery()
            outer = [both.c[label] for label, _ in keys]
            statement = (select(*outer, *[func.sum(both.c[m]).label(m) for m in measures])
                         .group_by(*outer))
        if materialized:
            return statement.cte(materialized).prefix_with("MATERIALIZED")
        return statement.subquery()

    @cached_property
    def _day_sources(self) -> list[tuple[Any, list[Any]]]:
        live = [day_grain(self.branch.id, self.plan.unrolled)] if self.plan.unrolled else []
        return self._sources(KpiDay.__table__, live)

    @cached_property
    def _wait_sources(self) -> list[tuple[Any, list[Any]]]:
        live = [wait_grain(self.branch.id, self.plan.unrolled)] if self.plan.unrolled else []
        return self._sources(KpiWait.__table__, live)

    def rows(self, dimension: str | None) -> list[KpiRow]:
        """Sums and 90th percentile per value of ``dimension`` (None: one row)."""
        keys: Keys = [("key", lambda r: r.c[DIMENSIONS[dimension]])] if dimension else []
        sums = self._sum(self._day_sources, keys, list(MEASURES))
        statement = select(sums.c.key if dimension else literal(None).label("key"), *[
            func.coalesce(sums.c[name], 0).label(name) for name in MEASURES])
        p90 = self._p90.get(dimension or "total", {})
        found = [KpiRow(key=row.key, wait_p90_min=p90.get(row.key),
                        **{name: int(row[i + 1]) for i, name in enumerate(MEASURES)})
                 for row in self.session.execute(statement)]
        if not found:  # no row at all in the period
            found = [] if dimension else [KpiRow(key=None)]
        return sorted(found, key=lambda r: (r.key is None, r.key))

    @cached_property
    def _p90(self) -> dict[str, dict[Key, int]]:
        """90th percentile wait (nearest rank, whole minutes) of the period and per value
        of each breakdown asked for: the smallest minute by which 90 % of the called
        tickets had been called. One statement; when service, counter or staff are asked
        for, the period's histogram is first summed over its days (a few thousand rows
        whatever the period) and they are counted from that."""
        wait: Keys = [("wait_min", lambda r: r.c.wait_min)]
        others = [d for d in self.breakdowns if d != "day"]
        sources = self._wait_sources
        if others:
            grain: Keys = [(c, lambda r, c=c: r.c[c]) for c in GRAIN[1:]]  # type: ignore[misc]
            collapsed = self._sum(sources, grain + wait, ["tickets"], "collapsed")
            sources = [(collapsed, [])]

        def per(name: str, found: list[tuple[Any, list[Any]]], column: str | None) -> Any:
            keys: Keys = [("key", lambda r: r.c[column])] if column else []
            sums = self._sum(found, keys + wait, ["tickets"])
            # one column of keys for every breakdown: as text (read back by _typed)
            return select(literal(name, String).label("dimension"),
                          cast(sums.c.key, String).label("key") if column else
                          null().label("key"),
                          sums.c.wait_min, sums.c.tickets.label("n"))

        parts = [per("total", sources, None)]
        parts += [per(d, sources, DIMENSIONS[d]) for d in others]
        if "day" in self.breakdowns:  # the one breakdown that needs every day's rows
            parts.append(per("day", self._wait_sources, "business_date"))
        counted = union_all(*parts).subquery("counted")
        group = [counted.c.dimension, counted.c.key]
        running = select(
            counted.c.dimension, counted.c.key, counted.c.wait_min,
            func.sum(counted.c.n).over(partition_by=group,
                                       order_by=counted.c.wait_min).label("cum"),
            func.sum(counted.c.n).over(partition_by=group).label("total"),
        ).subquery("running")
        statement = (select(running.c.dimension, running.c.key, func.min(running.c.wait_min))
                     .where(running.c.cum * 10 >= running.c.total * 9)
                     .group_by(running.c.dimension, running.c.key))
        found: dict[str, dict[Key, int]] = {}
        for dimension, key, minutes in self.session.execute(statement):
            found.setdefault(dimension, {})[_typed(dimension, key)] = int(minutes)
        return found

    def hours(self) -> tuple[tuple[int, int], ...]:
        live = [hour_grain(self.branch.id, days, offset)
                for offset, days in by_offset(self.branch.timezone,
                                              self.plan.unrolled).items()]
        sums = self._sum(self._sources(KpiHour.__table__, live),
                         [("hour", lambda r: r.c.hour)], ["issued"])
        statement = select(sums.c.hour, sums.c.issued).order_by(sums.c.hour)
        return tuple((int(h), int(n)) for h, n in self.session.execute(statement) if n)


__all__ = ["DIMENSIONS", "MAX_DAYS", "SATISFACTION_FLOOR", "KpiFilter", "KpiRow", "KpiSet",
           "compute"]
