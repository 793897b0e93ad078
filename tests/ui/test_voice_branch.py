"""The announcer a role makes for the branch (``branch_announcer``): the customer
screen's "read aloud / 语音播报" speaks with the branch's voice settings as they are at
the press (a change made elsewhere is heard at once), played to the end; the customer
role gives its ticket page that announcer, so the button is there and speaks."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.tickets import take_ticket
from kiosk.branch.info import load_branch
from kiosk.branch.settings import apply_config
from kiosk.branch.values import set_setting
from tests.conftest import open_all_hours
from tests.voice_support import PulseServer
from ui import tasks
from ui.customer.states import State
from ui.customer.window import make_window
from ui.voice import announcer as announcer_module
from ui.voice.announcer import branch_announcer, shared_announcer


def set_voice(app: AppContext, **values: object) -> None:
    with app.write() as session:
        branch = load_branch(session).id
        for key, value in values.items():
            set_setting(session, branch, key, value)


def test_read_aloud_uses_the_branch_settings_at_each_press(
        sqlite_url: str, speakers: PulseServer, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(announcer_module, "_shared", None)  # this test's own, then none
    app = AppContext.open(sqlite_url, station="K1")
    set_voice(app, voice_languages=["zh"], voice_repeat=3, wait_area_zh="二楼等候区")
    announcer = branch_announcer(app, lock_path=tmp_path / "audio.lock")
    try:
        assert shared_announcer() is announcer  # what every screen of the process gets
        with qtbot.waitSignal(announcer.finished, timeout=60_000) as heard:
            assert announcer.read_ticket("D007", "理赔", "Claims", ahead=3)
        first = heard.args[0]
        assert (first.kind, first.number, first.repeat) == ("ticket", "D007", 1)
        assert first.text == "您的号码是 D007，理赔。前面还有 3 位，请在二楼等候区等候叫号。"

        set_voice(app, voice_languages=["zh", "en"])  # e.g. from the admin panel
        with qtbot.waitSignal(announcer.finished, timeout=60_000) as heard:
            assert announcer.read_ticket("A012", "咨询查询", "Enquiries", ahead=0)
        assert [p.language for p in heard.args[0].phrases] == ["zh", "en"]
        assert heard.args[0].phrases[1].text.startswith("Your number is A012, Enquiries. "
                                                        "You are next.")
    finally:
        announcer.close()
        app.close()


def test_the_customer_role_gives_its_ticket_page_the_read_aloud_button(
        sqlite_url: str, speakers: PulseServer, qtbot: QtBot, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(announcer_module, "_shared", None)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # the audio lock of this test
    app = AppContext.open(sqlite_url, station="K1")
    with app.write() as session:
        apply_config(session, open_all_hours())
    set_voice(app, voice_languages=["zh"])
    window = make_window(SimpleNamespace(cli=SimpleNamespace(app=app)))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    try:
        page = window.screen(State.TICKET)
        assert page.announcer is shared_announcer()
        assert not page.read_button.isHidden()
        page.ticket = take_ticket(app, "claims")
        with qtbot.waitSignal(shared_announcer().queued, timeout=60_000) as queued:
            qtbot.mouseClick(page.read_button, Qt.MouseButton.LeftButton)
        assert queued.args[0].text.startswith("您的号码是 D001，理赔。")
    finally:
        shared_announcer().close()
        window.allow_close = True
        window.close()
        qtbot.waitUntil(lambda: not tasks.pending_tasks(), timeout=60_000)
        app.close()
