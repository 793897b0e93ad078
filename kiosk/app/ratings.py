"""Customer satisfaction: the counter terminal's on-screen rating (for a counter without
a keypad) and the report of a period (rates per counter and per staff member)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.results import Result, json_key
from kiosk.branch.info import load_branch
from kiosk.feedback import ratings


@dataclass(frozen=True)
class RatingGiven(Result):
    ticket: str
    value: str
    counter: int | None
    staff: str | None
    source: str


@dataclass(frozen=True)
class Figures(Result):
    """Ratings given (``not rated`` excluded), timeouts, and the two rates: satisfied
    ÷ given, answered requests ÷ requests that ended (None when nothing to divide)."""

    given: int
    not_rated: int
    satisfaction_rate: float | None
    participation_rate: float | None


@dataclass(frozen=True)
class CounterFigures(Figures):
    counter: int | None


@dataclass(frozen=True)
class StaffFigures(Figures):
    staff: str | None


@dataclass(frozen=True)
class RatingReport(Figures):
    """The ratings of business days ``from_``..``to`` (JSON ``from``, ``to``), with
    the count of each value."""

    branch: str
    from_: str = field(metadata=json_key("from"))
    to: str
    scale: int
    unsolicited: int
    counts: dict[str, int]
    by_counter: tuple[CounterFigures, ...]
    by_staff: tuple[StaffFigures, ...]


def rate_on_screen(app: AppContext, ticket: str, value: str) -> RatingGiven:
    """Store the rating a customer chose on the counter's screen (``none``: they left
    without choosing); counter and staff are those that finished the ticket."""
    with app.write() as session:
        rating = ratings.rate_on_screen(session, load_branch(session), ticket, value,
                                        at=clock.now())
        return RatingGiven(ticket.upper(), rating.value, rating.counter_number, rating.staff,
                           rating.source)


def rating_report(app: AppContext, first: date | None = None,
                  last: date | None = None) -> RatingReport:
    """The report of business days ``first``..``last`` (default: today; ``last``
    defaults to ``first``)."""
    with app.read() as session:
        branch = load_branch(session)
        first = first or branch.business_date(clock.now())
        report = ratings.rating_report(session, branch, first, last or first)
    return RatingReport(
        **_figures(report), branch=report["branch"], from_=report["from"], to=report["to"],
        scale=report["scale"], unsolicited=report["unsolicited"], counts=dict(report["counts"]),
        by_counter=tuple(CounterFigures(**_figures(c), counter=c["counter"])
                         for c in report["by_counter"]),
        by_staff=tuple(StaffFigures(**_figures(s), staff=s["staff"]) for s in report["by_staff"]))


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("given", "not_rated", "satisfaction_rate", "participation_rate")}


__all__ = ["CounterFigures", "Figures", "RatingGiven", "RatingReport", "StaffFigures",
           "rate_on_screen", "rating_report"]
