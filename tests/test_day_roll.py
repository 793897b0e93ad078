"""The first actions of a new business day, racing on PostgreSQL: one lock order."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from kiosk.branch.settings import apply_config
from kiosk.db import make_engine, unit_of_work
from kiosk.errors import RuleRefused
from kiosk.migrate import ensure_ready
from kiosk.models import DayState, Ticket, TicketEvent
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM, open_all_hours

TUESDAY_10AM = MONDAY_10AM + timedelta(days=1)


def _act(lobby: Lobby, action: str) -> None:
    """A first action of the day at counter 1, which holds Monday's leftover."""
    if action == "finish":
        lobby.finish(1)
    elif action == "close":
        lobby.close_counter(1)
    elif action == "pause":
        lobby.pause_counter(1, supervisor="SUP1")
    elif action == "resume":
        lobby.resume_counter(1)
    elif action == "set":
        lobby.set_services(1, ["enquiry", "claims"])
    else:
        raise AssertionError(action)


@pytest.mark.postgres
@pytest.mark.parametrize("action", ["finish", "close", "pause", "resume", "set"])
def test_first_actions_of_a_new_day_on_postgresql_do_not_deadlock(pg_url: str,
                                                                  action: str) -> None:
    """Counter 1 still has Monday's called ticket. On Tuesday morning process A acts at
    counter 1 while process B calls at counter 2, and B's roll of the day must expire
    that ticket and so touch counter 1. The statements are interleaved in the worst
    order: A holds whatever it locked first until B has started rolling the day. With
    the counter locked before the roll, A then waits for B's day state while B waits
    for A's counter, and PostgreSQL aborts one of them (deadlock detected)."""
    setup = make_engine(pg_url)
    ensure_ready(setup)
    with unit_of_work(setup, write=True) as session:
        apply_config(session, open_all_hours())
    with unit_of_work(setup, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.open_counter(1, "S1")
        lobby.open_counter(2, "S2")
        lobby.take("enquiry")
        lobby.call_next(1)  # A001, left called at counter 1 overnight
        if action == "resume":
            lobby.pause_counter(1, supervisor="SUP1")
    setup.dispose()

    engine_a, engine_b = make_engine(pg_url), make_engine(pg_url)
    a_holds_counter, b_rolls = threading.Event(), threading.Event()

    @event.listens_for(engine_a, "after_cursor_execute")
    def _a_locked(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "FROM counter" in statement and "FOR UPDATE" in statement \
                and not a_holds_counter.is_set():
            a_holds_counter.set()
            b_rolls.wait(10)  # hold the counter lock until B is rolling the day

    @event.listens_for(engine_b, "before_cursor_execute")
    def _b_rolling(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith(("UPDATE DAY_STATE", "INSERT INTO DAY_STATE")):
            b_rolls.set()

    outcome: dict[str, str] = {}

    def run(name: str, engine: Engine, work: Any) -> None:
        try:
            with unit_of_work(engine, write=True) as session:
                work(Lobby(session, now=TUESDAY_10AM))
            outcome[name] = "ok"
        except RuleRefused as exc:
            outcome[name] = exc.code
        except Exception as exc:  # noqa: BLE001 - the deadlock, reported below
            outcome[name] = f"{type(exc).__name__}: {exc}"

    def b_work(lobby: Lobby) -> None:
        a_holds_counter.wait(10)
        lobby.call_next(2)

    try:
        a = threading.Thread(target=run, args=("a", engine_a, lambda lobby: _act(lobby, action)))
        b = threading.Thread(target=run, args=("b", engine_b, b_work))
        a.start()
        b.start()
        a.join(60)
        b.join(60)
        assert not a.is_alive()
        assert not b.is_alive()
        # Monday's ticket expired by the roll before A acted, so A's finish finds nothing
        # at the counter; every other action goes ahead on the new day.
        assert outcome == {"a": "no_current" if action == "finish" else "ok", "b": "ok"}
        with unit_of_work(engine_a) as session:
            lobby = Lobby(session, now=TUESDAY_10AM)
            ticket = lobby.ticket("A001", MONDAY_10AM.date())
            expiries = session.scalars(select(TicketEvent.kind).where(
                TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "expire")).all()
            state = session.get(DayState, lobby.branch.id)
            assert (ticket.status, len(expiries)) == ("expired", 1)
            assert state is not None
            assert state.business_date == TUESDAY_10AM.date()
    finally:
        engine_a.dispose()
        engine_b.dispose()


def test_a_roll_expires_every_leftover_in_place_with_its_event(open_engine: Engine) -> None:
    """Monday's leftovers (waiting in two services, one called at a counter after a
    recall) expire at Tuesday's first action: each gets one ``expire`` event from the
    state it was in, with its service and recalls, the counter lets go of its ticket,
    and tickets already done or of the new day are untouched. The roll loads no ticket
    as an object (a day can leave thousands: bench/customer_screen.py's soak)."""
    with unit_of_work(open_engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.open_counter(1, "S1")
        for code in ("enquiry", "enquiry", "enquiry", "claims"):
            lobby.take(code)
        lobby.call_next(1)
        lobby.finish(1)          # A001 done
        lobby.call_next(1)       # A002 called ...
        lobby.recall(1)          # ... and recalled once, still at counter 1 overnight
    with unit_of_work(open_engine, write=True) as session:
        lobby = Lobby(session, now=TUESDAY_10AM)
        loaded: list[Ticket] = []

        def _loaded(ticket: Ticket, _context: Any) -> None:
            loaded.append(ticket)

        event.listen(Ticket, "load", _loaded)
        try:
            assert lobby.roll_day() == 3
        finally:
            event.remove(Ticket, "load", _loaded)
        assert loaded == []
        lobby.take("enquiry")
    with unit_of_work(open_engine) as session:
        lobby = Lobby(session, now=TUESDAY_10AM)
        monday = MONDAY_10AM.date()
        tickets = {n: lobby.ticket(n, monday) for n in ("A001", "A002", "A003", "D001")}
        assert {n: t.status for n, t in tickets.items()} == {
            "A001": "done", "A002": "expired", "A003": "expired", "D001": "expired"}
        assert tickets["A001"].finished_at == MONDAY_10AM
        assert all(tickets[n].finished_at == TUESDAY_10AM for n in ("A002", "A003", "D001"))
        assert lobby.ticket("A001").status == "waiting"  # Tuesday's own A001
        assert lobby.counter(1).current_ticket_id is None
        expiries = session.execute(select(
            TicketEvent.ticket_id, TicketEvent.from_state, TicketEvent.to_state,
            TicketEvent.service_code, TicketEvent.recalls, TicketEvent.at,
            TicketEvent.reason, TicketEvent.counter_number)
            .where(TicketEvent.kind == "expire").order_by(TicketEvent.id)).all()
        assert expiries == [
            (tickets["A002"].id, "called", "expired", "enquiry", 1, TUESDAY_10AM,
             "new business day", None),
            (tickets["A003"].id, "waiting", "expired", "enquiry", 0, TUESDAY_10AM,
             "new business day", None),
            (tickets["D001"].id, "waiting", "expired", "claims", 0, TUESDAY_10AM,
             "new business day", None)]
        positions = session.scalars(select(TicketEvent.feed_pos).order_by(TicketEvent.id)).all()
        assert None not in positions
        assert positions == sorted({p for p in positions if p is not None})
