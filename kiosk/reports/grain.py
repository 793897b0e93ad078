"""The service KPIs at their grain, computed from the ticket, event and rating tables.

One grain is a business day and (the service the customer asked for, the counter and
the staff member who last had the ticket). The same statements fill the daily rollup
(``INSERT ... SELECT``, :mod:`kiosk.reports.rollup`) and stand in for it on days not
rolled up yet (today), so a figure never depends on which of the two it came from.

Definitions (docs/reports.md):

- times are whole seconds on the clock: each instant truncated to its second, so the
  database's arithmetic is exact integer arithmetic on both backends;
- **wait**: issue to the ticket's first call (a transferred ticket keeps its first
  wait), never below 0 (a clock stepped back); tickets never called have none;
- **within target**: wait ≤ the target wait of the service asked for;
- **handling**: start (or call) to finish of a served (``done``) ticket, never below 0;
- **wait histogram**: waits in whole minutes rounded up (0: called at once), for the
  90th percentile, which is therefore given to the whole minute;
- **ratings** count on the day they were given, for the rating's counter and staff
  (as the rating report does), under the service of the rated ticket (none for an
  unsolicited rating).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Integer, and_, case, cast, func, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement, Select

from kiosk.feedback.ratings import SATISFIED
from kiosk.models import Rating, Service, Ticket, TicketEvent
from kiosk.models.keypads import NOT_RATED

CALL_KINDS = ("call", "call_specific")
DAY_S = 86_400

# The additive measures of a grain, in the order of KpiDay's columns.
TICKET_MEASURES = ("issued", "called", "served", "no_show", "cancelled", "expired",
                   "within_target", "wait_sum_s", "handle_sum_s")
RATING_MEASURES = ("rated", "satisfied", "not_rated", "answered", "unsolicited")
MEASURES = TICKET_MEASURES + RATING_MEASURES
GRAIN = ("business_date", "service_code", "counter_number", "staff")


class epoch_s(FunctionElement[int]):  # noqa: N801 - a SQL function, named like one
    """Whole seconds since 1970 of a UTC instant column, its fraction dropped."""

    type = BigInteger()
    inherit_cache = True


@compiles(epoch_s, "sqlite")
def _epoch_sqlite(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC). The fraction is cut off as text:
    # strftime rounds it to milliseconds first, which can carry into the next second.
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST(strftime('%s', substr({column}, 1, 19)) AS INTEGER)"


@compiles(epoch_s, "postgresql")
def _epoch_postgresql(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    return f"CAST(floor(extract(epoch FROM {column})) AS BIGINT)"


def _days(column: Any, days: Sequence[date]) -> Any:
    first, last = min(days), max(days)
    if len(days) == (last - first).days + 1:
        return and_(column >= first, column <= last)
    return column.in_(list(days))


class nonnegative(FunctionElement[int]):  # noqa: N801 - a SQL function, named like one
    """``x`` where it is above 0, else 0; NULL stays NULL (a duration never runs
    backwards when the clock stepped back)."""

    type = BigInteger()
    inherit_cache = True


@compiles(nonnegative, "sqlite")
def _nonnegative_sqlite(element: nonnegative, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's two-argument max() is NULL when either argument is
    return f"max({compiler.process(list(element.clauses)[0], **kw)}, 0)"


@compiles(nonnegative, "postgresql")
def _nonnegative_postgresql(element: nonnegative, compiler: SQLCompiler, **kw: Any) -> str:
    # GREATEST ignores NULLs (GREATEST(NULL, 0) is 0): keep the NULL explicitly
    value = compiler.process(list(element.clauses)[0], **kw)
    return f"(CASE WHEN {value} IS NULL THEN NULL ELSE GREATEST({value}, 0) END)"


def ticket_times(branch_id: str, days: Sequence[date]) -> Any:
    """Each ticket of ``days`` at its grain with its status, the second it was issued,
    its wait and handling time in whole seconds (None where there is none) and its
    service's target wait. A materialised common table expression: each statement
    computes it once, however often it refers to its columns."""
    # The first call: ``called_at`` unless the ticket was transferred, which clears it
    # for the next queue (only then are its events read).
    first_call_at = case(
        (Ticket.transferred_from.is_(None), Ticket.called_at),
        else_=select(func.min(TicketEvent.at)).where(
            TicketEvent.ticket_id == Ticket.id, TicketEvent.kind.in_(CALL_KINDS))
        .scalar_subquery())
    began = func.coalesce(Ticket.started_at, Ticket.called_at)
    wait = nonnegative(epoch_s(first_call_at) - epoch_s(Ticket.issued_at))
    handle = case((Ticket.status == "done",
                   nonnegative(epoch_s(Ticket.finished_at) - epoch_s(began))), else_=None)
    return (
        select(Ticket.business_date, Ticket.issue_service.label("service_code"),
               Ticket.counter_number, Ticket.staff, Ticket.status,
               epoch_s(Ticket.issued_at).label("issued_s"), wait.label("wait_s"),
               handle.label("handle_s"), Service.target_wait_min)
        .outerjoin(Service, and_(Service.branch_id == Ticket.branch_id,
                                 Service.code == Ticket.issue_service))
        .where(Ticket.branch_id == branch_id, _days(Ticket.business_date, days))
        .cte("ticket_times").prefix_with("MATERIALIZED"))


def _count_if(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def ticket_grain(branch_id: str, days: Sequence[date]) -> Select[Any]:
    """Ticket measures per grain (rating measures 0), for :func:`day_grain`."""
    t = ticket_times(branch_id, days)
    zero = [literal(0, Integer).label(name) for name in RATING_MEASURES]
    return (select(
        t.c.business_date, t.c.service_code, t.c.counter_number, t.c.staff,
        func.count().label("issued"), func.count(t.c.wait_s).label("called"),
        _count_if(t.c.status == "done").label("served"),
        _count_if(t.c.status == "no_show").label("no_show"),
        _count_if(t.c.status == "cancelled").label("cancelled"),
        _count_if(t.c.status == "expired").label("expired"),
        _count_if(t.c.wait_s <= t.c.target_wait_min * 60).label("within_target"),
        func.coalesce(func.sum(t.c.wait_s), 0).label("wait_sum_s"),
        func.coalesce(func.sum(t.c.handle_s), 0).label("handle_sum_s"), *zero)
        .group_by(t.c.business_date, t.c.service_code, t.c.counter_number, t.c.staff))


def rating_grain(branch_id: str, days: Sequence[date]) -> Any:
    """Rating measures per grain (ticket measures 0), for :func:`day_grain`."""
    given = Rating.value != NOT_RATED
    zero = [literal(0, Integer).label(name) for name in TICKET_MEASURES]
    statement: Any = (select(
        Rating.business_date, Ticket.issue_service.label("service_code"),
        Rating.counter_number, Rating.staff, *zero,
        _count_if(given).label("rated"),
        _count_if(Rating.value.in_(SATISFIED)).label("satisfied"),
        _count_if(Rating.value == NOT_RATED).label("not_rated"),
        _count_if(and_(given, Rating.solicited.is_(True))).label("answered"),
        _count_if(Rating.solicited.is_(False)).label("unsolicited"))
        .outerjoin(Ticket, Ticket.id == Rating.ticket_id)
        .where(Rating.branch_id == branch_id, _days(Rating.business_date, days))
        .group_by(Rating.business_date, Ticket.issue_service, Rating.counter_number,
                  Rating.staff))
    return statement


def day_grain(branch_id: str, days: Sequence[date]) -> Select[Any]:
    """Every measure per grain of ``days``: the rows of ``kpi_day``."""
    both = ticket_grain(branch_id, days).union_all(rating_grain(branch_id, days)) \
        .subquery("both")
    keys = [both.c[name] for name in GRAIN]
    sums = [func.sum(both.c[name]).label(name) for name in MEASURES]
    statement: Select[Any] = select(*keys, *sums).group_by(*keys)
    return statement


def wait_grain(branch_id: str, days: Sequence[date]) -> Select[Any]:
    """Tickets per grain and wait in whole minutes rounded up: the rows of ``kpi_wait``."""
    t = ticket_times(branch_id, days)
    minutes = cast((t.c.wait_s + 59) // 60, Integer).label("wait_min")
    return (select(t.c.business_date, t.c.service_code, t.c.counter_number, t.c.staff,
                   minutes, func.count().label("tickets"))
            .where(t.c.wait_s.is_not(None))
            .group_by(t.c.business_date, t.c.service_code, t.c.counter_number, t.c.staff,
                      minutes))


def hour_grain(branch_id: str, days: Sequence[date], utc_offset_s: int) -> Select[Any]:
    """Tickets per grain and local hour of issue: the rows of ``kpi_hour``. The days
    given must share ``utc_offset_s`` (the caller splits them at a DST change)."""
    t = ticket_times(branch_id, days)
    hour = cast(((t.c.issued_s + utc_offset_s) % DAY_S) // 3600, Integer).label("hour")
    return (select(t.c.business_date, t.c.service_code, t.c.counter_number, t.c.staff,
                   hour, func.count().label("issued"))
            .group_by(t.c.business_date, t.c.service_code, t.c.counter_number, t.c.staff,
                      hour))


__all__ = ["GRAIN", "MEASURES", "RATING_MEASURES", "TICKET_MEASURES", "day_grain",
           "epoch_s", "hour_grain", "nonnegative", "rating_grain", "ticket_grain", "ticket_times",
           "wait_grain"]
