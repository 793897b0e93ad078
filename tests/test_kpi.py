"""Service KPIs (kiosk.reports): the figures the database computes, from the rollup
and from the tickets, equal an independent count (tests/kpi_support.py) on seed-demo
history plus a day of real queue actions, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from kiosk.branch.info import load_branch
from kiosk.db import make_engine, unit_of_work
from kiosk.feedback.ratings import rating_report
from kiosk.migrate import ensure_ready
from kiosk.models import KpiDay, KpiRollup
from kiosk.reports import kpi as kpi_module
from kiosk.reports.kpi import KpiFilter, KpiSet, compute
from kiosk.reports.rollup import DayPlan, plan_days, roll_up_day
from kiosk.seed import seed_history
from tests.conftest import MONDAY_10AM
from tests.kpi_support import DIMENSIONS, count, expected_row, morning, rate_history, row_figures
from tests.pg import PostgresServer

T = MONDAY_10AM
TODAY = T.date()
HISTORY_DAYS = 6
FIRST = TODAY - timedelta(days=HISTORY_DAYS)


def _history(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    ensure_ready(engine)
    seed_history(engine, days=HISTORY_DAYS, seed=5, now=T)
    with unit_of_work(engine, write=True) as session:
        rate_history(session, load_branch(session), TODAY)
    morning(engine, T)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres",
                                                                  marks=pytest.mark.postgres)])
def history(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Seed-demo history of the days before Monday, rated, and Monday's morning."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('kpi') / 'branch.db'}"
    else:
        server: PostgresServer = request.getfixturevalue("postgres")
        url = server.create_database()
    yield from _history(url)


def _kpis(engine: Engine, first: date, last: date, **wanted: object) -> tuple[KpiSet, object]:
    keys = {"service": "service", "counter": "counter", "staff": "staff"}
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        found = compute(session, branch, first, last, today=TODAY,
                        kpi_filter=KpiFilter(**wanted))  # type: ignore[arg-type]
        expected = count(session, branch, first, last,
                         {keys[k]: v for k, v in wanted.items()})
    return found, expected


def _assert_equal(found: KpiSet, expected: object) -> None:
    # integers, not the Decimal a PostgreSQL SUM gives (equal to an int, but not JSON)
    assert {type(v) for v in row_figures(found.total).values() if v is not None} == {int}
    assert row_figures(found.total) == expected_row(expected.total)  # type: ignore[attr-defined]
    for dimension in DIMENSIONS:
        rows = {row.key: row_figures(row) for row in found.breakdowns[dimension]}
        want = {key: expected_row(c)
                for key, c in expected.by[dimension].items()}  # type: ignore[attr-defined]
        assert rows == want, dimension
    assert dict(found.by_hour) == dict(expected.hours)  # type: ignore[attr-defined]


def _roll_up(engine: Engine, days: list[date]) -> list[date]:
    written = []
    for day in days:
        with unit_of_work(engine, write=True) as session:
            if roll_up_day(session, load_branch(session), day, now=T):
                written.append(day)
    return written


def test_kpis_from_the_tickets_equal_an_independent_count(history: Engine) -> None:
    with unit_of_work(history, write=True) as session:  # nothing rolled up yet
        session.execute(KpiRollup.__table__.delete())
        session.execute(KpiDay.__table__.delete())
    found, expected = _kpis(history, FIRST, TODAY)
    assert found.plan.rolled == ()
    assert found.total.issued > 1000  # real volume
    assert found.total.rated > 100
    assert found.total.unsolicited > 0
    assert found.total.not_rated > 0
    _assert_equal(found, expected)


def test_rolled_up_days_give_the_same_figures(history: Engine) -> None:
    with unit_of_work(history) as session:
        plan = plan_days(session, load_branch(session), FIRST, TODAY, TODAY)
    assert TODAY in plan.live
    assert TODAY not in plan.ready
    half = list(plan.ready[: len(plan.ready) // 2])
    _roll_up(history, half)
    partly, expected = _kpis(history, FIRST, TODAY)
    assert set(partly.plan.rolled) == set(half)
    _assert_equal(partly, expected)
    _roll_up(history, list(plan.ready))
    rolled, _ = _kpis(history, FIRST, TODAY)
    assert rolled.plan.live == (TODAY,)
    _assert_equal(rolled, expected)


@pytest.mark.parametrize("wanted", [{"service": "claims"}, {"counter": 4},
                                    {"staff": "S04"}, {"service": "enquiry", "counter": 1}])
def test_one_service_counter_or_staff_member(history: Engine, wanted: dict[str, object]) -> None:
    found, expected = _kpis(history, FIRST, TODAY, **wanted)
    assert found.total.issued > 0
    _assert_equal(found, expected)


def test_today_by_hand(history: Engine) -> None:
    """Monday's morning, figures worked out from the script in kpi_support.morning()."""
    found, _ = _kpis(history, TODAY, TODAY)
    total = found.total
    assert (total.issued, total.called, total.served, total.no_show, total.cancelled) == \
        (7, 5, 4, 1, 1)
    # waits: A001 4.5 min, D001 9.2, D002 13 (its first call), D003 25, E001 0 (clock)
    assert total.wait_sum_s == (270 + 552 + 780 + 1500 + 0)
    assert total.within_target == 4  # D003 waited 25 min; claims' target is 20
    by_service = {row.key: row for row in found.breakdowns["service"]}
    assert by_service["enquiry"].within_target == 1
    assert by_service["enquiry"].issued == 3
    assert by_service["claims"].served == 2  # D002 counts under the service asked for
    assert by_service[None].unsolicited == 1  # the unsolicited rating has no service
    assert total.wait_p90_min == 25  # nearest rank 5 of 5: D003's 25 min
    assert total.satisfaction_rate == round(2 / 3, 4)  # satisfied, dissatisfied, + unsolicited
    assert total.participation_rate == 0.6667  # two answered, one timed out
    assert total.no_show_rate == 0.2
    assert found.plan.live == (TODAY,)


def test_satisfaction_is_the_rating_reports(history: Engine) -> None:
    found, _ = _kpis(history, FIRST, TODAY)
    with unit_of_work(history) as session:
        report = rating_report(session, load_branch(session), FIRST, TODAY)
    assert found.total.satisfaction_rate == report["satisfaction_rate"]
    assert found.total.participation_rate == report["participation_rate"]
    assert found.total.rated == report["given"]
    by_counter = {row.key: row.satisfaction_rate for row in found.breakdowns["counter"]
                  if row.rated}
    assert by_counter == {c["counter"]: c["satisfaction_rate"] for c in report["by_counter"]}


def test_a_day_rolled_up_while_a_request_reads_counts_once(
        history: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another station rolls the days up between this request's plan and its sums
    (PostgreSQL reads each statement afresh): each day still counts once."""
    with unit_of_work(history, write=True) as session:
        session.execute(KpiRollup.__table__.delete())
        session.execute(KpiDay.__table__.delete())
    planned = kpi_module.plan_days

    def plan_then_another_station_rolls_up(*args: object, **kwargs: object) -> DayPlan:
        plan = planned(*args, **kwargs)  # type: ignore[arg-type]
        assert plan.ready
        _roll_up(history, list(plan.ready))
        return plan

    monkeypatch.setattr(kpi_module, "plan_days", plan_then_another_station_rolls_up)
    found, expected = _kpis(history, FIRST, TODAY)
    assert found.plan.rolled == ()
    _assert_equal(found, expected)
