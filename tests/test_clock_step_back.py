"""The clock steps back (an NTP correction, a wrong BIOS clock fixed by hand, two PCs
that disagree): time never runs backwards inside the queue engine. SQLite and
PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from kiosk import clock
from kiosk.db import unit_of_work
from kiosk.models import Ticket
from kiosk.queue import day
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM


@pytest.fixture(autouse=True)
def _fresh_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no step back reported yet (reports are once per process)."""
    monkeypatch.setattr(clock, "_reported", set())


def act(engine: Engine, at: datetime, fn: str, *args: object) -> dict[str, object] | None:
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=at)
        result = getattr(lobby, fn)(*args)
        return lobby.ticket_view(result) if isinstance(result, Ticket) else None


def view(engine: Engine, at: datetime, number: str) -> dict[str, object]:
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=at)
        return lobby.ticket_view(lobby.ticket(number))


def another_process() -> None:
    """Forget what this process knows of the business day, as a new process would."""
    day._rolled_until.clear()


def test_a_ticket_taken_after_the_clock_stepped_back_is_still_called_after_earlier_ones(
        open_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    t0 = MONDAY_10AM
    act(open_engine, t0, "take", "enquiry")                                  # A001
    act(open_engine, t0 + timedelta(minutes=1), "take", "payments")          # E001
    back = t0 - timedelta(minutes=10)  # the clock is corrected by 11 minutes
    act(open_engine, back, "take", "enquiry")                                # A002
    assert view(open_engine, back, "A002")["ahead"] == 1
    assert view(open_engine, back, "A001")["ahead"] == 0
    act(open_engine, back, "open_counter", 1, "S1")  # enquiry, then payments
    with caplog.at_level(logging.WARNING, logger="kiosk.clock"):
        called = [act(open_engine, back + timedelta(seconds=i), "call_next", 1)
                  for i in range(3)]
    assert [c["number"] for c in called if c] == ["A001", "E001", "A002"]
    assert "clock stepped back" in caplog.text


def test_a_clock_stepped_back_never_makes_a_wait_negative(open_engine: Engine) -> None:
    t0 = MONDAY_10AM
    act(open_engine, t0, "open_counter", 1, "S1")
    for i in range(5):  # five customers served while the clock is an hour fast
        act(open_engine, t0, "take", "enquiry")
        act(open_engine, t0 + timedelta(minutes=10 * i), "call_next", 1)
        act(open_engine, t0 + timedelta(minutes=10 * i), "start", 1)
        # the clock is corrected by an hour while the customer is at the counter
        act(open_engine, t0 + timedelta(minutes=10 * i - 60), "finish", 1)
    act(open_engine, t0, "take", "enquiry")
    act(open_engine, t0, "take", "enquiry")
    waits = view(open_engine, t0 - timedelta(minutes=50), "A007")["wait_min"]
    assert isinstance(waits, list)
    assert min(waits) >= 0
    assert waits == [0, 5]  # one ahead, five instant hand-overs: the shortest range


def test_a_step_back_across_midnight_never_reopens_the_previous_business_day(
        open_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    sunday_late = datetime(2026, 11, 22, 15, 58, tzinfo=UTC)   # 23:58 local, Sunday
    monday_early = datetime(2026, 11, 22, 16, 5, tzinfo=UTC)   # 00:05 local, Monday
    act(open_engine, sunday_late - timedelta(minutes=30), "take", "enquiry")  # Sunday A001
    first = act(open_engine, monday_early, "take", "enquiry")
    assert first is not None
    assert (first["number"], first["business_date"]) == ("A001", "2026-11-23")
    numbers = []
    for process in ("same process", "another process"):
        if process == "another process":
            another_process()
        with caplog.at_level(logging.WARNING, logger="kiosk.clock"):
            again = act(open_engine, sunday_late, "take", "enquiry")  # clock back 7 min
        assert again is not None
        assert again["business_date"] == "2026-11-23", process
        numbers.append(again["number"])
        # and a lookup at the stepped-back clock finds Monday's ticket, not Sunday's
        assert view(open_engine, sunday_late, "A001")["business_date"] == "2026-11-23"
    assert numbers == ["A002", "A003"]
    another_process()  # a read-only command in a new process sees Monday too
    assert view(open_engine, sunday_late, "A003")["business_date"] == "2026-11-23"
    assert "business day 2026-11-23" in caplog.text
    with unit_of_work(open_engine) as session:
        sunday = Lobby(session, now=sunday_late).ticket("A001", datetime(2026, 11, 22).date())
        assert sunday.status == "expired"  # still closed, not reopened
        assert Lobby(session, now=sunday_late).snapshot()["business_date"] == "2026-11-23"
