"""ui.feed.FeedWatcher: calls made by another process arrive as a signal on the GUI
thread; a lost database is reported and, once back, what was missed follows."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.branch.settings import apply_config
from kiosk.db import unit_of_work
from kiosk.queue.feed import FeedEvent
from tests.conftest import open_all_hours
from tests.feed_support import act, kiosk, latest, open_all_hours_engine, url_of
from tests.pg import PostgresServer
from ui.feed import FeedWatcher

WAIT_MS = 60_000  # generous bound on a loaded machine; nothing here is a timing check


def test_calls_from_another_process_arrive_on_the_gui_thread_in_order(
        qtbot: QtBot, open_engine: Engine) -> None:
    act(open_engine, "open_counter", 1, "S1")
    act(open_engine, "take", "enquiry")
    act(open_engine, "take", "enquiry")
    watcher = FeedWatcher(open_engine, after_id=latest(open_engine))
    threads: list[threading.Thread] = []
    watcher.events.connect(lambda _events: threads.append(threading.current_thread()))
    watcher.start()
    try:
        with qtbot.waitSignal(watcher.events, timeout=WAIT_MS) as first:
            assert kiosk(url_of(open_engine), "counter", "call", "1").returncode == 0
        with qtbot.waitSignal(watcher.events, timeout=WAIT_MS) as second:
            assert kiosk(url_of(open_engine), "counter", "recall", "1").returncode == 0
    finally:
        assert watcher.stop()
    events: list[FeedEvent] = first.args[0] + second.args[0]
    assert [(e.kind, e.ticket, e.counter, e.recalls) for e in events] == [
        ("call", "A001", 1, 0), ("recall", "A001", 1, 1)]
    assert threads == [threading.main_thread()] * 2
    assert watcher.position == events[-1].id


def test_after_a_stop_a_new_start_carries_on_where_delivery_stopped(
        qtbot: QtBot, engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
    act(engine, "open_counter", 1, "S1")
    watcher = FeedWatcher(engine, after_id=latest(engine), kinds=("call", "counter_close"))
    watcher.start()
    with qtbot.waitSignal(watcher.events, timeout=WAIT_MS) as before:
        act(engine, "take", "enquiry")
        act(engine, "call_next", 1)
    assert watcher.stop()
    assert not watcher.running
    act(engine, "finish", 1)           # not asked for
    act(engine, "close_counter", 1)    # happens while nobody listens
    watcher.start()
    try:
        with qtbot.waitSignal(watcher.events, timeout=WAIT_MS) as after:
            pass
    finally:
        assert watcher.stop()
    assert [e.kind for e in before.args[0]] == ["call"]
    assert [e.kind for e in after.args[0]] == ["counter_close"]


@pytest.mark.slow
@pytest.mark.postgres
def test_a_lost_database_is_reported_and_the_missed_calls_follow_its_return(
        qtbot: QtBot) -> None:
    server = PostgresServer()  # its own server: this test stops it
    server.start()
    try:
        engine = open_all_hours_engine(server.create_database())
        act(engine, "open_counter", 1, "S1")
        watcher = FeedWatcher(engine, after_id=latest(engine))
        reasons: list[str] = []
        delivered: list[FeedEvent] = []
        watcher.connection_lost.connect(reasons.append)
        watcher.events.connect(delivered.extend)
        watcher.start()
        try:
            with qtbot.waitSignal(watcher.connection_lost, timeout=WAIT_MS):
                server.halt()
            assert watcher.connected is False
            with qtbot.waitSignals([watcher.connection_restored, watcher.events],
                                   order="strict", timeout=WAIT_MS):
                server.resume()
                engine.dispose()
                act(engine, "take", "enquiry")
                act(engine, "call_next", 1)
        finally:
            assert watcher.stop()
        engine.dispose()
    finally:
        server.stop()
    assert reasons
    assert watcher.connected is True
    assert [(e.kind, e.ticket) for e in delivered][:1] == [("issue", "A001")]
