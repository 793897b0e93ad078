"""An independent count of the service KPIs, for the tests of ``kiosk.reports``.

Reads every ticket, call event and rating of the period through the ORM and counts in
Python, from the definitions in docs/reports.md, without any of the SQL under test:
the wait comes from the call events (not ``called_at``), the hour from the branch's
time zone (not an offset), the percentile from the sorted waits (not a histogram).
"""

from __future__ import annotations

import math
import random
from collections import Counter as Tally
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo, load_branch
from kiosk.db import unit_of_work
from kiosk.feedback.ratings import rate_on_screen, record_unsolicited
from kiosk.models import Rating, Service, Ticket, TicketEvent
from kiosk.queue.lobby import Lobby
from kiosk.seed import seed_history

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DIMENSIONS = ("day", "service", "counter", "staff")
PHONE = "13812345678"
"""A customer's phone number that :func:`report_history` types into free text."""


def whole_seconds(instant: datetime) -> int:
    return (instant - EPOCH) // timedelta(seconds=1)


@dataclass
class Counted:
    tally: Tally[str] = field(default_factory=Tally)
    waits: list[int] = field(default_factory=list)

    def p90_min(self) -> int | None:
        if not self.waits:
            return None
        ordered = sorted(self.waits)
        nearest = ordered[math.ceil(0.9 * len(ordered)) - 1]
        return -(-nearest // 60)  # whole minutes, rounded up


@dataclass
class Independent:
    total: Counted
    by: dict[str, dict[Any, Counted]]
    hours: Tally[int]


def count(session: Session, branch: BranchInfo, first: date, last: date,
          wanted: dict[str, Any] | None = None) -> Independent:
    """The KPI counts of ``first``..``last``; ``wanted`` narrows to grain values
    (``{"service": "claims"}``)."""
    wanted = wanted or {}
    targets = {s.code: s.target_wait_min for s in session.scalars(
        select(Service).where(Service.branch_id == branch.id))}
    tickets = list(session.scalars(select(Ticket).where(
        Ticket.branch_id == branch.id, Ticket.business_date >= first,
        Ticket.business_date <= last)))
    calls: dict[int, list[datetime]] = defaultdict(list)
    for event in session.scalars(select(TicketEvent).where(
            TicketEvent.branch_id == branch.id,
            TicketEvent.kind.in_(("call", "call_specific")))):
        calls[event.ticket_id].append(event.at)
    asked_for = dict(session.execute(select(Ticket.id, Ticket.issue_service).where(
        Ticket.branch_id == branch.id)).all())
    total, hours = Counted(), Tally[int]()
    by: dict[str, dict[Any, Counted]] = {d: defaultdict(Counted) for d in DIMENSIONS}

    def places(grain: dict[str, Any]) -> list[Counted]:
        return [total, *(by[d][grain[d]] for d in DIMENSIONS)]

    def chosen(grain: dict[str, Any]) -> bool:
        return all(grain[k] == v for k, v in wanted.items())

    for ticket in tickets:
        grain = {"day": ticket.business_date, "service": ticket.issue_service,
                 "counter": ticket.counter_number, "staff": ticket.staff}
        if not chosen(grain):
            continue
        hours[branch.local(ticket.issued_at).hour] += 1
        first_call = min(calls[ticket.id]) if calls[ticket.id] else None
        wait = (max(0, whole_seconds(first_call) - whole_seconds(ticket.issued_at))
                if first_call is not None else None)
        for place in places(grain):
            tally = place.tally
            tally["issued"] += 1
            tally[ticket.status] += 1
            if wait is not None:
                tally["called"] += 1
                tally["wait_sum_s"] += wait
                place.waits.append(wait)
                if wait <= targets[ticket.issue_service] * 60:
                    tally["within_target"] += 1
            if ticket.status == "done":
                began = ticket.started_at or ticket.called_at
                assert began is not None
                assert ticket.finished_at is not None
                tally["handle_sum_s"] += max(
                    0, whole_seconds(ticket.finished_at) - whole_seconds(began))

    for rating in session.scalars(select(Rating).where(
            Rating.branch_id == branch.id, Rating.business_date >= first,
            Rating.business_date <= last)):
        grain = {"day": rating.business_date,
                 "service": asked_for.get(rating.ticket_id) if rating.ticket_id else None,
                 "counter": rating.counter_number, "staff": rating.staff}
        if not chosen(grain):
            continue
        for place in places(grain):
            tally = place.tally
            if rating.value == "none":
                tally["not_rated"] += 1
                continue
            tally["rated"] += 1
            tally["satisfied"] += rating.value in ("very_satisfied", "satisfied")
            tally["answered"] += rating.solicited
            tally["unsolicited"] += not rating.solicited
    return Independent(total, {d: dict(v) for d, v in by.items()}, hours)


def expected_row(counted: Counted) -> dict[str, Any]:
    """The figures a ``KpiRow`` must hold for ``counted``."""
    t = counted.tally
    return {
        "issued": t["issued"], "called": t["called"], "served": t["done"],
        "no_show": t["no_show"], "cancelled": t["cancelled"], "expired": t["expired"],
        "within_target": t["within_target"], "wait_sum_s": t["wait_sum_s"],
        "handle_sum_s": t["handle_sum_s"], "rated": t["rated"], "satisfied": t["satisfied"],
        "not_rated": t["not_rated"], "answered": t["answered"],
        "unsolicited": t["unsolicited"], "wait_p90_min": counted.p90_min(),
    }


def row_figures(row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in expected_row(Counted())}


def rate_history(session: Session, branch: BranchInfo, today: date) -> None:
    """Ratings for the seeded days' finished tickets seed-demo left unrated (it rates
    them itself now, so there may be none left): about half rated, some timed out, a
    few unsolicited ratings."""
    rng = random.Random(7)
    rated = set(session.scalars(select(Rating.ticket_id).where(Rating.ticket_id.is_not(None))))
    done = [t for t in session.scalars(select(Ticket).where(
        Ticket.status == "done", Ticket.business_date < today)) if t.id not in rated]
    values = ["very_satisfied", "satisfied", "neutral", "dissatisfied", "none"]
    rows = [{"branch_id": branch.id, "ticket_id": t.id, "business_date": t.business_date,
             "rated_at": t.finished_at, "counter_number": t.counter_number,
             "staff": t.staff, "value": rng.choice(values), "solicited": True,
             "source": "keypad"} for t in done if rng.random() < 0.5]
    rows += [{"branch_id": branch.id, "ticket_id": None, "business_date": t.business_date,
              "rated_at": t.finished_at, "counter_number": t.counter_number, "staff": t.staff,
              "value": "neutral", "solicited": False, "source": "keypad"} for t in done[:25]]
    if rows:  # an empty list would insert one row of defaults
        session.execute(insert(Rating), rows)


def morning(engine: Engine, start: datetime) -> None:
    """A morning of real queue actions: served, no-show, cancelled, transferred, one
    still waiting, a call stamped before its issue (clock stepped back), ratings."""
    def at(minutes: float) -> Lobby:
        return Lobby(session, now=start + timedelta(minutes=minutes, microseconds=731_000))

    with unit_of_work(engine, write=True) as session:
        lobby = at(0)
        for counter in (1, 4, 5, 6):
            lobby.open_counter(counter, f"S0{counter}")
        for code in ("enquiry", "enquiry", "claims", "claims", "claims", "enquiry"):
            lobby.take(code)
        at(4.5).call_next(1)                       # A001: wait 4.5 min
        at(9).finish(1)
        at(9.2).call_next(4)                       # D001
        at(10).recall(4)
        at(11).recall(4)
        at(12).no_show(4)
        at(13).call_next(5)                        # D002
        at(14).start(5)
        at(15).transfer(5, "policy_change")        # D002 waits again, for policy changes
        at(25).call_next(4)                        # D003: 25 min, over claims' 20
        at(30).finish(4)
        at(31).call_next(5)                        # D002 again: its first wait stays 13 min
        at(40).finish(5)
        at(41).cancel("A002")
        at(45).take("payments")                    # E001 ...
        at(44).call_next(6)                        # ... called "before" it was issued
        at(47).finish(6)
        # A003 is still waiting
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session)
        rate_on_screen(session, branch, "A001", "satisfied", at=start + timedelta(minutes=50))
        rate_on_screen(session, branch, "D002", "dissatisfied", at=start + timedelta(minutes=50))
        rate_on_screen(session, branch, "E001", "none", at=start + timedelta(minutes=50))
        record_unsolicited(session, branch, 4, "very_satisfied", at=start + timedelta(minutes=51))


def report_history(engine: Engine, now: datetime) -> None:
    """Three days of seed-demo history before ``now``, rated, then :func:`morning` from
    ``now``; an hour later a cancellation whose reason holds :data:`PHONE` (free text
    staff may type), which no report may show."""
    seed_history(engine, days=3, seed=2, now=now)
    with unit_of_work(engine, write=True) as session:
        rate_history(session, load_branch(session), now.date())
    morning(engine, now)
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=now + timedelta(hours=1))
        lobby.cancel(lobby.take("enquiry").number, reason=f"客户来电 {PHONE} 改约")
