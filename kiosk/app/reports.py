"""Service KPIs and the daily and monthly reports (docs/reports.md).

- :func:`kpis`: every KPI of a day, month or range of days, for the whole period and
  by day, service, counter and staff member, optionally for one service, counter or
  staff member (the KPI page, ``kiosk report ... --json``);
- :func:`kiosk.app.report_files.write_report`: the report of a period as PDF and/or
  CSV files (audited: it exports the branch's figures), with progress and cancel;
- :func:`roll_up`: write the daily rollup of every final day of a period
  (``kiosk report rollup``); :func:`roll_up_recent` is what ``kiosk day close`` runs.

A documented sequence of units of work: the final days of the period not rolled up
yet are rolled up first, one short write transaction per day (so SQLite's write lock
is never held for long, and a day is never written twice: see
:mod:`kiosk.reports.rollup`), then the figures are read in one read unit of work.
Tickets are counted, never listed: nothing here holds a customer's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.staff import requires
from kiosk.app.validate import text, whole
from kiosk.branch.info import load_branch
from kiosk.errors import KioskError
from kiosk.reports.content import below_floor
from kiosk.reports.kpi import (
    DIMENSIONS,
    SATISFACTION_FLOOR,
    KpiFilter,
    KpiRow,
    KpiSet,
    compute,
)
from kiosk.reports.labels import Names, load_names
from kiosk.reports.periods import Period
from kiosk.reports.rollup import plan_days, roll_up_day
from kiosk.staff.permissions import Permission, StaffSession

Progress = Callable[[int, int, str], None]
"""``progress(done, total, step)``: ``step`` is ``rollup``, ``figures``, ``pdf``, ``csv``."""
Cancelled = Callable[[], bool]
RECENT_DAYS = 62
"""How far back ``kiosk day close`` rolls up final days (a month's report and the one
before it); older days are rolled up by ``kiosk report rollup`` or when first asked."""


class ReportCancelled(KioskError):
    """The report was cancelled before its files were written (code ``cancelled``);
    nothing was left behind."""


@dataclass(frozen=True)
class KpiFigures(Result):
    """One row of the KPIs: the period (``key`` None) or one value of a breakdown
    (a day ``YYYY-MM-DD``, a service code, a counter number, a staff number; None in a
    breakdown: never called, or an unsolicited rating's missing service), with its name
    in both languages, the counts it is made of and the rates (None: nothing to divide)."""

    key: str | int | None
    name_zh: str
    name_en: str
    issued: int
    called: int
    served: int
    no_show: int
    cancelled: int
    expired: int
    within_target: int
    rated: int
    satisfied: int
    not_rated: int
    answered: int
    unsolicited: int
    wait_avg_s: float | None
    wait_p90_min: int | None
    within_target_rate: float | None
    handle_avg_s: float | None
    no_show_rate: float | None
    satisfaction_rate: float | None
    participation_rate: float | None
    below_floor: bool


@dataclass(frozen=True)
class HourCount(Result):
    hour: int
    issued: int


@dataclass(frozen=True)
class KpiReport(Result):
    """The KPIs of business days ``first``..``last`` (a ``day``, a ``month`` or a
    ``range``), narrowed to ``service``/``counter``/``staff`` when given."""

    branch: str
    kind: str
    label: str
    first: str
    last: str
    service: str | None
    counter: int | None
    staff: str | None
    floor: float
    total: KpiFigures
    by_day: tuple[KpiFigures, ...]
    by_service: tuple[KpiFigures, ...]
    by_counter: tuple[KpiFigures, ...]
    by_staff: tuple[KpiFigures, ...]
    by_hour: tuple[HourCount, ...]
    live_days: int
    """Days computed from the tickets (today, or a past day with tickets still open)."""
    rolled_now: int
    """Final days this call rolled up first."""


@dataclass(frozen=True)
class FilterChoice(Result):
    key: str | int
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class KpiChoices(Result):
    """What a KPI request may be narrowed to, and the branch's business day today."""

    today: str
    services: tuple[FilterChoice, ...]
    counters: tuple[FilterChoice, ...]
    staff: tuple[FilterChoice, ...]


@dataclass(frozen=True)
class RolledUp(Result):
    first: str
    last: str
    written: int
    """Days written now."""
    already: int
    """Days written before."""
    pending: tuple[str, ...]
    """Days not final yet (today, or tickets still open): rolled up later."""


# ----- use cases ---------------------------------------------------------------------

@requires(Permission.REPORTS)
def kpis(app: AppContext, staff: StaffSession, period: Period, *,
         kpi_filter: KpiFilter | None = None,
         breakdowns: tuple[str, ...] = tuple(DIMENSIONS),
         progress: Progress | None = None, cancelled: Cancelled | None = None) -> KpiReport:
    """The KPIs of ``period``. Final days not rolled up yet are rolled up first (one
    short transaction each, reported to ``progress``; ``cancelled`` stops before the
    next: ``ReportCancelled``)."""
    read = read_period(app, period, kpi_filter or KpiFilter(), breakdowns, progress,
                       cancelled)
    return report_of(period, read)


@requires(Permission.REPORTS)
def roll_up(app: AppContext, staff: StaffSession, first: date | None = None,
            last: date | None = None) -> RolledUp:
    """Roll up every final day of ``first``..``last`` not written yet (default: from
    the first day with a ticket to yesterday)."""
    return _roll_up(app, first, last)


def roll_up_recent(app: AppContext) -> RolledUp:
    """The final days of the last :data:`RECENT_DAYS` days that have tickets or come
    after a day that has (``kiosk day close``)."""
    return _roll_up(app, None, None, not_before=_today(app) - timedelta(days=RECENT_DAYS))


@requires(Permission.REPORTS)
def kpi_choices(app: AppContext, staff: StaffSession) -> KpiChoices:
    """The services, counters and staff members a KPI request may be narrowed to."""
    from sqlalchemy import select

    from kiosk.models import Counter

    with app.read() as session:
        branch = load_branch(session)
        names = load_names(session, branch)
        counters = session.scalars(select(Counter.number).where(
            Counter.branch_id == branch.id).order_by(Counter.number)).all()
        today = branch.business_date(clock.now())
    return KpiChoices(
        today=today.isoformat(),
        services=tuple(FilterChoice(code, zh, en) for code, (zh, en) in names.services.items()),
        counters=tuple(FilterChoice(n, *names.label("counter", n)) for n in counters),
        staff=tuple(FilterChoice(number, *names.label("staff", number))
                    for number in sorted(names.staff)))


# ----- the steps ---------------------------------------------------------------------

def _today(app: AppContext) -> date:
    with app.read() as session:
        return load_branch(session).business_date(clock.now())


def _roll_up(app: AppContext, first: date | None, last: date | None,
             progress: Progress | None = None, cancelled: Cancelled | None = None, *,
             not_before: date | None = None) -> RolledUp:
    """Roll up the final days of ``first``..``last`` (default: the first day with a
    ticket, or ``not_before`` if later, to yesterday), one transaction each."""
    from sqlalchemy import func, select

    from kiosk.models import Ticket

    with app.read() as session:
        branch = load_branch(session)
        today = branch.business_date(clock.now())
        if first is None:
            first = session.scalar(select(func.min(Ticket.business_date)).where(
                Ticket.branch_id == branch.id)) or today
            first = max(first, not_before or first)
        last = min(last or today - timedelta(days=1), today)
        if last < first:
            return RolledUp(first.isoformat(), last.isoformat(), 0, 0, ())
        plan = plan_days(session, branch, first, last, today)
    written = 0
    for i, day in enumerate(plan.ready):
        if cancelled is not None and cancelled():
            raise ReportCancelled("已取消", "cancelled", code="cancelled")
        with app.write() as session:
            written += roll_up_day(session, load_branch(session), day, now=clock.now())
        if progress is not None:
            progress(i + 1, len(plan.ready), "rollup")
    return RolledUp(first.isoformat(), last.isoformat(), written,
                    len(plan.rolled) + len(plan.ready) - written,
                    tuple(d.isoformat() for d in plan.live))


@dataclass(frozen=True)
class PeriodRead:
    """What one read of a period gives: its KPIs (kiosk.reports), the names of their
    rows, the branch and when it was read (for the files of :mod:`report_files`)."""

    kpis: KpiSet
    names: Names
    branch_zh: str
    branch_en: str
    generated: str
    rolled_now: int


def checked_filter(kpi_filter: KpiFilter) -> KpiFilter:
    """``kpi_filter`` with its values checked against their columns (a usage error
    naming the field, on both backends)."""
    from kiosk.models import KpiDay

    counter = kpi_filter.counter
    return KpiFilter(
        service=text(kpi_filter.service, KpiDay.service_code, "业务代码", "the service code"),
        counter=whole(counter, "窗口号", "the counter number") if counter is not None else None,
        staff=text(kpi_filter.staff, KpiDay.staff, "工号", "the staff number"))


def read_period(app: AppContext, period: Period, kpi_filter: KpiFilter,
                breakdowns: tuple[str, ...], progress: Progress | None,
                cancelled: Cancelled | None) -> PeriodRead:
    """Roll up the period's final days, then read its KPIs (one read unit of work)."""
    kpi_filter = checked_filter(kpi_filter)
    rolled = _roll_up(app, period.first, period.last, progress, cancelled)
    if cancelled is not None and cancelled():
        raise ReportCancelled("已取消", "cancelled", code="cancelled")
    with app.read() as session:
        branch = load_branch(session)
        now = clock.now()
        found = compute(session, branch, period.first, period.last,
                        today=branch.business_date(now), kpi_filter=kpi_filter,
                        breakdowns=breakdowns)
        names = load_names(session, branch)
    return PeriodRead(found, names, branch.name_zh, branch.name_en,
                 branch.local(now).strftime("%Y-%m-%d %H:%M"), rolled.written)


def report_of(period: Period, read: PeriodRead) -> KpiReport:
    found, names, kpi_filter = read.kpis, read.names, read.kpis.filter
    by = {d: tuple(_figures(names, d, r) for r in sorted(
        found.breakdowns.get(d, ()), key=lambda r: (names.order(d, r.key),
                                                    r.key is None, str(r.key))))
          for d in DIMENSIONS}
    return KpiReport(
        branch=read.branch_zh, kind=period.kind, label=period.label,
        first=period.first.isoformat(), last=period.last.isoformat(),
        service=kpi_filter.service, counter=kpi_filter.counter, staff=kpi_filter.staff,
        floor=SATISFACTION_FLOOR, total=_figures(names, "total", found.total),
        by_day=by["day"], by_service=by["service"], by_counter=by["counter"],
        by_staff=by["staff"], by_hour=tuple(HourCount(h, n) for h, n in found.by_hour),
        live_days=len(found.plan.live), rolled_now=read.rolled_now)


def _figures(names: Names, dimension: str, row: KpiRow) -> KpiFigures:
    key = row.key.isoformat() if isinstance(row.key, date) else row.key
    zh, en = ("合计", "Total") if dimension == "total" else names.label(dimension, row.key)
    return KpiFigures(
        key=key, name_zh=zh, name_en=en, issued=row.issued, called=row.called,
        served=row.served, no_show=row.no_show, cancelled=row.cancelled,
        expired=row.expired, within_target=row.within_target, rated=row.rated,
        satisfied=row.satisfied, not_rated=row.not_rated, answered=row.answered,
        unsolicited=row.unsolicited, wait_avg_s=row.wait_avg_s,
        wait_p90_min=row.wait_p90_min, within_target_rate=row.within_target_rate,
        handle_avg_s=row.handle_avg_s, no_show_rate=row.no_show_rate,
        satisfaction_rate=row.satisfaction_rate, participation_rate=row.participation_rate,
        below_floor=below_floor(row))


__all__ = ["RECENT_DAYS", "Cancelled", "FilterChoice", "HourCount", "KpiChoices",
           "KpiFigures", "KpiReport", "PeriodRead", "Progress", "ReportCancelled", "RolledUp",
           "kpi_choices", "kpis", "read_period", "report_of", "roll_up", "roll_up_recent"]
