"""Screenshot tour of the admin panel (``scripts/screenshots.sh admin``): the board on
the login, then a busy morning. Demo data in a SQLite file in the tour's work folder, at a fixed
instant so the shots are the same every time."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.app import complaint_register as register
from kiosk.app import staff as staff_app
from kiosk.app.complaints import submit_complaint
from kiosk.branch.settings import apply_config, default_config
from kiosk.devices.health import record_health
from kiosk.devices.keypad_ports import configure_port
from kiosk.models import Keypad
from kiosk.queue.lobby import Lobby
from kiosk.staff.permissions import StaffSession
from ui.admin.board import BoardPage
from ui.admin.complaints import ComplaintsPage
from ui.admin.login import AdminLogin
from ui.admin.window import AdminState, AdminWindow

# Monday 2026-11-23, 10:30 in Shanghai.
TOUR_NOW = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


def demo_app(workdir: Path) -> AppContext:
    """A branch at 10:30 on a working Monday: queues, counters open, paused, serving."""
    os.environ["KIOSK_NOW"] = TOUR_NOW.isoformat()
    app = AppContext.open(f"sqlite:///{workdir / 'admin-tour.db'}", station="ADMIN-PC")
    config = default_config()
    with app.write() as session:
        apply_config(session, replace(config, hours=dict.fromkeys(
            range(7), (time(8, 30), time(17, 0)))))
    plan: list[tuple[int, str, tuple[Any, ...]]] = [
        (-50, "take", ("claims",)), (-48, "take", ("enquiry",)), (-45, "take", ("claims",)),
        (-44, "open_counter", (1, "S0101")), (-44, "open_counter", (4, "S0401")),
        (-44, "open_counter", (5, "S0501")), (-43, "open_counter", (6, "S0601")),
        (-40, "take", ("payments",)), (-38, "take", ("claims", "care")),
        (-35, "take", ("enquiry",)), (-30, "take", ("vip",)), (-28, "take", ("claims",)),
        (-26, "call_next", (1, "S0101")), (-25, "take", ("policy_change",)),
        (-22, "call_next", (4, "S0401")), (-21, "start", (4,)), (-20, "take", ("claims",)),
        (-18, "take", ("enquiry",)), (-15, "pause_counter", (5, "S9001")),
        (-12, "call_next", (6, "S0601")), (-10, "take", ("new_business",)),
        (-8, "take", ("claims",)), (-5, "take", ("enquiry",)), (-2, "take", ("payments",)),
    ]
    complaints(app)  # first: the business day never goes back once the lobby is used
    os.environ["KIOSK_NOW"] = TOUR_NOW.isoformat()
    for minutes, action, args in plan:
        with app.write() as session:
            getattr(Lobby(session, now=TOUR_NOW + timedelta(minutes=minutes)), action)(*args)
    devices(app)
    return app


def devices(app: AppContext) -> None:
    """The kiosk out of paper since 10:12, a keypad offline, the display without sound,
    the counter PC's printer fine."""
    engine = app.engine
    record_health(engine, "KIOSK-1", "printer", "problem",
                  ("打印机缺纸", "printer is out of paper"), detail="/dev/ttyS0",
                  at=TOUR_NOW - timedelta(minutes=18))
    record_health(engine, "COUNTER-4", "printer", "ok", detail="/dev/ttyUSB0",
                  at=TOUR_NOW - timedelta(minutes=1))
    record_health(engine, "DISPLAY", "speakers", "problem",
                  ("叫号语音无法播放", "calls are not spoken: no audio output device"),
                  detail="audio output", at=TOUR_NOW - timedelta(minutes=44))
    with app.write() as session:
        configure_port(session, "/dev/ttyUSB1", {1: 1, 4: 4}, station="COUNTERS")
    with app.write() as session:
        for keypad in session.scalars(select(Keypad)):
            offline = keypad.address == 4
            keypad.online = not offline
            keypad.last_seen_at = TOUR_NOW - timedelta(minutes=7 if offline else 0)


def complaints(app: AppContext) -> None:
    """The register: one overdue and nobody's, one handed over with feedback given,
    one taken yesterday, one closed, one received today."""
    console = staff_app.console(app)
    for number, name in (("S9001", "王主管"), ("S9002", "李主管")):
        staff_app.add_staff(app, console, number, name, "supervisor", "3691")
    first, colleague = supervisor(), replace(supervisor(), number="S9002", name="李主管")

    def on(days: float, category: str, text: str, phone: str | None = None) -> str:
        os.environ["KIOSK_NOW"] = (TOUR_NOW - timedelta(days=days)).isoformat()
        return submit_complaint(app, category, text, phone=phone, consent=bool(phone),
                                source="kiosk" if phone is None else "staff",
                                entered_by="" if phone is None else "S0101").reference

    done = on(12, "facilities", "饮水机没有水了")
    register.take_complaint(app, first, done)
    register.update_complaint(app, first, done, note_text="已更换水桶并致谢", state="replied")
    register.update_complaint(app, first, done, state="closed")
    on(7, "waiting", "上周一等了一个多小时才办理，希望增加窗口")
    handed = on(5, "claims", "车险理赔材料交了两周还没有结果，请尽快回电", "13812345678")
    register.take_complaint(app, first, handed)
    register.hand_over_complaint(app, first, handed, "S9002", "转理赔专员跟进")
    register.update_complaint(app, colleague, handed, feedback="已电话告知客户正在复核")
    taken = on(1, "service", "柜员态度不耐烦", "13987654321")
    register.take_complaint(app, first, taken)
    on(0.02, "praise", "3号窗口服务很好，谢谢")


def supervisor() -> StaffSession:
    return StaffSession(number="S9001", name="王主管", role="supervisor", station="ADMIN-PC",
                        started_at=TOUR_NOW)


def tour(camera: Any) -> None:
    app = demo_app(camera.workdir)
    handed = next(e.complaint.reference for e in register.register_list(
        app, supervisor(), "all").entries if e.complaint.category == "claims")
    try:
        window = AdminWindow(app, feed=False, login=AdminLogin)
        camera.show(window)
        login = window.screen(AdminState.LOGIN)
        assert isinstance(login, AdminLogin)
        login.form.number.setText("S9001")
        camera.take("login")
        window.start_session(supervisor())
        camera.take("board")
        board = window.desk.page("board")
        assert isinstance(board, BoardPage)
        board.tickets.search_field.setText("D")
        board.tickets.search()
        board.scroller.verticalScrollBar().setValue(board.scroller.verticalScrollBar().maximum())
        camera.take("board-tickets")
        window.desk.open("complaints", reference=handed)
        camera.take("complaints")
        page = window.desk.page("complaints")
        assert isinstance(page, ComplaintsPage)
        page.open_form()
        page.form.choose("service")
        page.form.text.setPlainText("客户来电：柜员没有解释清楚理赔流程")
        camera.take("complaint-new")
    finally:
        os.environ.pop("KIOSK_NOW", None)
        app.close()


__all__ = ["demo_app", "tour"]
