"""Following the call feed from another process: the listener wakes on a change made
elsewhere, survives the database going away and coming back, and ``kiosk watch``
prints each event as one line until interrupted."""

from __future__ import annotations

import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import Engine

from kiosk.db import make_engine
from kiosk.migrate import ensure_ready
from kiosk.queue.feed import FeedEvent
from kiosk.queue.listen import FeedListener
from tests.feed_support import ROOT, act, kiosk, kiosk_env, latest, open_all_hours_engine, url_of
from tests.pg import PostgresServer

WAIT_S = 60.0  # generous: a loaded machine; no test asserts how fast anything was


def collect(listener: FeedListener, count: int) -> list[FeedEvent]:
    """Events until ``count`` arrived (each wait bounded, so a bug fails, not hangs)."""
    events: list[FeedEvent] = []
    for _ in range(int(WAIT_S)):
        events += listener.next_events(timeout=1.0)
        if len(events) >= count:
            return events
    raise AssertionError(f"only {len(events)} of {count} events arrived: {events}")


def test_a_listener_wakes_on_a_call_made_by_another_process(open_engine: Engine) -> None:
    act(open_engine, "open_counter", 1, "S1")
    act(open_engine, "take", "enquiry")
    listener = FeedListener(open_engine)
    try:
        assert listener.next_events(timeout=0) == []  # from now on: the past is not news
        done = kiosk(url_of(open_engine), "counter", "call", "1")
        assert done.returncode == 0, done.stderr
        events = collect(listener, 1)
    finally:
        listener.close()
    assert [(e.kind, e.ticket, e.counter, e.staff) for e in events] == [
        ("call", "A001", 1, "S1")]


def test_stop_from_another_thread_ends_a_wait_that_has_no_timeout(db_url: str) -> None:
    engine = make_engine(db_url)
    ensure_ready(engine)
    listener = FeedListener(engine)
    results: list[list[FeedEvent]] = []
    waiting = threading.Thread(target=lambda: results.append(listener.next_events()))
    waiting.start()
    listener.stop()
    waiting.join(WAIT_S)
    listener.close()
    engine.dispose()
    assert not waiting.is_alive()
    assert results == [[]]
    assert listener.next_events() == []  # stopped for good


@pytest.mark.slow
@pytest.mark.postgres
def test_a_listener_survives_a_postgresql_restart_and_misses_nothing() -> None:
    server = PostgresServer()  # its own server: this test stops it
    server.start()
    try:
        engine = open_all_hours_engine(server.create_database())
        act(engine, "open_counter", 1, "S1")
        states: list[tuple[bool, str]] = []
        listener = FeedListener(engine, on_connection=lambda up, why: states.append((up, why)))
        assert listener.next_events(timeout=0) == []
        server.halt()
        assert listener.next_events(timeout=3.0) == []  # lost: waits, never raises
        assert [up for up, _ in states] == [False]
        assert states[0][1]  # the reason, for the screen and the log
        # No spinning: the pause between attempts doubles up to RETRY_MAX_S, so three
        # seconds hold a handful of attempts, not thousands.
        assert 1 <= listener.failed_attempts <= 3 / 0.25 + 1
        server.resume()
        engine.dispose()  # the test's own pool still holds the dead connections
        act(engine, "take", "enquiry")  # made while the listener may still be away
        act(engine, "call_next", 1)
        events = collect(listener, 2)
        assert [up for up, _ in states] == [False, True]
        assert [(e.kind, e.ticket) for e in events] == [("issue", "A001"), ("call", "A001")]
        listener.close()
        engine.dispose()
    finally:
        server.stop()


def test_a_listener_survives_the_sqlite_file_moving_away_and_back(
        sqlite_url: str, tmp_path: Path) -> None:
    engine = open_all_hours_engine(sqlite_url)
    act(engine, "open_counter", 1, "S1")
    engine.dispose()
    states: list[bool] = []
    listener = FeedListener(engine, on_connection=lambda up, _why: states.append(up))
    assert listener.next_events(timeout=0) == []
    path = Path(engine.url.database or "")
    away = tmp_path / "away"
    away.mkdir()
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    for file in files:
        shutil.move(file, away / file.name)
    try:
        assert listener.next_events(timeout=1.0) == []
        assert states == [False]
        assert not path.exists()  # the listener never makes an empty database there
    finally:
        for file in files:
            shutil.move(away / file.name, file)
    act(engine, "take", "enquiry")
    events = collect(listener, 1)
    listener.close()
    engine.dispose()
    assert states == [False, True]
    assert [(e.kind, e.ticket) for e in events] == [("issue", "A001")]


# ----- kiosk watch ------------------------------------------------------------------------

class Watch:
    """``kiosk watch`` running in its own process; its stdout lines in a queue."""

    def __init__(self, url: str, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--db", url, "watch", *args], cwd=ROOT,
            env=kiosk_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        self._reader = threading.Thread(target=self._read, args=(self.process.stdout,))
        self._reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self.lines.put(line)

    def line(self) -> str:
        return self.lines.get(timeout=WAIT_S)

    def stop(self, sig: signal.Signals) -> tuple[int, str]:
        self.process.send_signal(sig)
        _, err = self.process.communicate(timeout=WAIT_S)
        self._reader.join()
        return self.process.returncode, err


@pytest.fixture
def watched(open_engine: Engine) -> tuple[Engine, int]:
    act(open_engine, "open_counter", 1, "S1")
    return open_engine, latest(open_engine)


def test_watch_json_prints_one_object_per_event_from_another_process(
        watched: tuple[Engine, int]) -> None:
    engine, latest = watched
    url = url_of(engine)
    # --from the position read before any call, so nothing can slip in before it listens
    watch = Watch(url, "--json", "--from", str(latest))
    for args in (("ticket", "take", "enquiry"), ("counter", "call", "1"),
                 ("counter", "recall", "1")):
        assert kiosk(url, *args).returncode == 0
    lines = [json.loads(watch.line()) for _ in range(3)]
    code, err = watch.stop(signal.SIGINT)
    assert code == 130, err
    assert [(o["type"], o["ticket"], o["service"], o["counter"], o["recalls"])
            for o in lines] == [("issue", "A001", "enquiry", None, 0),
                                ("call", "A001", "enquiry", 1, 0),
                                ("recall", "A001", "enquiry", 1, 1)]
    assert [o["id"] for o in lines] == [latest + 1, latest + 2, latest + 3]
    assert lines[1]["at"] == "2026-11-23T10:00:00.000+08:00"
    assert watch.lines.empty()  # nothing else on stdout


def test_watch_replays_from_an_id_filters_kinds_and_ends_with_0_on_sigterm(
        watched: tuple[Engine, int]) -> None:
    engine, _ = watched
    act(engine, "take", "enquiry")
    act(engine, "call_next", 1)
    watch = Watch(url_of(engine), "--from", "0", "--kind", "call", "--kind", "counter_open")
    first, second = watch.line(), watch.line()
    code, err = watch.stop(signal.SIGTERM)
    assert code == 0, err
    assert "counter_open" in first
    assert "counter 1" in first
    assert second.split()[2:6] == ["call", "A001", "enquiry", "counter"]


def test_watch_refuses_a_position_past_the_newest_and_an_unknown_type(
        watched: tuple[Engine, int]) -> None:
    engine, latest = watched
    past = kiosk(url_of(engine), "watch", "--json", "--from", str(latest + 1))
    assert past.returncode == 2
    assert json.loads(past.stdout)["error"] == "bad_position"
    unknown = kiosk(url_of(engine), "watch", "--kind", "called")
    assert unknown.returncode == 2
    assert "usage error" in unknown.stderr
