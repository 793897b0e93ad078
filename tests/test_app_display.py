"""kiosk.app.display on both backends: the board with today's calls newest first up to
the feed position it includes, the notice, the voice settings, the speakers in the
device health, and a SQLite file that has gone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import AppContext, DatabaseUnreachable
from kiosk.app.display import (
    display_board,
    display_notice,
    report_sound,
    set_display_notice,
    voice_settings,
)
from kiosk.app.stations import device_health
from kiosk.branch.info import load_branch
from kiosk.branch.settings import apply_config
from kiosk.branch.values import set_setting
from kiosk.devices.voice import VoiceSettings
from kiosk.errors import UsageError
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.feed_support import act


@pytest.fixture
def app(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = AppContext.open(db_url, station="TV-1")
    with context.write() as session:
        apply_config(session, open_all_hours())
    yield context
    context.close()


def test_the_board_lists_todays_calls_newest_first_up_to_its_position(
        app: AppContext) -> None:
    for service in ("claims", "claims", "enquiry"):
        act(app.engine, "take", service)
    for counter in (4, 5, 1):
        act(app.engine, "open_counter", counter, f"S{counter}")
    act(app.engine, "call_next", 4)
    act(app.engine, "call_next", 5)
    act(app.engine, "recall", 4)
    act(app.engine, "call_next", 1)
    board = display_board(app)
    assert [(c.number, c.counter, c.kind) for c in board.calls] == [
        ("A001", 1, "call"), ("D001", 4, "recall"), ("D002", 5, "call"), ("D001", 4, "call")]
    assert board.feed_position == board.calls[0].position
    assert [c.position for c in board.calls] == sorted(
        (c.position for c in board.calls), reverse=True)
    assert {s.code: s.waiting for s in board.services}["claims"] == 0
    assert {c.number: c.status for c in board.counters}[4] == "open"
    assert (board.name_zh, board.timezone) == ("客户服务中心", "Asia/Shanghai")
    assert len(display_board(app, recent=2).calls) == 2


def test_notice_and_voice_settings(app: AppContext) -> None:
    assert display_notice(app) == ""
    assert set_display_notice(app, "今天 15:00\n  后暂停理赔\x07") == "今天 15:00 后暂停理赔"
    assert display_board(app).notice == "今天 15:00 后暂停理赔"
    with pytest.raises(UsageError) as refused:
        set_display_notice(app, "x" * 301)
    assert refused.value.code == "too_long"
    assert display_notice(app) == "今天 15:00 后暂停理赔"  # the old one kept
    assert voice_settings(app).settings() == VoiceSettings()
    with app.write() as session:
        branch = load_branch(session).id
        set_setting(session, branch, "voice_languages", ["en", "zh"])
        set_setting(session, branch, "voice_repeat", 3)
    voice = display_board(app).voice
    assert (voice.languages, voice.repeat) == (("en", "zh"), 3)
    assert voice.settings().languages == ("en", "zh")


def test_the_speakers_are_recorded_as_the_stations_device_health(app: AppContext) -> None:
    assert report_sound(app, "no sound server")
    assert not report_sound(app, "no sound server")  # unchanged: no write
    [speakers] = [d for d in device_health(app).devices if d.device == "speakers"]
    assert (speakers.station, speakers.state, speakers.problem_zh, speakers.problem_en) == (
        "TV-1", "problem", "叫号语音无法播放", "calls are not spoken: no sound server")
    assert report_sound(app, None)
    [speakers] = [d for d in device_health(app).devices if d.device == "speakers"]
    assert speakers.state == "ok"


def test_a_sqlite_file_that_has_gone_is_unreachable_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "branch.db"
    app = AppContext.open(f"sqlite:///{path}", station="TV-1")
    try:
        display_board(app)
        app.engine.dispose()
        path.rename(tmp_path / "moved.db")
        with pytest.raises(DatabaseUnreachable) as lost:
            display_board(app)
        assert "missing" in lost.value.en
        assert not path.exists()
    finally:
        app.close()
