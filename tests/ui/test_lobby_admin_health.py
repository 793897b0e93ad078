"""A display without sound shows in the admin panel: the speakers' problem the display
records (kiosk.app.display.report_sound) is a row of the stations page's device health,
named in the reader's language, until sound is back."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app.display import report_sound
from tests.staff_support import add
from tests.ui.admin_support import admin_window, session
from tests.ui.settings_support import wait_loaded, with_supervisor


def test_the_displays_speakers_show_on_the_admin_stations_page(
        qtbot: QtBot, engine: Engine) -> None:
    app = with_supervisor(AppContext(engine, "ADMIN"))
    add(app, "T0001", "technician", "钱技术员")
    assert report_sound(AppContext(engine, "TV-1"), "no sound server (no socket)")
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session("technician", "T0001", "钱技术员"))
        window.desk.open("settings-stations")
        page = window.desk.page("settings-stations")
        wait_loaded(qtbot, page)
        [device] = page.health.row_texts()
        assert device[:4] == ["TV-1", "叫号音箱", "故障", "叫号语音无法播放"]
        assert page.health.row_levels() == ["error"]
        assert report_sound(AppContext(engine, "TV-1"), None)  # sound is back
        page.reset()
        page.load()
        wait_loaded(qtbot, page)
        assert page.health.row_texts()[0][:3] == ["TV-1", "叫号音箱", "正常"]
