"""Realistic history for demos, reports and benchmarks (``kiosk seed-demo``).

Past business days only (today stays untouched), following the branch calendar:
arrivals peak mid-morning and mid-afternoon, a typical service mix, handling times
spread around each service's target, a few no-shows and cancellations, care
priority for some customers, the keypad ratings of finished customers. Rows go in
with bulk inserts, a few days per transaction, so a year (~500k tickets, ~2M events,
~420k ratings) takes a few minutes.
"""

from __future__ import annotations

import math
import random
import time as timer
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, insert, select

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused, UsageError
from kiosk.models import (
    Base,
    Counter,
    CounterService,
    Rating,
    RatingRequest,
    Service,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from kiosk.models.keypads import NOT_RATED
from kiosk.queue import feed

# Share of the day's customers per service (what a large branch sees).
SERVICE_MIX = {"enquiry": 0.22, "new_business": 0.08, "policy_change": 0.18, "claims": 0.22,
               "payments": 0.20, "complaints": 0.04, "vip": 0.06}
# Relative arrivals by local hour (0-23): a morning peak and an afternoon peak.
HOUR_WEIGHT = {8: 0.6, 9: 1.6, 10: 1.8, 11: 1.3, 12: 0.6, 13: 0.9, 14: 1.5, 15: 1.4,
               16: 1.0, 17: 0.4}
WEEKDAY_VOLUME = 1900  # customers on a full weekday
CARE_SHARE, NO_SHOW_SHARE, CANCEL_SHARE = 0.06, 0.04, 0.01
DAYS_PER_TRANSACTION = 10
# How finished customers answer the keypad (very satisfied … very dissatisfied), and
# the share who walk away without pressing (stored as "not rated").
RATING_WEIGHTS = {"very_satisfied": 0.55, "satisfied": 0.28, "neutral": 0.09,
                  "dissatisfied": 0.03, "very_dissatisfied": 0.01}
NOT_RATED_SHARE = 0.04


def seed_history(engine: Engine, days: int, seed: int = 1,
                 now: datetime | None = None) -> dict[str, Any]:
    """Fill the ``days`` calendar days before today with tickets and their events."""
    if days < 1:
        raise UsageError(f"天数须至少为 1，收到 {days}", f"--days must be at least 1, got {days}")
    started = timer.perf_counter()
    rng = random.Random(seed)
    now = now or clock.now()
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        today = branch.business_date(now)
        services = {s.code: s for s in session.scalars(
            select(Service).where(Service.branch_id == branch.id))}
        serving: dict[str, list[int]] = {code: [] for code in services}
        for number, code in session.execute(
                select(Counter.number, Service.code)
                .join(CounterService, CounterService.counter_id == Counter.id)
                .join(Service, Service.id == CounterService.service_id)
                .where(Counter.branch_id == branch.id)):
            serving[code].append(number)
        first = today - timedelta(days=days)
        existing = session.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.branch_id == branch.id, Ticket.business_date >= first,
            Ticket.business_date < today))
    if existing:
        raise RuleRefused("这段日期已有历史数据，请在空数据库中生成演示数据",
                          "the database already has tickets in that period; seed an empty "
                          "database", code="has_history")

    mix = [(code, share) for code, share in SERVICE_MIX.items()
           if code in services and services[code].enabled and serving[code]]
    total_tickets = business_days = 0
    day = first
    while day < today:
        batch = [day + timedelta(days=i) for i in range(DAYS_PER_TRANSACTION)
                 if day + timedelta(days=i) < today]
        with unit_of_work(engine, write=True) as session:
            for d in batch:
                made = _seed_day(session, branch, d, rng, services, serving, mix)
                total_tickets += made
                business_days += made > 0
        day = batch[-1] + timedelta(days=1)
    return {"days": business_days, "tickets": total_tickets,
            "seconds": round(timer.perf_counter() - started, 2)}


def _seed_day(session: Any, branch: BranchInfo, day: date, rng: random.Random,
              services: dict[str, Service], serving: dict[str, list[int]],
              mix: list[tuple[str, float]]) -> int:
    hours = branch.hours_on(day)
    if hours is None or not mix:
        return 0
    tz = ZoneInfo(branch.timezone)
    minutes_open = (datetime.combine(day, hours[1]) - datetime.combine(day, hours[0]))
    open_min = int(minutes_open.total_seconds() // 60) - 15  # last tickets 15 min before close
    if open_min <= 0:
        return 0
    volume = int(WEEKDAY_VOLUME * open_min / 540 * rng.uniform(0.85, 1.15))
    minute_weight = [HOUR_WEIGHT.get((hours[0].hour * 60 + hours[0].minute + m) // 60, 0.3)
                     for m in range(open_min)]
    arrivals = sorted(rng.choices(range(open_min), weights=minute_weight, k=volume))
    codes = rng.choices([c for c, _ in mix], weights=[w for _, w in mix], k=volume)

    seqs: dict[str, int] = {}
    tickets: list[dict[str, Any]] = []
    lifecycles: list[list[tuple[str, str | None, str, datetime, int | None, str | None]]] = []
    for minute, code in zip(arrivals, codes, strict=True):
        service = services[code]
        if seqs.get(code, 0) >= service.daily_cap:
            continue
        seqs[code] = seq = seqs.get(code, 0) + 1
        issued = (datetime.combine(day, hours[0], tzinfo=tz) + timedelta(
            minutes=minute, seconds=rng.randrange(60))).astimezone(UTC)
        priority = "vip" if code == "vip" else (
            "care" if rng.random() < CARE_SHARE else "normal")
        counter = rng.choice(serving[code])
        staff = f"S{counter:02d}{'ab'[day.toordinal() % 2]}"
        load = HOUR_WEIGHT.get(branch.local(issued).hour, 0.5)
        wait = rng.gammavariate(2.0, service.target_wait_min * (0.3 + 0.5 * load) / 2.0)
        if priority != "normal":
            wait *= 0.4
        called = issued + timedelta(minutes=wait)
        roll = rng.random()
        events: list[tuple[str, str | None, str, datetime, int | None, str | None]] = [
            ("issue", None, "waiting", issued, None, None)]
        row: dict[str, Any] = {
            "branch_id": branch.id, "business_date": day, "number": f"{service.prefix}{seq:03d}",
            "seq": seq, "issue_service": code, "service_code": code, "priority": priority,
            "issued_at": issued, "recalls": 0, "called_at": None, "started_at": None,
            "finished_at": None, "counter_number": None, "staff": None,
            "transferred_from": None}
        if roll < CANCEL_SHARE:
            row.update(status="cancelled", finished_at=called)
            events.append(("cancel", "waiting", "cancelled", called, None, None))
        elif roll < CANCEL_SHARE + NO_SHOW_SHARE:
            gone = called + timedelta(minutes=2)
            row.update(status="no_show", called_at=called, finished_at=gone,
                       counter_number=counter, staff=staff, recalls=2)
            events += [("call", "waiting", "called", called, counter, staff),
                       ("recall", "called", "called", called + timedelta(minutes=1),
                        counter, staff),
                       ("recall", "called", "called", gone, counter, staff),
                       ("no_show", "called", "no_show", gone, counter, staff)]
        else:
            sigma = 0.45
            mu = math.log(service.target_handle_min) - sigma * sigma / 2
            handle = max(1.0, rng.lognormvariate(mu, sigma))
            begin = called + timedelta(seconds=rng.randrange(20, 90))
            end = begin + timedelta(minutes=handle)
            row.update(status="done", called_at=called, started_at=begin, finished_at=end,
                       counter_number=counter, staff=staff)
            events += [("call", "waiting", "called", called, counter, staff),
                       ("start", "called", "serving", begin, counter, staff),
                       ("finish", "serving", "done", end, counter, staff)]
        tickets.append(row)
        lifecycles.append(events)

    ids = session.scalars(insert(Ticket).returning(Ticket.id, sort_by_parameter_order=True),
                          tickets).all()
    rows = sorted(({"branch_id": branch.id, "ticket_id": ticket_id, "at": at, "kind": kind,
                    "from_state": before, "to_state": after, "counter_number": counter,
                    "staff": staff, "reason": ""}
                   for ticket_id, events in zip(ids, lifecycles, strict=True)
                   for kind, before, after, at, counter, staff in events),
                  key=lambda row: row["at"])
    # The call feed in time order, its positions taken in one go (not row by row by
    # the feed trigger: a year of history is two million events).
    if rows:
        first = feed.reserve(session, branch.id, len(rows))
        for offset, row in enumerate(rows):
            row["feed_pos"] = first + offset
        session.execute(insert(TicketEvent), rows)
    _seed_ratings(session, branch, day, rng, tickets, ids)
    session.execute(insert(TicketSequence), [
        {"branch_id": branch.id, "business_date": day, "service_code": code, "last_seq": last}
        for code, last in seqs.items()])
    return len(tickets)


def _seed_ratings(session: Any, branch: BranchInfo, day: date, rng: random.Random,
                  tickets: list[dict[str, Any]], ids: Any) -> None:
    """Each finished customer was asked by the counter's keypad; most answered, the
    rest let it time out ("not rated"); a few pressed a key nobody asked for."""
    finished = [(tid, row) for tid, row in zip(ids, tickets, strict=True)
                if row["status"] == "done"]
    answers = rng.choices([*RATING_WEIGHTS, NOT_RATED], k=len(finished),
                          weights=[*RATING_WEIGHTS.values(), NOT_RATED_SHARE])
    requests = [{
        "branch_id": branch.id, "ticket_id": tid, "finish_event_id": None,
        "counter_number": row["counter_number"], "staff": row["staff"], "keypad_id": None,
        "requested_at": row["finished_at"], "timeout_s": 30,
        "status": "not_rated" if value == NOT_RATED else "rated",
        "closed_at": row["finished_at"] + timedelta(seconds=rng.randrange(3, 31))}
        for (tid, row), value in zip(finished, answers, strict=True)]
    # Core inserts (the tables, not the classes): the ORM's bulk path is several times
    # slower for rows that need no ORM behaviour.
    requests_table, ratings_table = (Base.metadata.tables[RatingRequest.__tablename__],
                                     Base.metadata.tables[Rating.__tablename__])
    request_ids = session.scalars(insert(requests_table).returning(
        requests_table.c.id, sort_by_parameter_order=True), requests).all() if requests else []
    ratings = [{
        "branch_id": branch.id, "ticket_id": request["ticket_id"], "request_id": rid,
        "business_date": day, "rated_at": request["closed_at"],
        "counter_number": request["counter_number"], "staff": request["staff"],
        "value": value, "solicited": True, "source": "keypad"}
        for request, rid, value in zip(requests, request_ids, answers, strict=True)]
    for row in rng.sample([r for _, r in finished], k=len(finished) // 100):
        ratings.append({
            "branch_id": branch.id, "ticket_id": None, "request_id": None,
            "business_date": day, "rated_at": row["finished_at"] + timedelta(minutes=2),
            "counter_number": row["counter_number"], "staff": row["staff"],
            "value": rng.choice(list(RATING_WEIGHTS)), "solicited": False, "source": "keypad"})
    if ratings:
        session.execute(insert(ratings_table), ratings)
