"""The lobby board as a widget (offscreen): both languages at once, the newest call
large and flashing (again on a recall), paused and closed counters, the notice, the
reconnecting sign, and sizes that follow 1920x1080, 1080x1920 and 3840x2160."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QBoxLayout, QLabel
from pytestqt.qtbot import QtBot

from kiosk.app.board import BoardTicket, CounterLine, ServiceLine
from kiosk.branch.settings import default_config
from tests.conftest import MONDAY_10AM
from ui import i18n
from ui.lobby.board import LobbyBoard
from ui.lobby.style import DisplayTheme, display_scale

CONFIG = default_config()
SERVICES = tuple(ServiceLine(code=s.code, prefix=s.prefix, name_zh=s.name_zh,
                             name_en=s.name_en, enabled=True, waiting=n, open_counters=1,
                             wait_min=None)
                 for s, n in zip(CONFIG.services, (5, 2, 3, 12, 0, 1, 0), strict=True))
COUNTERS = (
    CounterLine(1, "open", "S1", ("enquiry",), BoardTicket("A031", "called", "enquiry")),
    CounterLine(2, "open", "S2", ("new_business",), None),
    CounterLine(3, "paused", "S3", ("policy_change",), None),
    CounterLine(4, "closed", None, ("claims",), None),
)
CALLS = [("D007", 4, "call"), ("A031", 1, "call"), ("V004", 6, "recall")]


@pytest.fixture
def board(qtbot: QtBot) -> LobbyBoard:
    widget = LobbyBoard()
    qtbot.addWidget(widget)
    widget.resize(1920, 1080)
    widget.show_board(branch=(CONFIG.name_zh, CONFIG.name_en), timezone=CONFIG.timezone,
                      notice="", services=SERVICES, counters=COUNTERS, calls=CALLS)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def text(board: LobbyBoard, name: str) -> str:
    found = board.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def test_chinese_with_english_beneath_and_the_other_way_round_in_english(
        board: LobbyBoard) -> None:
    assert board.hero.title.text() == "正在叫号"
    assert board.hero.title_other.text() == "Now calling"
    assert text(board, "call-number") == "D007"
    assert (text(board, "call-counter"), text(board, "call-counter-en")) == ("4号窗口",
                                                                           "Counter 4")
    assert (board.branch_name.text(), board.branch_other.text()) == (CONFIG.name_zh,
                                                                     CONFIG.name_en)
    i18n.set_language("en")
    assert board.hero.title.text() == "Now calling"
    assert board.hero.title_other.text() == "正在叫号"
    assert (text(board, "call-counter"), text(board, "call-counter-en")) == ("Counter 4",
                                                                           "4号窗口")
    assert board.branch_name.text() == CONFIG.name_en
    tiles = board.waiting.tiles["claims"]
    assert (tiles[1].text(), tiles[2].text(), tiles[3].text()) == ("D  Claims", "理赔", "12")


def test_the_clock_and_the_date_are_the_branchs_local_time_in_the_language_shown(
        board: LobbyBoard, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())  # 10:00 in Shanghai
    board.retranslate()
    assert (board.clock.text(), board.date.text()) == ("10:00", "2026年11月23日 星期一")
    i18n.set_language("en")
    assert board.date.text() == "Monday 23 November 2026"


def test_a_new_call_goes_large_and_flashes_and_the_last_one_moves_down(
        board: LobbyBoard, qtbot: QtBot) -> None:
    assert not board.hero.flashing
    board.show_call("C012", 3)
    assert text(board, "call-number") == "C012"
    assert text(board, "call-counter") == "3号窗口"
    assert board.hero.flashing
    assert board.hero.property("flash") == "on"
    assert board.recent.calls[:2] == [("D007", 4, "call"), ("A031", 1, "call")]
    assert text(board, "recent-0") == "D007"
    qtbot.waitUntil(lambda: not board.hero.flashing, timeout=10_000)
    assert board.hero.property("flash") == "off"


def test_a_recall_flashes_again_and_says_so(board: LobbyBoard, qtbot: QtBot) -> None:
    board.show_call("C012", 3)
    qtbot.waitUntil(lambda: not board.hero.flashing, timeout=10_000)
    board.show_call("A031", 1, "recall")
    assert board.hero.flashing
    assert text(board, "call-number") == "A031"
    assert board.hero.title.text() == "再次呼叫"
    # The recalled number is not listed twice.
    assert [c[0] for c in board.calls] == ["A031", "C012", "D007", "V004"]
    qtbot.waitUntil(lambda: not board.hero.flashing, timeout=10_000)


def test_a_new_day_without_calls_says_welcome_again(board: LobbyBoard) -> None:
    board.show_board(branch=(CONFIG.name_zh, CONFIG.name_en), timezone=CONFIG.timezone,
                     notice="", services=SERVICES, counters=COUNTERS, calls=[])
    assert board.hero.title.text() == "欢迎光临"
    assert board.hero.number.isHidden()
    assert board.hero.counter.text() == "请留意叫号"
    assert board.recent.calls == []
    board.show_call("A001", 1)
    assert not board.hero.number.isHidden()
    assert text(board, "call-number") == "A001"


def test_counters_show_serving_free_paused_and_closed(board: LobbyBoard) -> None:
    states = {n: board.counters.chips[n][0].property("status") for n in (1, 2, 3, 4)}
    assert states == {1: "serving", 2: "open", 3: "paused", 4: "closed"}
    assert text(board, "counter-state-1") == "A031"
    assert text(board, "counter-state-2") == "空闲"
    assert text(board, "counter-state-3") == "暂停办公"
    assert board.counters.chips[3][3].text() == "Paused"
    assert text(board, "counter-state-4") == "未开放"
    assert text(board, "counter-name-3") == "3号窗口  Counter 3"


def test_the_notice_scrolls_only_when_it_does_not_fit(board: LobbyBoard,
                                                      qtbot: QtBot) -> None:
    assert board.notice.isHidden()
    board.show_board(branch=(CONFIG.name_zh, CONFIG.name_en), timezone=CONFIG.timezone,
                     notice="今日理赔业务 15:00 截止 / Claims close at 3 pm",
                     services=SERVICES, counters=COUNTERS)
    assert board.notice.isVisible()
    assert not board.notice.scrolling
    long = "。".join(["请保管好您的号码票，过号需重新取号 / Please keep your ticket"] * 6)
    board.show_board(branch=(CONFIG.name_zh, CONFIG.name_en), timezone=CONFIG.timezone,
                     notice=long, services=SERVICES, counters=COUNTERS)
    assert board.notice.scrolling
    qtbot.waitUntil(lambda: board.notice.offset > 10, timeout=10_000)
    assert board.calls[0][0] == "D007"  # calls=None kept the calls shown


def test_the_reconnecting_sign_comes_and_goes(board: LobbyBoard) -> None:
    assert not board.reconnecting
    board.set_reconnecting(True)
    assert board.reconnecting
    assert board.status.text() == "正在重新连接…"
    board.set_reconnecting(False)
    assert not board.reconnecting


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1080, 1920), (3840, 2160)])
def test_the_board_fits_and_scales_with_the_screen(qtbot: QtBot, width: int,
                                                   height: int) -> None:
    board = LobbyBoard()
    qtbot.addWidget(board)
    board.resize(width, height)
    board.show_board(branch=(CONFIG.name_zh, CONFIG.name_en), timezone=CONFIG.timezone,
                     notice="欢迎光临", services=SERVICES, counters=COUNTERS, calls=CALLS)
    board.show()
    qtbot.waitExposed(board)
    hint = board.minimumSizeHint()
    assert hint.width() <= width
    assert hint.height() <= height
    number = board.hero.number.font().pixelSize()
    assert number == round(DisplayTheme().number_px * display_scale(width, height))
    assert number >= 220  # capitals about 10 cm tall on a 55" 1080p screen
    portrait = height > width
    expected = QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
    assert board.middle.direction() == expected
    # Every part is on screen, and no text is cut.
    for part in (board.hero, board.recent, board.waiting, board.counters, board.notice):
        geometry = part.geometry()
        assert geometry.bottom() <= height
        assert geometry.right() <= width
    qtbot.waitUntil(lambda: not clipped_labels(board), timeout=5_000)  # laid out anew
    assert clipped_labels(board) == []


def clipped_labels(board: LobbyBoard) -> list[str]:
    clipped = []
    for item in board.findChildren(QLabel):
        if not item.isVisible() or not item.text():
            continue
        need = item.sizeHint()
        tall = item.heightForWidth(item.width()) if item.wordWrap() else need.height()
        wide = 0 if item.wordWrap() else need.width()
        if item.height() < tall - 1 or item.width() < wide - 1:
            clipped.append(f"{item.text()!r}: {item.width()}x{item.height()} < {wide}x{tall}")
    return clipped
