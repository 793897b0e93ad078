"""The lobby display role with the real database and the call feed: calls made by
another process show up and are said (both backends), every service prefix, calls at
the same moment queue, the database going away and coming back, no audio device, the
notice set elsewhere, and ``kiosk run --role display`` on a real X screen."""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app.stations import device_health
from kiosk.branch.info import load_branch
from kiosk.branch.settings import apply_config
from kiosk.branch.values import set_setting
from kiosk.db import make_engine, unit_of_work
from kiosk.devices.voice import Announcement
from kiosk.migrate import ensure_ready
from kiosk.queue.feed import FeedEvent
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.feed_support import act, kiosk
from tests.pg import PostgresServer
from tests.voice_support import PulseServer
from ui import tasks
from ui.lobby.window import LobbyDisplay
from ui.voice.announcer import Announcer
from ui.voice.speaker_link import RETRY_S

WAIT_MS = 60_000


def prepare(engine: Engine) -> None:
    """The default branch open round the clock, counters 1-6 open, short calls (Mandarin
    once, no chime: the tests hear them quickly)."""
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session).id
        set_setting(session, branch, "voice_languages", ["zh"])
        set_setting(session, branch, "voice_repeat", 1)
        set_setting(session, branch, "voice_chime", False)
    for counter in range(1, 7):
        act(engine, "open_counter", counter, f"S{counter}")


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process and the ones it starts act at the same instant (feed_support)."""
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())


@contextlib.contextmanager
def running_display(qtbot: QtBot, url: str, tmp_path: Path, *, refresh_ms: int = 10_000,
                    retry_s: tuple[float, ...] = RETRY_S) -> Iterator[LobbyDisplay]:
    app = AppContext.open(url, station="display-1")
    window: LobbyDisplay | None = None
    shown: list[LobbyDisplay] = []
    # The test's own audio lock file (other test runs may be speaking on this machine).
    announcer = Announcer(settings=lambda: shown[0].voice, lock_path=tmp_path / "audio.lock",
                          retry_s=retry_s)
    try:
        window = LobbyDisplay(app, refresh_ms=refresh_ms, announcer=announcer)
        shown.append(window)
        qtbot.addWidget(window)
        window.resize(1920, 1080)
        window.show()
        # The board is read and the feed followed from the position the board includes.
        qtbot.waitUntil(lambda: window.feed is not None and window.feed.running,
                        timeout=WAIT_MS)
        yield window
    finally:
        if window is not None:
            window.allow_close = True
            window.close()
        announcer.close()
        # Let the board's last reads and health reports come back before the test ends.
        qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=WAIT_MS)
        app.close()


def said(window: LobbyDisplay) -> list[Announcement]:
    heard: list[Announcement] = []
    window.announcer.queued.connect(heard.append)
    return heard


@pytest.fixture
def display_db(db_url: str, now: None) -> str:
    engine = make_engine(db_url)
    ensure_ready(engine)
    prepare(engine)
    for service in ("claims", "claims", "enquiry", "vip"):
        act(engine, "take", service)
    engine.dispose()
    return db_url


def test_a_call_from_another_process_shows_at_once_and_is_said(
        display_db: str, speakers: PulseServer, qtbot: QtBot, tmp_path: Path) -> None:
    with running_display(qtbot, display_db, tmp_path) as window:
        heard = said(window)
        assert kiosk(display_db, "counter", "call", "4").returncode == 0
        qtbot.waitUntil(lambda: window.board.hero.number.text() == "D001", timeout=WAIT_MS)
        assert window.board.hero.counter.text() == "4号窗口"
        assert window.board.hero.flashing
        qtbot.waitUntil(lambda: len(heard) == 1, timeout=WAIT_MS)
        assert (heard[0].number, heard[0].counter, heard[0].kind) == ("D001", 4, "call")
        assert heard[0].text == "请 D001 号到 4 号窗口办理"
        # The waiting count follows (one board refresh after the feed's events).
        qtbot.waitUntil(lambda: window.board.waiting.tiles["claims"][3].text() == "1",
                        timeout=WAIT_MS)

        qtbot.waitUntil(lambda: not window.board.hero.flashing, timeout=WAIT_MS)
        assert kiosk(display_db, "counter", "call", "1").returncode == 0
        qtbot.waitUntil(lambda: window.board.hero.number.text() == "A001", timeout=WAIT_MS)
        assert window.board.recent.calls[0][:2] == ("D001", 4)
        assert kiosk(display_db, "counter", "recall", "4").returncode == 0
        qtbot.waitUntil(lambda: window.board.hero.number.text() == "D001", timeout=WAIT_MS)
        assert window.board.hero.title.text() == "再次呼叫"
        assert window.board.hero.flashing  # a recall flashes again
        qtbot.waitUntil(lambda: len(heard) == 3, timeout=WAIT_MS)
        assert [(a.number, a.kind) for a in heard] == [("D001", "call"), ("A001", "call"),
                                                        ("D001", "recall")]


def test_every_service_prefix_is_shown_and_said(sqlite_url: str, now: None,
                                                speakers: PulseServer, qtbot: QtBot,
                                                tmp_path: Path) -> None:
    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    prepare(engine)
    # The counter that serves each service first (branch.toml).
    at = {"enquiry": 1, "new_business": 2, "policy_change": 3, "claims": 4, "vip": 6,
          "payments": 1, "complaints": 5}
    numbers = {}
    for service in at:
        numbers[service] = act(engine, "take", service).number
    with running_display(qtbot, sqlite_url, tmp_path) as window:
        heard = said(window)
        for service, counter in at.items():
            number = numbers[service]
            act(engine, "call_number", counter, number)
            qtbot.waitUntil(lambda n=number: window.board.hero.number.text() == n,
                            timeout=WAIT_MS)
        qtbot.waitUntil(lambda: len(heard) == len(at), timeout=WAIT_MS)
    engine.dispose()
    assert sorted(n[0] for n in numbers.values()) == ["A", "B", "C", "D", "E", "F", "V"]
    # (Rendered on workers at once, so they come ready in any order; said in order.)
    assert sorted(a.text for a in heard) == sorted(f"请 {numbers[s]} 号到 {c} 号窗口办理"
                                                   for s, c in at.items())


@pytest.mark.slow
def test_calls_at_the_same_moment_are_said_one_after_another(
        display_db: str, speakers: PulseServer, qtbot: QtBot, tmp_path: Path) -> None:
    with running_display(qtbot, display_db, tmp_path) as window:
        events: list[tuple[str, str]] = []
        window.announcer.started.connect(lambda a: events.append(("started", a.number)))
        window.announcer.finished.connect(lambda a: events.append(("finished", a.number)))
        callers = [subprocess.Popen([sys.executable, "-m", "kiosk", "--db", display_db,
                                     "counter", "call", str(c)]) for c in (4, 5, 6)]
        assert [p.wait(120) for p in callers] == [0, 0, 0]
        qtbot.waitUntil(lambda: len(events) == 6, timeout=90_000)
    assert [kind for kind, _ in events] == ["started", "finished"] * 3
    assert sorted({number for _, number in events}) == ["D001", "D002", "V001"]


@pytest.mark.slow
def test_losing_the_sqlite_file_shows_reconnecting_keeps_the_board_and_recovers(
        sqlite_url: str, now: None, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-sound'}")
    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    prepare(engine)
    act(engine, "take", "claims")
    act(engine, "take", "claims")
    act(engine, "call_next", 4)
    engine.dispose()
    path = Path(engine.url.database or "")
    away = tmp_path / "away"
    away.mkdir()
    with running_display(qtbot, sqlite_url, tmp_path, refresh_ms=500) as window:
        qtbot.waitUntil(lambda: window.board.hero.number.text() == "D001", timeout=WAIT_MS)
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        for file in files:
            shutil.move(file, away / file.name)
        try:
            qtbot.waitUntil(lambda: window.board.reconnecting, timeout=WAIT_MS)
            assert window.board.hero.number.text() == "D001"  # the last board stays
            assert window.board.waiting.tiles["claims"][3].text() == "1"
        finally:
            for file in files:
                shutil.move(away / file.name, file)
        act(engine, "call_next", 5)
        qtbot.waitUntil(lambda: window.board.hero.number.text() == "D002", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: not window.board.reconnecting, timeout=WAIT_MS)
    engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
def test_losing_postgresql_shows_reconnecting_and_recovers_with_what_was_missed(
        now: None, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-sound'}")
    server = PostgresServer()  # its own server: this test stops it
    server.start()
    try:
        url = server.create_database()
        engine = make_engine(url)
        ensure_ready(engine)
        prepare(engine)
        for service in ("claims", "claims", "vip"):
            act(engine, "take", service)
        act(engine, "call_next", 4)
        with running_display(qtbot, url, tmp_path, refresh_ms=500) as window:
            qtbot.waitUntil(lambda: window.board.hero.number.text() == "D001",
                            timeout=WAIT_MS)
            server.halt()
            qtbot.waitUntil(lambda: window.board.reconnecting, timeout=WAIT_MS)
            assert window.board.hero.number.text() == "D001"
            server.resume()
            engine.dispose()
            act(engine, "call_next", 6)  # made while the display is still reconnecting
            qtbot.waitUntil(lambda: window.board.hero.number.text() == "V001",
                            timeout=60_000)
            qtbot.waitUntil(lambda: not window.board.reconnecting, timeout=60_000)
        engine.dispose()
    finally:
        server.stop()


def test_without_an_audio_device_the_board_works_and_it_is_logged_once(
        display_db: str, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-sound'}")
    caplog.set_level(logging.WARNING)
    with running_display(qtbot, display_db, tmp_path) as window:
        for counter, number in ((4, "D001"), (5, "D002"), (6, "V001")):
            assert kiosk(display_db, "counter", "call", str(counter)).returncode == 0
            qtbot.waitUntil(lambda n=number: window.board.hero.number.text() == n,
                            timeout=WAIT_MS)
        assert window.announcer.available is False
        assert window.announcer.idle
        # Recorded once as this station's device health: the admin board shows it.
        app = window.app
        qtbot.waitUntil(lambda: any(d.device == "speakers" for d in device_health(app).devices),
                        timeout=WAIT_MS)
        speakers = [d for d in device_health(app).devices if d.device == "speakers"]
        assert [(d.station, d.state, d.problem_zh) for d in speakers] == [
            ("display-1", "problem", "叫号语音无法播放")]
        assert speakers[0].problem_en.startswith("calls are not spoken: ")
    logged = [r for r in caplog.records if "calls are not spoken" in r.getMessage()]
    assert len(logged) == 1


def call_event(position: int, number: str, counter: int, minutes_ago: int) -> FeedEvent:
    return FeedEvent(position, "call", MONDAY_10AM - timedelta(minutes=minutes_ago), number,
                     "claims", counter, 0, None, "", position)


def test_calls_missed_while_away_are_shown_but_only_recent_ones_said(
        display_db: str, speakers: PulseServer, qtbot: QtBot, tmp_path: Path) -> None:
    with running_display(qtbot, display_db, tmp_path) as window:
        window._catching_up = True  # as after the feed's connection_restored
        window._on_events([call_event(10_001, "D009", 4, 10), call_event(10_002, "D010", 5, 0)])
        assert window.board.hero.number.text() == "D010"
        assert window.board.recent.calls[0][:2] == ("D009", 4)
        assert window.announcer.waiting() == [("D010", 5)]  # ten minutes old: not said
        # Live calls are said even when the PC that made them has its clock behind.
        window._on_events([call_event(10_003, "D011", 6, 10)])
        assert window.announcer.waiting()[-1] == ("D011", 6)
        qtbot.waitUntil(lambda: window.announcer.idle, timeout=WAIT_MS)


def speakers_health(app: AppContext) -> list[tuple[str, str]]:
    return [(d.station, d.state) for d in device_health(app).devices if d.device == "speakers"]


@pytest.mark.slow
def test_speakers_back_are_recorded_ok_and_calls_are_said_again(
        display_db: str, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    later = PulseServer(tmp_path / "later")
    monkeypatch.setenv("PULSE_SERVER", later.env()["PULSE_SERVER"])
    with running_display(qtbot, display_db, tmp_path, retry_s=(0.5,)) as window:
        app = window.app
        qtbot.waitUntil(lambda: speakers_health(app) == [("display-1", "problem")],
                        timeout=WAIT_MS)
        try:
            later.start()
            qtbot.waitUntil(lambda: speakers_health(app) == [("display-1", "ok")],
                            timeout=WAIT_MS)
            heard = said(window)
            assert kiosk(display_db, "counter", "call", "4").returncode == 0
            qtbot.waitUntil(lambda: [a.number for a in heard] == ["D001"], timeout=WAIT_MS)
        finally:
            window.announcer.close()
            later.stop()


def test_a_notice_set_elsewhere_appears_and_goes(display_db: str, qtbot: QtBot,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-sound'}")
    with running_display(qtbot, display_db, tmp_path, refresh_ms=300) as window:
        assert window.board.notice.isHidden()
        assert kiosk(display_db, "display", "notice", "系统维护 / Maintenance").returncode == 0
        qtbot.waitUntil(lambda: window.board.notice.text == "系统维护 / Maintenance",
                        timeout=WAIT_MS)
        assert window.board.notice.isVisible()
        assert kiosk(display_db, "display", "notice", "--clear").returncode == 0
        qtbot.waitUntil(lambda: window.board.notice.isHidden(), timeout=WAIT_MS)
