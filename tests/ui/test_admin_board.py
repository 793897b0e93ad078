"""The live board page through real widgets: counters and queues as the database has
them, a call made by another process shown from the call feed, over-target queues
and paused counters marked, durations running between reads."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from tests.conftest import MONDAY_10AM
from tests.feed_support import act, kiosk, url_of
from tests.ui.admin_support import admin_window, session
from ui import i18n
from ui.admin.board import BoardPage, duration

WAIT_MS = 60_000  # generous bound on a loaded machine; nothing here is a timing check


@pytest.fixture
def app(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    return AppContext(open_engine, "ADMIN")


def board_of(window: object) -> BoardPage:
    page = window.desk.page("board")  # type: ignore[attr-defined]
    assert isinstance(page, BoardPage)
    return page


def rows(grid: object) -> dict[str, list[str]]:
    return {row[0]: row for row in grid.row_texts()}  # type: ignore[attr-defined]


def test_the_board_shows_counters_and_queues_and_follows_the_feed(
        qtbot: QtBot, app: AppContext, open_engine: Engine) -> None:
    act(open_engine, "open_counter", 1, "S0101")
    act(open_engine, "take", "enquiry")
    act(open_engine, "take", "claims", "care")
    with admin_window(qtbot, app) as window:
        window.start_session(session())
        board = board_of(window)
        qtbot.waitUntil(lambda: board.board is not None, timeout=WAIT_MS)
        counters = rows(board.counters)
        assert counters["1"][1:4] == ["营业中", "S0101", "—"]
        assert counters["2"][1] == "关闭"
        queues = {row[0]: row for row in board.queues.row_texts()}
        assert queues["A 咨询查询"][1:3] == ["1", "1"]
        assert queues["D 理赔"][1:3] == ["1", "0"]
        qtbot.waitUntil(lambda: window.feed is not None, timeout=WAIT_MS)

        # another process (a counter PC) calls the customer: the board follows the feed
        assert kiosk(url_of(open_engine), "counter", "call", "1").returncode == 0
        qtbot.waitUntil(lambda: rows(board.counters)["1"][3].startswith("A001"),
                        timeout=WAIT_MS)
        assert rows(board.counters)["1"][3] == "A001 (已叫号)"
        assert rows(board.queues)["A 咨询查询"][1] == "0"


def test_over_target_queues_and_paused_counters_are_marked(
        qtbot: QtBot, app: AppContext, open_engine: Engine,
        monkeypatch: pytest.MonkeyPatch) -> None:
    act(open_engine, "take", "enquiry", minutes=-11)   # target 10 min: over
    act(open_engine, "take", "claims", minutes=-5)     # target 20 min: within
    act(open_engine, "open_counter", 4, "S0401")
    act(open_engine, "open_counter", 5, "S0501")
    act(open_engine, "pause_counter", 5, "SUP1")
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        board = board_of(window)
        qtbot.waitUntil(lambda: board.board is not None, timeout=WAIT_MS)
        levels = dict(zip(rows(board.queues), board.queues.row_levels(), strict=True))
        assert levels["A 咨询查询"] == "error"
        assert levels["D 理赔"] == ""
        assert rows(board.queues)["A 咨询查询"][3] == "11:00"
        counter_levels = dict(zip(rows(board.counters), board.counters.row_levels(),
                                  strict=True))
        assert counter_levels["5"] == "warning"
        assert counter_levels["4"] == ""

        # durations run on between reads, from the time the board arrived
        board._received -= 125
        board.redraw()
        assert rows(board.queues)["A 咨询查询"][3] == "13:05"

        i18n.set_language("en")
        assert rows(board.counters)["5"][1] == "Paused"
        assert "A Enquiries" in rows(board.queues)


def test_logout_stops_the_board_and_forgets_it(qtbot: QtBot, app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session())
        board = board_of(window)
        qtbot.waitUntil(lambda: board.board is not None, timeout=WAIT_MS)
        assert board.tick_timer.isActive()
        assert board.poll_timer.isActive()
        window.logout()
        assert not board.tick_timer.isActive()
        assert board.board is None or not board.isVisible()


def test_durations_read_as_minutes_and_seconds() -> None:
    assert duration(0) == "0:00"
    assert duration(754) == "12:34"
    assert duration(3725) == "1:02:05"
    assert duration(-5) == "0:00"
