"""The rating report at scale: the database's grouped counts equal an independent
count of what was stored, past PostgreSQL's 65,535 bind parameters; the list pages."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.errors import UsageError
from kiosk.feedback.ratings import SATISFIED, rating_page, rating_report
from kiosk.models import Rating
from kiosk.models.keypads import NOT_RATED, RATING_VALUES
from tests.conftest import MONDAY_10AM

# More ratings than PostgreSQL allows bind parameters in one statement.
RATINGS = 70_000
DAYS = [date(2026, 11, 16) + timedelta(days=i) for i in range(7)]


def _store_ratings(engine: Engine, count: int, seed: int = 5) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        day = rng.choice(DAYS)
        value = rng.choice([*RATING_VALUES, NOT_RATED])
        rows.append({
            "branch_id": "BR0001", "ticket_id": None, "request_id": None,
            "business_date": day,
            "rated_at": MONDAY_10AM.replace(day=day.day) + timedelta(seconds=i % 30000),
            "counter_number": rng.choice([1, 2, 3, None]),
            "staff": rng.choice(["S01a", "S02b", None]), "value": value,
            "solicited": value == NOT_RATED or rng.random() < 0.9, "source": "keypad"})
    # A Core insert: the ORM's bulk insert of 70,000 rows takes minutes on PostgreSQL.
    with engine.begin() as conn:
        conn.execute(insert(Rating.__table__), rows)
    return rows


def _count(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The report's figures counted here, row by row, without the database."""
    def figures(group: list[dict[str, Any]]) -> dict[str, Any]:
        given = [r for r in group if r["value"] != NOT_RATED]
        satisfied = sum(r["value"] in SATISFIED for r in given)
        answered = sum(r["solicited"] for r in given)
        not_rated = len(group) - len(given)
        return {"given": len(given), "not_rated": not_rated,
                "satisfaction_rate": round(satisfied / len(given), 4) if given else None,
                "participation_rate": round(answered / (answered + not_rated), 4)
                if answered + not_rated else None}

    def grouped(key: str, name: str) -> list[dict[str, Any]]:
        groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            groups[row[key]].append(row)
        return [{name: k, **figures(v)} for k, v in sorted(groups.items(),
                                                           key=lambda kv: str(kv[0]))]

    values = Counter(r["value"] for r in rows)
    return {**figures(rows), "unsolicited": sum(not r["solicited"] for r in rows),
            "counts": {v: values.get(v, 0) for v in (*RATING_VALUES, NOT_RATED)},
            "by_counter": grouped("counter_number", "counter"),
            "by_staff": grouped("staff", "staff")}


@pytest.mark.slow
def test_the_report_equals_an_independent_count_past_65535_ratings(any_engine: Engine) -> None:
    rows = _store_ratings(any_engine, RATINGS)
    with unit_of_work(any_engine) as session:
        branch = load_branch(session)
        report = rating_report(session, branch, DAYS[0], DAYS[-1])
        two_days = rating_report(session, branch, DAYS[2], DAYS[3])
        page = rating_page(session, branch, DAYS[0], DAYS[-1], page=70, per_page=500)
        beyond = rating_page(session, branch, DAYS[0], DAYS[-1], page=141, per_page=500)
    assert {k: report[k] for k in _count(rows)} == _count(rows)
    assert report["given"] + report["not_rated"] == RATINGS
    in_two_days = [r for r in rows if DAYS[2] <= r["business_date"] <= DAYS[3]]
    assert {k: two_days[k] for k in _count(in_two_days)} == _count(in_two_days)
    # Page 70 of 140: ratings 34,501..35,000 in the order of day, time and storage.
    ordered = sorted(enumerate(rows), key=lambda ir: (ir[1]["business_date"],
                                                      ir[1]["rated_at"], ir[0]))
    expected = [(r["value"], r["counter_number"], r["staff"])
                for _, r in ordered[69 * 500:70 * 500]]
    assert [(r["value"], r["counter"], r["staff"]) for r in page["ratings"]] == expected
    assert (page["total"], page["pages"], beyond["ratings"]) == (RATINGS, 140, [])


def test_pages_and_periods_are_checked(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        for kwargs in ({"page": 0}, {"per_page": 0}, {"per_page": 501}):
            with pytest.raises(UsageError):
                rating_page(session, branch, DAYS[0], DAYS[1], **kwargs)
        with pytest.raises(UsageError):
            rating_report(session, branch, DAYS[1], DAYS[0])
        empty = rating_report(session, branch, DAYS[0], DAYS[0])
    assert (empty["given"], empty["satisfaction_rate"], empty["by_counter"]) == (0, None, [])


def test_seeded_history_has_a_rating_for_every_finished_customer(engine: Engine) -> None:
    from sqlalchemy import func, select

    from kiosk.models import RatingRequest, Ticket
    from kiosk.seed import seed_history

    seed_history(engine, days=3, seed=2, now=MONDAY_10AM)
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        done = session.scalar(select(func.count()).select_from(Ticket)
                              .where(Ticket.status == "done"))
        solicited = session.execute(
            select(Rating.value, RatingRequest.status, Ticket.status, Ticket.staff,
                   Rating.staff)
            .join(RatingRequest, RatingRequest.id == Rating.request_id)
            .join(Ticket, Ticket.id == Rating.ticket_id)).all()
        unsolicited = session.scalars(select(Rating).where(Rating.solicited.is_(False))).all()
        report = rating_report(session, branch, MONDAY_10AM.date() - timedelta(days=3),
                               MONDAY_10AM.date())
    assert done
    assert len(solicited) == done
    for value, request_state, ticket_state, ticket_staff, rating_staff in solicited:
        assert request_state == ("not_rated" if value == NOT_RATED else "rated")
        assert (ticket_state, rating_staff) == ("done", ticket_staff)
    assert unsolicited
    assert all(r.ticket_id is None and r.request_id is None for r in unsolicited)
    assert report["given"] + report["not_rated"] == done + len(unsolicited)
    assert 0.7 < report["satisfaction_rate"] < 0.95


def test_sqlite_counts_the_report_from_its_index_without_sorting(engine: Engine) -> None:
    """The report's query reads only ix_rating_report, whose order is the grouping:
    no rating row is read and the period is not sorted (a year is ~400,000 ratings)."""
    from sqlalchemy import event

    captured: list[tuple[str, Any]] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _grab(_conn: object, _cursor: object, statement: str, parameters: Any,
              *_: object) -> None:
        if "GROUP BY" in statement and "FROM rating" in statement:
            captured.append((statement, parameters))

    with unit_of_work(engine) as session:
        rating_report(session, load_branch(session), DAYS[0], DAYS[-1])
        ((statement, parameters),) = captured
        plan = " | ".join(row[-1] for row in session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters))
    assert "COVERING INDEX ix_rating_report" in plan
    assert "TEMP B-TREE" not in plan
