"""``kiosk seed-demo``: realistic, consistent history on working days only."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused, UsageError
from kiosk.models import Ticket, TicketEvent, TicketSequence
from kiosk.queue.lobby import Lobby
from kiosk.seed import seed_history
from tests.conftest import MONDAY_10AM


@pytest.mark.slow
def test_seeded_history_is_consistent_and_follows_the_calendar(any_engine: Engine) -> None:
    summary = seed_history(any_engine, days=14, seed=3, now=MONDAY_10AM)
    with unit_of_work(any_engine) as session:
        branch = load_branch(session)
        per_day = dict(session.execute(select(Ticket.business_date, func.count())
                                       .group_by(Ticket.business_date)).all())
        statuses = Tally(session.scalars(select(Ticket.status)).all())
        priorities = Tally(session.scalars(select(Ticket.priority)).all())
        events = session.scalar(select(func.count()).select_from(TicketEvent))
        sequences = {(s.business_date, s.service_code): s.last_seq
                     for s in session.scalars(select(TicketSequence))}
        maxima = dict(((d, c), m) for d, c, m in session.execute(
            select(Ticket.business_date, Ticket.issue_service, func.max(Ticket.seq))
            .group_by(Ticket.business_date, Ticket.issue_service)))
        bad_order = session.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.status == "done", Ticket.finished_at < Ticket.started_at))
    today = MONDAY_10AM.date()
    assert summary["tickets"] == sum(per_day.values())
    assert today not in per_day
    assert min(per_day) >= today - timedelta(days=14)
    for day in per_day:
        assert branch.is_working_day(day)
    weekdays = [n for d, n in per_day.items() if d.weekday() < 5]
    saturdays = [n for d, n in per_day.items() if d.weekday() == 5]
    assert min(weekdays) > 1000
    assert all(n < min(weekdays) for n in saturdays)
    assert statuses["done"] > 0.9 * summary["tickets"]
    assert statuses["no_show"] > 0
    assert statuses["cancelled"] > 0
    assert priorities["care"] > 0
    assert priorities["vip"] > 0
    assert events >= 2 * summary["tickets"]
    assert sequences == maxima
    assert bad_order == 0
    # Today still starts at 001.
    with unit_of_work(any_engine, write=True) as session:
        assert Lobby(session, now=MONDAY_10AM).take("claims").number == "D001"


def test_seeding_twice_is_refused(engine: Engine) -> None:
    seed_history(engine, days=3, now=MONDAY_10AM)
    with pytest.raises(RuleRefused):
        seed_history(engine, days=3, now=MONDAY_10AM)


@pytest.mark.parametrize("days", [0, -3])
def test_a_period_of_no_days_is_a_usage_error(engine: Engine, days: int) -> None:
    with pytest.raises(UsageError) as info:
        seed_history(engine, days=days, now=MONDAY_10AM)
    assert str(days) in info.value.en
