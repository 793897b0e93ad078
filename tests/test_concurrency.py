"""Race safety with real processes on a real SQLite file and a real PostgreSQL server."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from kiosk.branch.settings import apply_config
from kiosk.db import unit_of_work
from kiosk.models import Ticket, TicketEvent
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.feed_support import open_all_hours_engine

NOW = MONDAY_10AM.isoformat()
ROOT = Path(__file__).resolve().parent.parent


def big_enquiry_branch(engine: Engine) -> None:
    """Open round the clock; enquiry may issue up to 999 a day."""
    config = open_all_hours()
    services = tuple(replace(s, daily_cap=999) if s.code == "enquiry" else s
                     for s in config.services)
    with unit_of_work(engine, write=True) as session:
        apply_config(session, replace(config, services=services))


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.workers", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def run_together(workers: list[subprocess.Popen[str]], go: Path) -> list[str]:
    go.touch()
    lines: list[str] = []
    for proc in workers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        lines += out.split()
    return lines


@pytest.mark.slow
def test_eight_processes_taking_100_each_get_800_distinct_numbers_without_gaps(
        any_engine: Engine, tmp_path: Path) -> None:
    big_enquiry_branch(any_engine)
    go = tmp_path / "go"
    workers = [spawn("take", url_of(any_engine), "enquiry", "100", NOW, str(go))
               for _ in range(8)]
    numbers = run_together(workers, go)
    assert len(numbers) == 800
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, 801)]
    with unit_of_work(any_engine) as session:
        stored = session.scalars(select(Ticket.number).where(
            Ticket.service_code == "enquiry")).all()
    assert sorted(stored) == sorted(numbers)


@pytest.mark.slow
def test_four_counters_calling_at_once_call_each_ticket_exactly_once(
        any_engine: Engine, tmp_path: Path) -> None:
    big_enquiry_branch(any_engine)
    with unit_of_work(any_engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        for _ in range(400):
            lobby.take("enquiry")
        for counter in (1, 2, 3, 4):
            lobby.set_services(counter, ["enquiry"])
            lobby.open_counter(counter, f"S{counter}")
    go = tmp_path / "go"
    workers = [spawn("call", url_of(any_engine), str(counter), NOW, str(go))
               for counter in (1, 2, 3, 4)]
    called = run_together(workers, go)
    assert len(called) == 400
    assert len(set(called)) == 400
    with unit_of_work(any_engine) as session:
        calls = Tally(session.scalars(select(TicketEvent.ticket_id).where(
            TicketEvent.kind == "call")).all())
        waiting = session.scalar(select(func.count()).select_from(Ticket).where(
            Ticket.status == "waiting"))
    assert len(calls) == 400
    assert set(calls.values()) == {1}
    assert waiting == 0


@pytest.mark.slow
def test_kill_9_while_taking_loses_no_printed_number(engine: Engine) -> None:
    big_enquiry_branch(engine)
    db_file = engine.url.database
    assert db_file is not None
    proc = spawn("take-forever", url_of(engine), "enquiry", NOW)
    assert proc.stdout is not None
    printed = [proc.stdout.readline().strip() for _ in range(150)]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    rest = proc.stdout.read().split()
    proc.stdout.close()
    assert proc.stderr is not None
    proc.stderr.close()
    printed += rest
    engine.dispose()
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in conn.execute(
            "SELECT number FROM ticket WHERE service_code = 'enquiry'")}
        last_seq = conn.execute("SELECT last_seq FROM ticket_sequence WHERE "
                                "service_code = 'enquiry'").fetchone()[0]
    finally:
        conn.close()
    assert set(printed) <= stored
    # Nothing half-written: the sequence and the tickets agree, with no gap.
    assert stored == {f"A{i:03d}" for i in range(1, last_seq + 1)}


@pytest.mark.slow
@pytest.mark.postgres
def test_thirty_processes_first_using_a_fresh_postgresql_database_all_succeed(
        pg_url: str, tmp_path: Path) -> None:
    """Migrating is serialised; seeding the defaults must be too (pk_branch)."""
    from kiosk.db import make_engine
    from kiosk.models import Branch

    go = tmp_path / "go"
    workers = [spawn("first-use", pg_url, str(go)) for _ in range(30)]
    outcomes = run_together(workers, go)
    assert sorted(outcomes) == ["ready"] * 29 + ["seeded"]
    engine = make_engine(pg_url)
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Branch)) == 1
    engine.dispose()


def _someone_waits_for_a_lock(engine: Engine) -> bool:
    with engine.connect() as conn:
        return bool(conn.exec_driver_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'").scalar())


def _hold_while(engine: Engine, first: Callable[[Session], object], second: threading.Thread,
                what: str) -> None:
    """Run ``first`` in a write unit of work and start ``second`` inside it; commit only
    once ``second`` has finished or waits for a lock this transaction holds."""
    try:
        with unit_of_work(engine, write=True) as session:
            first(session)
            second.start()
            deadline = time.monotonic() + 30
            while second.is_alive() and not _someone_waits_for_a_lock(engine):
                assert time.monotonic() < deadline, f"{what} neither ran nor waited"
                time.sleep(0.01)
    finally:
        second.join(timeout=30)
    assert not second.is_alive()


@pytest.mark.postgres
def test_two_counters_pausing_at_once_on_postgresql_leave_one_open(pg_url: str) -> None:
    """Each pause alone is allowed (the other counter covers claims); both at once
    would leave claims with no open counter. SQLite's write lock keeps them apart;
    on PostgreSQL the second pause must wait for the first and then be refused."""
    from kiosk.errors import RuleRefused

    engine = open_all_hours_engine(pg_url)
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        for counter in (4, 5):
            lobby.set_services(counter, ["claims"])
            lobby.open_counter(counter, f"S{counter}")
    outcome: dict[str, str] = {}

    def pause_five() -> None:
        try:
            with unit_of_work(engine, write=True) as other:
                Lobby(other, now=MONDAY_10AM).pause_counter(5)
            outcome["five"] = "paused"
        except RuleRefused as exc:
            outcome["five"] = exc.code

    _hold_while(engine, lambda session: Lobby(session, now=MONDAY_10AM).pause_counter(4),
                threading.Thread(target=pause_five), "the second pause")
    assert outcome == {"five": "only_open_counter"}
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        assert [lobby.counter(n).status for n in (4, 5)] == ["paused", "open"]
    engine.dispose()


@pytest.mark.postgres
def test_a_cancel_racing_a_call_on_postgresql_records_the_called_state(pg_url: str) -> None:
    """The customer cancels at the kiosk while a counter is calling their ticket: the
    cancel waits for the call and its event says it cancelled a called ticket."""
    engine = open_all_hours_engine(pg_url)
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        lobby.take("claims")
        lobby.open_counter(4, "S4")
    errors: list[BaseException] = []

    def cancel() -> None:
        try:
            with unit_of_work(engine, write=True) as other:
                Lobby(other, now=MONDAY_10AM).cancel("D001", "customer left")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    def call(session: Session) -> None:
        assert Lobby(session, now=MONDAY_10AM).call_next(4) is not None

    _hold_while(engine, call, threading.Thread(target=cancel), "the cancel")
    assert errors == []
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        ticket = lobby.ticket("D001")
        last = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
                               .order_by(TicketEvent.id.desc())).first()
        assert ticket.status == "cancelled"
        assert last is not None
        assert (last.kind, last.from_state) == ("cancel", "called")
        assert lobby.counter(4).current_ticket_id is None
    engine.dispose()
