"""The call feed: every ticket and counter event in one ordered feed, read with
``events_since``; correct on PostgreSQL when transactions commit out of id order."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from kiosk.branch.info import load_branch
from kiosk.branch.settings import apply_config
from kiosk.db import make_engine, unit_of_work
from kiosk.devices.keypad_ports import PortConfig
from kiosk.devices.keypads import KeypadDesk
from kiosk.errors import UsageError
from kiosk.migrate import ensure_ready
from kiosk.models import CounterEvent, FeedCursor, Ticket, TicketEvent
from kiosk.queue import feed
from kiosk.queue.lobby import Lobby
from kiosk.seed import seed_history
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.feed_support import ROOT, act
from tests.migration_support import OLD_BRANCH, upgraded_to


def read(engine: Engine, after: int = 0, **kwargs: Any) -> tuple[list[feed.FeedEvent], int]:
    with unit_of_work(engine) as session:
        return feed.events_since(session, after, **kwargs)


def test_every_call_recall_transfer_and_counter_change_is_in_the_feed_in_order(
        open_engine: Engine) -> None:
    for _ in range(5):
        act(open_engine, "take", "enquiry")
    act(open_engine, "set_services", 1, ["enquiry", "claims"])
    act(open_engine, "open_counter", 1, "S1")
    act(open_engine, "call_next", 1, minutes=1)                # A001
    act(open_engine, "recall", 1, minutes=2)
    act(open_engine, "recall", 1, minutes=3)
    act(open_engine, "no_show", 1, minutes=4)
    act(open_engine, "call_number", 1, "A003", minutes=5)      # out of order
    act(open_engine, "start", 1, minutes=6)
    act(open_engine, "transfer", 1, "claims", minutes=7)
    act(open_engine, "call_next", 1, minutes=8)                # A002 waited longest
    act(open_engine, "finish", 1, minutes=9)
    act(open_engine, "cancel", "A004", minutes=10)
    act(open_engine, "pause_counter", 1, supervisor="SUP", minutes=11)
    act(open_engine, "resume_counter", 1, minutes=12)
    act(open_engine, "close_counter", 1, minutes=13)
    act(open_engine, "close_day", minutes=14)                  # A003 and A005 expire

    events, latest = read(open_engine)
    assert [(e.kind, e.ticket) for e in events] == [
        ("issue", "A001"), ("issue", "A002"), ("issue", "A003"), ("issue", "A004"),
        ("issue", "A005"), ("counter_open", None), ("call", "A001"), ("recall", "A001"),
        ("recall", "A001"), ("no_show", "A001"), ("call_specific", "A003"),
        ("start", "A003"), ("transfer", "A003"), ("call", "A002"), ("finish", "A002"),
        ("cancel", "A004"), ("counter_pause", None), ("counter_resume", None),
        ("counter_close", None), ("expire", "A003"), ("expire", "A005")]
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert latest == events[-1].id
    by_kind = {e.kind: e for e in events}  # the last of each kind
    assert [e.recalls for e in events if e.kind == "recall"] == [1, 2]
    # Service and recall count are the ticket's at the event, not as it is now.
    assert by_kind["call_specific"].service == "enquiry"
    assert (by_kind["transfer"].service, by_kind["transfer"].reason) == (
        "claims", "enquiry -> claims")
    assert (by_kind["call"].counter, by_kind["call"].staff) == (1, "S1")
    assert [e.service for e in events if e.kind == "expire"] == ["claims", "enquiry"]
    assert by_kind["counter_pause"].counter == 1
    assert by_kind["counter_pause"].reason == "supervisor override"
    assert by_kind["call"].at == MONDAY_10AM + timedelta(minutes=8)
    line = events[7].as_json("Asia/Shanghai")
    assert line == {"id": 8, "type": "recall", "ticket": "A001", "service": "enquiry",
                    "counter": 1, "recalls": 1, "staff": "S1",
                    "at": "2026-11-23T10:02:00.000+08:00", "reason": "recall 1"}


def test_paging_with_a_limit_gives_the_same_events_and_resumes_where_it_stopped(
        open_engine: Engine) -> None:
    act(open_engine, "open_counter", 1, "S1")
    for minute in range(12):
        act(open_engine, "take", "enquiry", minutes=minute)
        if minute % 3 == 0:
            act(open_engine, "call_next", 1, minutes=minute)
    everything, latest = read(open_engine)
    pages: list[feed.FeedEvent] = []
    position = 0
    while True:
        page, position = read(open_engine, position, limit=4)
        assert len(page) <= 4
        if not page:
            break
        pages += page
    assert pages == everything
    assert position == latest
    nothing, same = read(open_engine, latest)
    assert (nothing, same) == ([], latest)


def test_a_kinds_filter_still_moves_past_the_other_events(open_engine: Engine) -> None:
    act(open_engine, "open_counter", 1, "S1")
    act(open_engine, "take", "enquiry")
    act(open_engine, "call_next", 1)
    calls, latest = read(open_engine, kinds=("call", "counter_open"))
    assert [e.kind for e in calls] == ["counter_open", "call"]
    assert latest == 3  # the issue in between was passed over, not left behind
    with pytest.raises(UsageError):
        read(open_engine, kinds=("called",))


@pytest.mark.slow
def test_every_writer_gets_positions_seeded_history_and_day_roll_included(
        open_engine: Engine) -> None:
    seed_history(open_engine, days=2, seed=3, now=MONDAY_10AM)
    act(open_engine, "open_counter", 1)
    act(open_engine, "take", "enquiry")
    with unit_of_work(open_engine) as session:
        unplaced = [session.scalar(select(func.count()).select_from(table).where(
            table.feed_pos.is_(None))) for table in (TicketEvent, CounterEvent)]
        placed = [pos for table in (TicketEvent, CounterEvent)
                  for pos in session.scalars(select(table.feed_pos))]
        cursor = session.scalar(select(FeedCursor.last_pos))
    assert unplaced == [0, 0]
    assert len(placed) > 100
    assert sorted(placed) == list(range(1, len(placed) + 1))  # unique, no holes
    assert cursor == len(placed)


# ----- PostgreSQL: commits out of id order ------------------------------------------------

@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    ensure_ready(engine)
    yield engine
    engine.dispose()


def _raw_event(session: Session, ticket_id: int, kind: str) -> int:
    """Insert one ticket event the way the engine does; returns its row id."""
    branch = load_branch(session)
    event = TicketEvent(branch_id=branch.id, ticket_id=ticket_id, at=MONDAY_10AM, kind=kind,
                        from_state="waiting", to_state="waiting", reason=kind)
    session.add(event)
    session.flush()
    return event.id


@pytest.mark.postgres
def test_a_later_id_committing_first_is_neither_skipped_nor_delivered_twice(
        pg_engine: Engine) -> None:
    with unit_of_work(pg_engine, write=True) as session:
        ticket_id = Lobby(session, now=MONDAY_10AM).take("enquiry").id
    _, start = read(pg_engine)
    first = unit_of_work(pg_engine, write=True)
    second = unit_of_work(pg_engine, write=True)
    s1, s2 = first.__enter__(), second.__enter__()
    try:
        early_id = _raw_event(s1, ticket_id, "early")   # lower id, commits last
        late_id = _raw_event(s2, ticket_id, "late")     # higher id, commits first
        assert early_id < late_id
        second.__exit__(None, None, None)
        seen, position = read(pg_engine, start)
        assert [e.reason for e in seen] == ["late"]
        # What an id watermark would do next: ask for ids above the highest seen. The
        # early event's id is below it, so that reader would never see it.
        assert early_id < max(e.row_id for e in seen)
    finally:
        first.__exit__(None, None, None)
    more, _ = read(pg_engine, position)
    assert [e.reason for e in more] == ["early"]
    delivered = [e.row_id for e in seen + more]
    assert sorted(delivered) == sorted({early_id, late_id})
    assert [e.id for e in seen + more] == sorted(e.id for e in seen + more)


@pytest.mark.postgres
def test_a_transaction_holding_a_position_holds_back_later_commits_until_its_own(
        pg_engine: Engine) -> None:
    with unit_of_work(pg_engine, write=True) as session:
        ticket_id = Lobby(session, now=MONDAY_10AM).take("enquiry").id
    _, start = read(pg_engine)
    holder = unit_of_work(pg_engine, write=True)
    s1 = holder.__enter__()
    finished = threading.Event()
    errors: list[BaseException] = []

    def later_writer() -> None:
        try:
            with unit_of_work(pg_engine, write=True) as s2:
                _raw_event(s2, ticket_id, "second")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            finished.set()

    try:
        _raw_event(s1, ticket_id, "first")
        # Fire the deferred feed trigger now, as COMMIT would: position taken, cursor
        # row locked, transaction still open.
        s1.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
        writer = threading.Thread(target=later_writer)
        writer.start()
        _wait_for(lambda: _lock_waiters(pg_engine) == 1)
        assert read(pg_engine, start)[0] == []  # neither is visible yet
        assert not finished.is_set()
    finally:
        holder.__exit__(None, None, None)
    writer.join()
    assert errors == []
    events, _ = read(pg_engine, start)
    assert [e.reason for e in events] == ["first", "second"]
    assert events[1].id == events[0].id + 1


@pytest.mark.postgres
def test_the_keypad_desk_asks_for_a_rating_of_a_finish_that_committed_late(
        pg_engine: Engine) -> None:
    with unit_of_work(pg_engine, write=True) as session:
        apply_config(session, open_all_hours())
    for counter in (1, 2):
        act(pg_engine, "open_counter", counter, f"S{counter}")
        act(pg_engine, "take", "enquiry")
        act(pg_engine, "call_next", counter)
    desk = KeypadDesk(pg_engine, PortConfig("loop://", 9600, 30, {1: 1, 2: 2}),
                      now=lambda: MONDAY_10AM)
    assert desk.sweep(force=True) == []
    slow = unit_of_work(pg_engine, write=True)
    try:
        Lobby(slow.__enter__(), now=MONDAY_10AM).finish(1)  # lower event id, commits last
        act(pg_engine, "finish", 2)
        assert [address for address, _, _ in desk.sweep(force=True)] == [2]
    finally:
        slow.__exit__(None, None, None)
    assert [address for address, _, _ in desk.sweep(force=True)] == [1]
    assert desk.sweep(force=True) == []


def _lock_waiters(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()")).scalar_one())


def _wait_for(condition: Callable[[], bool], limit: int = 2000) -> None:
    stop = threading.Event()
    for _ in range(limit):
        if condition():
            return
        stop.wait(0.01)
    raise AssertionError("condition never came true")


WRITER = """
import sys
from kiosk.db import make_engine, unit_of_work
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM
url, counter, service, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
engine = make_engine(url)
for _ in range(rounds):
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.take(service)
        lobby.call_next(counter)
"""


@pytest.mark.slow
def test_a_follower_sees_every_event_of_concurrent_writers_once_and_in_order(
        open_engine: Engine) -> None:
    for counter in (1, 2, 3, 4):
        act(open_engine, "open_counter", counter, f"S{counter}")
    url = open_engine.url.render_as_string(hide_password=False)
    # Each counter takes a ticket of a service it serves, then calls the next one.
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(counter),
                                 "claims" if counter == 4 else "enquiry", "20"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for counter in (1, 2, 3, 4)]
    _, start = read(open_engine)
    followed: list[feed.FeedEvent] = []
    position = start
    while any(w.poll() is None for w in writers):
        page, position = read(open_engine, position, limit=7)
        followed += page
    outputs = [w.communicate() for w in writers]
    assert [w.returncode for w in writers] == [0] * 4, outputs
    page, position = read(open_engine, position)
    followed += page
    # Read again after the fact, in one go: the follower, who read while the writers
    # committed, got exactly that: each event once, in feed order, none missing.
    afterwards, latest = read(open_engine, start, limit=10_000)
    assert followed == afterwards
    assert position == latest
    assert [e.id for e in followed] == list(range(start + 1, latest + 1))
    # Every round takes a ticket and calls one, finishing the counter's previous one.
    kinds = sorted(e.kind for e in followed)
    assert kinds == sorted(["issue"] * 80 + ["call"] * 80 + ["finish"] * 76), outputs


# ----- the index and the migration ----------------------------------------------------------

@pytest.mark.slow
def test_reading_the_feed_uses_its_index_on_a_long_history(any_engine: Engine) -> None:
    seed_history(any_engine, days=3, seed=5, now=MONDAY_10AM)
    with unit_of_work(any_engine) as session:
        count = session.scalar(select(func.count()).select_from(TicketEvent))
    assert (count or 0) > 4_000
    with unit_of_work(any_engine) as session:
        latest = feed.latest_id(session)
        statement = select(TicketEvent.id).join(Ticket, Ticket.id == TicketEvent.ticket_id).where(
            TicketEvent.branch_id == "BR0001", TicketEvent.feed_pos > latest - 10,
            TicketEvent.feed_pos <= latest).order_by(TicketEvent.feed_pos).limit(500)
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if any_engine.dialect.name == "postgresql":
            session.execute(text("ANALYZE"))
            plan = "\n".join(session.scalars(text(f"EXPLAIN {compiled}")))
        else:
            plan = "\n".join(str(row[-1]) for row in session.execute(
                text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_ticket_event_feed" in plan, plan
    assert "Seq Scan on ticket_event" not in plan, plan
    assert "SCAN ticket_event" not in plan, plan


def test_upgrading_numbers_existing_events_by_time(db_url: str) -> None:
    engine = make_engine(db_url)
    with upgraded_to(engine, "0001") as conn:
        conn.execute(text(OLD_BRANCH))
        conn.execute(text(
            "INSERT INTO ticket (branch_id, business_date, number, seq, issue_service, "
            "service_code, priority, status, issued_at, recalls) VALUES ('OLD1', "
            "'2026-11-20', 'D001', 1, 'claims', 'claims', 'normal', 'called', "
            "'2026-11-20 02:00:00', 1)"))
        for minute, kind in ((0, "issue"), (9, "recall"), (5, "call")):
            conn.execute(text(
                "INSERT INTO ticket_event (branch_id, ticket_id, at, kind, to_state, "
                "reason) SELECT 'OLD1', id, '2026-11-20 02:0" + str(minute) + ":00', '"
                + kind + "', 'called', '' FROM ticket"))
        conn.execute(text(
            "INSERT INTO counter_event (branch_id, counter_number, at, kind, reason) "
            "VALUES ('OLD1', 2, '2026-11-20 02:05:00', 'open', '')"))
    ensure_ready(engine)
    with unit_of_work(engine, write=True) as session:  # a new event after the upgrade
        _raw_event(session, session.scalars(select(Ticket.id)).one(), "priority")
    with unit_of_work(engine) as session:
        events, latest = feed.events_since(session, 0)
    engine.dispose()
    assert [(e.kind, e.ticket, e.service, e.recalls) for e in events] == [
        ("issue", "D001", "claims", 1), ("counter_open", None, None, None),
        ("call", "D001", "claims", 1), ("recall", "D001", "claims", 1),
        ("priority", "D001", "claims", 1)]
    assert latest == 5


def test_the_position_before_an_instant_covers_every_event_since(open_engine: Engine) -> None:
    act(open_engine, "open_counter", 1)
    for minute in range(5):
        act(open_engine, "take", "enquiry", minutes=minute * 10)
    with unit_of_work(open_engine) as session:
        start = feed.position_before(session, MONDAY_10AM + timedelta(minutes=25))
        events, _ = feed.events_since(session, start)
        assert feed.position_before(session, MONDAY_10AM + timedelta(hours=5)) == 6
    assert [e.at.minute for e in events] == [30, 40]
