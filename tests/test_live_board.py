"""The admin panel's live board (kiosk.app.live_board): counters with their current
customer and how long it has been served, queues with their longest wait against the
target, in a constant number of statements; both backends."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event

from kiosk.app import AppContext
from kiosk.app.board import CounterFacts, ServiceLine, lobby_board
from kiosk.app.live_board import live_board
from kiosk.db import unit_of_work
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM


def at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> None:
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(minutes=minutes)).isoformat())


def act(engine: Engine, action: str, *args: object) -> None:
    with unit_of_work(engine, write=True) as session:
        getattr(Lobby(session), action)(*args)


def test_counters_and_queues_as_of_now(open_engine: Engine,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 0)
    act(open_engine, "take", "enquiry")               # A001, waits from 10:00
    at(monkeypatch, 3)
    act(open_engine, "take", "claims", "care")        # D001, waits from 10:03
    act(open_engine, "take", "enquiry")               # A002
    act(open_engine, "open_counter", 1, "S0101")
    act(open_engine, "open_counter", 4, "S0401")
    act(open_engine, "pause_counter", 4, "SUP1")
    at(monkeypatch, 5)
    act(open_engine, "call_next", 1, "S0101")         # A001 called at 10:05
    at(monkeypatch, 17.5)
    board = live_board(AppContext(open_engine, "ADMIN"))

    assert board.business_date == "2026-11-23"
    assert board.at.startswith("2026-11-23T10:17:30")
    counters = {c.number: c for c in board.counters}
    one = counters[1]
    assert (one.status, one.staff, one.ticket, one.ticket_status, one.service,
            one.priority) == ("open", "S0101", "A001", "called", "enquiry", "normal")
    assert one.serving_s == 12 * 60 + 30
    assert counters[4].status == "paused"
    assert counters[4].ticket is None
    assert counters[4].serving_s is None
    assert counters[2].status == "closed"
    assert counters[2].staff is None
    queues = {q.code: q for q in board.queues}
    enquiry, claims = queues["enquiry"], queues["claims"]
    assert (enquiry.waiting, enquiry.open_counters) == (1, 1)
    assert enquiry.longest_wait_s == (17 * 60 + 30) - 3 * 60  # A002; A001 is at a counter
    assert enquiry.target_wait_min == 10
    assert enquiry.over_target
    assert claims.longest_wait_s == 14 * 60 + 30
    assert claims.target_wait_min == 20
    assert not claims.over_target
    assert queues["payments"].longest_wait_s is None
    assert not queues["payments"].over_target


def test_a_clock_stepped_back_never_shows_a_negative_duration(
        open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 10)
    act(open_engine, "take", "enquiry")
    act(open_engine, "open_counter", 1, "S0101")
    act(open_engine, "take", "enquiry")
    act(open_engine, "call_next", 1, "S0101")
    at(monkeypatch, 8)
    board = live_board(AppContext(open_engine, "ADMIN"))
    assert {c.number: c.serving_s for c in board.counters}[1] == 0
    assert {q.code: q.longest_wait_s for q in board.queues}["enquiry"] == 0


def count_statements(engine: Engine) -> list[str]:
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    return seen


def test_the_board_costs_the_same_statements_however_big_the_branch(
        open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 0)
    app = AppContext(open_engine, "ADMIN")
    live_board(app)  # warm: the branch settings cached per unit of work either way
    seen = count_statements(open_engine)
    live_board(app)
    small = len(seen)
    for code in ("enquiry", "claims", "payments", "vip", "new_business"):
        for _ in range(3):
            act(open_engine, "take", code)
    for number in range(1, 7):
        act(open_engine, "open_counter", number, f"S{number}")
        act(open_engine, "call_next", number, f"S{number}")
    seen.clear()
    board = live_board(app)
    assert len(seen) == small
    assert sum(1 for c in board.counters if c.ticket) == 6


def test_the_board_is_json_by_the_one_convention(open_engine: Engine,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, 0)
    act(open_engine, "take", "enquiry")
    data = live_board(AppContext(open_engine, "ADMIN")).to_json()
    enquiry = next(q for q in data["queues"] if q["code"] == "enquiry")
    assert enquiry["waiting"] == 1
    assert enquiry["longest_wait_s"] == 0
    assert isinstance(enquiry["wait_min"], list)
    assert data["counters"][0]["number"] == 1


def test_the_admin_board_shows_counters_and_services_as_the_lobby_board_does(
        open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """One reading of the snapshot's rows (kiosk.app.board): a counter's facts and a
    service's line are the same on both boards, in the same JSON keys and order."""
    at(monkeypatch, 0)
    act(open_engine, "take", "enquiry")
    act(open_engine, "open_counter", 1, "S0101")
    act(open_engine, "call_next", 1, "S0101")
    act(open_engine, "take", "claims")
    app = AppContext(open_engine, "ADMIN")
    admin, lobby = live_board(app), lobby_board(app)
    facts = [f.name for f in fields(CounterFacts)]
    lines = [f.name for f in fields(ServiceLine)]
    assert [[getattr(c, n) for n in facts] for c in admin.counters] == \
        [[getattr(c, n) for n in facts] for c in lobby.counters]
    assert [[getattr(q, n) for n in lines] for q in admin.queues] == \
        [[getattr(s, n) for n in lines] for s in lobby.services]
    data = admin.to_json()
    assert list(data["counters"][0]) == [
        "number", "status", "staff", "services", "ticket", "ticket_status", "service",
        "priority", "serving_s"]
    assert list(data["queues"][0]) == [
        "code", "prefix", "name_zh", "name_en", "enabled", "waiting", "open_counters",
        "wait_min", "longest_wait_s", "target_wait_min", "over_target"]
    assert data["counters"][0]["services"] == list(lobby.counters[0].services)


def test_the_board_counts_open_and_overdue_complaints(open_engine: Engine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app.complaints import submit_complaint

    at(monkeypatch, 0)  # Monday: feedback due Wednesday
    app = AppContext(open_engine, "ADMIN")
    submit_complaint(app, "waiting", "等太久")
    submit_complaint(app, "claims", "理赔慢")
    board = live_board(app)
    assert (board.complaints_open, board.complaints_overdue) == (2, 0)
    at(monkeypatch, 3 * 24 * 60)  # Thursday: both missed their progress feedback
    submit_complaint(app, "other", "新的")
    board = live_board(app)
    assert (board.complaints_open, board.complaints_overdue) == (3, 2)


def test_the_board_shows_every_stations_devices_and_the_calendar_warning(
        open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app.display import report_sound
    from kiosk.branch.info import load_branch
    from kiosk.devices.health import record_health
    from kiosk.devices.keypad_ports import configure_port
    from kiosk.models import Keypad

    at(monkeypatch, 0)
    record_health(open_engine, "K1", "printer", "problem",
                  ("打印机缺纸", "printer is out of paper"), detail="/dev/ttyS0",
                  at=MONDAY_10AM - timedelta(minutes=8))
    report_sound(AppContext(open_engine, "DISPLAY"), "no audio output device")
    with unit_of_work(open_engine, write=True) as session:
        configure_port(session, "/dev/ttyUSB1", {1: 1}, station="C1")
    with unit_of_work(open_engine, write=True) as session:
        keypad = session.query(Keypad).filter_by(address=1).one()
        keypad.online, keypad.last_seen_at = False, MONDAY_10AM - timedelta(minutes=3)
    board = live_board(AppContext(open_engine, "ADMIN"))
    devices = {(d.station, d.device): d for d in board.devices}
    assert set(devices) == {("C1", "keypad 1 (counter 1)"), ("DISPLAY", "speakers"),
                            ("K1", "printer")}
    paper = devices[("K1", "printer")]
    assert (paper.state, paper.problem_en, paper.since) == (
        "problem", "printer is out of paper", "2026-11-23T09:52:00+08:00")
    assert devices[("C1", "keypad 1 (counter 1)")].problem_en == "keypad offline"
    speakers = devices[("DISPLAY", "speakers")]
    assert (speakers.problem_en, speakers.since) == (
        "calls are not spoken: no audio output device", "2026-11-23T10:00:00+08:00")

    with unit_of_work(open_engine) as session:
        gap = load_branch(session).calendar_gap(MONDAY_10AM.date())
    assert [(w.code, w.en) for w in board.warnings] == (
        [] if gap is None else [("calendar_gap", gap.en)])


def test_a_branch_without_this_years_calendar_is_warned_on_the_board(
        open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from kiosk.branch.settings import apply_config, default_config

    at(monkeypatch, 0)
    config = default_config()
    with unit_of_work(open_engine, write=True) as session:  # no national calendar, no own
        apply_config(session, replace(config, settings={**config.settings,
                                                        "national_calendar": False}))
    board = live_board(AppContext(open_engine, "ADMIN"))
    assert [w.code for w in board.warnings] == ["calendar_gap"]
    assert "2026" in board.warnings[0].en
    assert "2026" in board.warnings[0].zh
