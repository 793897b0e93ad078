"""Screenshot tour of the counter terminal (``scripts/screenshots.sh counter``): the
login and a refused PIN, the desk with a called claims ticket (care priority, a
recall, a claim check with documents missing), the forms, the on-screen rating, the
idle lock's countdown and a technician's device view, at the compact size the role
opens with."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from typing import Any

from kiosk.app import AppContext
from kiosk.app import counters as counters_app
from kiosk.app import staff as staff_app
from kiosk.branch.settings import apply_config, default_config
from kiosk.claims.records import record_check
from kiosk.queue.lobby import Lobby
from ui.counter.forms import CallNumberScreen, OverrideScreen
from ui.counter.login import LoginScreen
from ui.counter.states import CounterState
from ui.counter.window import COMPACT_SIZE, CounterWindow

_ALL_DAY = (time(0, 0), time(23, 59, 59))


def demo_app(folder: Any) -> AppContext:
    """A branch open round the clock with a clerk (S0401, PIN 2580), a supervisor and
    a technician, three claims customers waiting (the first with a claim check)."""
    app = AppContext.open(f"sqlite:///{folder / 'tour.db'}", station="C4")
    config = default_config()
    with app.write() as session:
        apply_config(session, replace(config, hours=dict.fromkeys(range(7), _ALL_DAY),
                                      holidays=frozenset(), workdays=frozenset()))
    console = staff_app.console(app)
    staff_app.add_staff(app, console, "S0401", "王小明", "counter", "2580")
    staff_app.add_staff(app, console, "S0001", "李主管", "supervisor", "3691")
    staff_app.add_staff(app, console, "T01", "张技术", "technician", "4702")
    with app.write() as session:
        lobby = Lobby(session)
        first = lobby.take("claims", "care").number
        lobby.take("claims")
        lobby.take("enquiry")
        record_check(session, "inpatient", {}, ["CLAIM_FORM", "ID_INSURED", "INVOICE"],
                     ticket_number=first)
    return app


def tour(camera: Any) -> None:
    app = demo_app(camera.workdir)
    window = CounterWindow(app, 4)
    camera.show(window, compact=COMPACT_SIZE)
    login = window.screen(CounterState.LOGIN)
    assert isinstance(login, LoginScreen)
    login.form.number.setText("S0401")
    camera.take("login")
    login.form.submit("9999")
    camera.take("login-wrong-pin")
    login.form.submit("2580")
    camera.take("desk-closed")
    desk = window.desk
    desk.act("open", counters_app.open_counter)
    camera.take("desk-open")
    desk.act("call", counters_app.call_next)
    camera.take("desk-call")
    desk.act("recall", counters_app.recall)
    camera.take("desk-called")
    window.desk_screen.show_alerts([("打印机缺纸（K1，10:02 起）",
                                     "Printer out of paper (K1, since 10:02)")])
    camera.take("desk-alert")
    window.desk_screen.show_alerts([])
    window.move_to(CounterState.TRANSFER)
    camera.take("transfer")
    window.move_to(CounterState.DESK)
    window.move_to(CounterState.CALL_NUMBER)
    form = window.screen(CounterState.CALL_NUMBER)
    assert isinstance(form, CallNumberScreen)
    form.number.setText("D002")
    form.reason.setText("年长客户，身体不适")
    camera.take("call-number")
    form.to_supervisor()
    form.supervisor.setText("S0001")
    camera.take("call-number-supervisor")
    window.move_to(CounterState.DESK)
    desk.act("pause", counters_app.pause_counter)  # the last open counter: asks a supervisor
    camera.take("pause-override")
    override = window.screen(CounterState.OVERRIDE)
    assert isinstance(override, OverrideScreen)
    override.to_supervisor()
    camera.take("pause-override-supervisor")
    window.move_to(CounterState.DESK)
    desk.act("finish", counters_app.finish)
    camera.take("rating")
    window.move_to(CounterState.DESK)
    window.idle.idle_elapsed()
    camera.take("lock-countdown")
    window.idle.stop()
    window.lock()
    camera.take("locked")
    login.form.number.setText("T01")
    login.form.submit("4702")
    camera.take("technician")
    camera.close()  # the window logs out while its database is still there
    app.close()
