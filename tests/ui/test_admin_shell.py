"""The admin shell: pages from the registry per role, navigation as the desk's state
with Back, pages built on first use, logout and the idle lock forgetting everything."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.staff.permissions import StaffSession
from tests.ui.admin_support import SAMPLE_PAGES, DevicePage, SamplePage, admin_window, session
from ui import i18n
from ui.admin.pages import PAGES, AdminPage, reachable_pages
from ui.admin.window import AdminState, AdminWindow
from ui.shell import Screen


@pytest.fixture
def app(engine: Engine) -> AppContext:
    return AppContext(engine, "ADMIN")


def test_each_role_reaches_the_pages_its_permissions_allow() -> None:
    assert reachable_pages(session("supervisor"), SAMPLE_PAGES) == ["board", "other", "devices"]
    assert reachable_pages(session("technician"), SAMPLE_PAGES) == ["devices"]
    assert reachable_pages(session("counter"), SAMPLE_PAGES) == []
    assert reachable_pages(session("nobody"), SAMPLE_PAGES) == []


def test_every_registered_page_is_an_admin_page_with_a_translated_title() -> None:
    assert PAGES, "the registry is empty"
    for key, entry in PAGES.items():
        assert issubclass(entry.load(), AdminPage), key
        i18n.set_language("zh_CN")
        chinese = entry.translated_title()
        i18n.set_language("en")
        assert entry.translated_title() == entry.title
        assert chinese != entry.title, f"{key}: no Chinese title"


def test_the_desk_offers_the_roles_pages_and_builds_each_on_first_use(
        qtbot: QtBot, app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False, pages=SAMPLE_PAGES) as window:
        window.start_session(session("technician", "T01", "李工"))
        desk = window.desk
        assert window.state is AdminState.DESK
        assert desk.keys == ["devices"]
        assert list(desk.nav_buttons) == ["devices"]
        assert desk.current_key == "devices"
        assert isinstance(desk.page("devices"), DevicePage)
        with pytest.raises(KeyError):
            desk.page("board")  # not open to a technician
        desk.open("board")  # ignored, never offered
        assert desk.current_key == "devices"
        assert "T01" in desk.who.text()
        assert "技术员" in desk.who.text()

        window.logout()
        window.start_session(session("supervisor"))
        assert desk.keys == ["board", "other", "devices"]
        assert list(desk.built_pages()) == ["board"]  # the first page; others on first use
        qtbot.mouseClick(desk.nav_buttons["other"], Qt.MouseButton.LeftButton)
        assert desk.current_key == "other"
        assert list(desk.built_pages()) == ["board", "other"]
        assert desk.nav_buttons["other"].property("kind") == "primary"
        assert desk.nav_buttons["board"].property("kind") == "secondary"


def test_back_walks_the_pages_shown_with_their_params(qtbot: QtBot, app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False, pages=SAMPLE_PAGES) as window:
        window.start_session(session())
        desk = window.desk
        assert not desk.back_button.isEnabled()
        board = desk.page("board")
        board.open_page.emit("other", {"state": "overdue"})  # a page asks for another
        other = desk.page("other")
        assert isinstance(other, SamplePage)
        assert isinstance(board, SamplePage)
        assert other.calls[-1] == ("enter", {"state": "overdue"})
        assert board.calls[-1] == ("leave", {})
        desk.open("devices")
        assert desk.history == ("board", "other")
        qtbot.mouseClick(desk.back_button, Qt.MouseButton.LeftButton)
        assert desk.current_key == "other"
        assert other.calls[-1] == ("enter", {"state": "overdue"})
        desk.go_back()
        assert desk.current_key == "board"
        assert desk.history == ()
        assert not desk.back_button.isEnabled()
        assert desk.title.text() == "实时看板"


def test_logout_resets_every_page_and_returns_to_the_login(qtbot: QtBot,
                                                           app: AppContext) -> None:
    ended: list[tuple[StaffSession, bool]] = []

    class Login(Screen):
        pass

    with admin_window(qtbot, app, feed=False, pages=SAMPLE_PAGES,
                      login=lambda window: Login()) as window:
        window.on_logout = lambda staff, idle: ended.append((staff, idle))
        assert window.state is AdminState.LOGIN
        window.start_session(session(number="S0002"))
        board = window.desk.page("board")
        assert isinstance(board, SamplePage)
        board.field.setText("13812345678")
        qtbot.mouseClick(window.desk.logout_button, Qt.MouseButton.LeftButton)
        assert window.state is AdminState.LOGIN
        assert board.field.text() == ""
        assert ("reset", {}) in board.calls
        assert window.desk.keys == []
        assert window.desk.built_pages() == {}
        assert not window.context.logged_in
        assert [(s.number, idle) for s, idle in ended] == [("S0002", False)]

        window.start_session(session(number="S0003"))
        window.reset()  # what the idle lock does
        assert window.state is AdminState.LOGIN
        assert [(s.number, idle) for s, idle in ended][-1] == ("S0003", True)


def test_language_switch_retitles_the_navigation(qtbot: QtBot, app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False, pages=SAMPLE_PAGES) as window:
        window.start_session(session())
        desk = window.desk
        assert desk.nav_buttons["board"].text() == "实时看板"
        assert desk.language_button.text() == "English"
        qtbot.mouseClick(desk.language_button, Qt.MouseButton.LeftButton)
        assert i18n.current_language() == "en"
        assert desk.nav_buttons["board"].text() == "Live board"
        assert desk.title.text() == "Live board"
        assert desk.logout_button.text() == "Log out"
        assert "supervisor" in desk.who.text()


def test_portrait_puts_the_navigation_across_the_top(qtbot: QtBot, app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False, pages=SAMPLE_PAGES) as window:
        window.start_session(session())
        window.resize(1080, 1920)
        qtbot.waitUntil(lambda: window.desk.body.direction()
                        == QBoxLayout.Direction.TopToBottom)
        assert window.desk.nav_layout.direction() == QBoxLayout.Direction.LeftToRight
        window.resize(1920, 1080)
        qtbot.waitUntil(lambda: window.desk.body.direction()
                        == QBoxLayout.Direction.LeftToRight)


def test_every_button_has_a_name_and_a_finger_sized_target(qtbot: QtBot,
                                                           app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False, pages=SAMPLE_PAGES) as window:
        window.start_session(session())
        qtbot.waitExposed(window)
        buttons = [b for b in window.desk.findChildren(QPushButton) if b.isVisible()]
        assert len(buttons) >= 6
        for button in buttons:
            assert button.accessibleName(), button.objectName()
            assert button.height() >= 80, button.objectName()
            assert button.width() >= 80, button.objectName()


def test_a_window_without_login_still_ends_sessions_cleanly(qtbot: QtBot,
                                                            app: AppContext) -> None:
    window = AdminWindow(app, feed=False, pages=SAMPLE_PAGES)
    qtbot.addWidget(window)
    window.start_session(session())
    window.reset()
    assert not window.context.logged_in
    assert isinstance(window.desk, QWidget)
