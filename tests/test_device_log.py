"""The device event log: each change of a station's device (paper out, back to OK, a
keypad restarted or offline), one row per change, never one per check; shared by
`kiosk devices log`, the setup screen and the diagnostics bundle."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext, setup, staff, stations
from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.devices import printing
from kiosk.devices.health import record_health
from kiosk.devices.keypads import KeypadService
from kiosk.queue.lobby import Lobby
from printers.escpos.transport import close_all
from printers.simulators.keypad_bus import FakeKeypadBus
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM
from tests.keypad_support import wait_until


@pytest.fixture
def app(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = AppContext(open_engine, "K1")
    yield context
    close_all()


def spool_once(app: AppContext) -> None:
    with unit_of_work(app.engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
    with unit_of_work(app.engine, write=True) as session:
        printing.enqueue(session, printing.ticket_document(session, number), station="K1")
    printing.run_spool(app.engine, station="K1")


def test_a_printer_out_of_paper_and_back_is_two_changes_in_the_log(app: AppContext) -> None:
    with FakePrinter() as printer:
        setup.assign_printer(app, staff.console(app), printer.path, "generic-80")
        spool_once(app)
        printer.set_state("paper_out")
        spool_once(app)
        spool_once(app)  # still out of paper: no new change
        printer.set_state("ok")
        spool_once(app)
    log = stations.device_log(app).entries
    printer_rows = [e for e in log if e.device == "printer"]
    assert [e.state for e in printer_rows] == ["ok", "problem", "ok"]  # newest first
    assert printer_rows[1].problem_en == "printer is out of paper"
    assert printer_rows[1].station == "K1"
    assert printer_rows[1].detail == printer.path


def test_a_heartbeat_of_the_same_state_adds_nothing(app: AppContext) -> None:
    start = MONDAY_10AM
    for minutes in (0, 6, 12):
        record_health(app.engine, "K2", "a4", "ok", detail="/srv/a4",
                      at=start + timedelta(minutes=minutes))
    record_health(app.engine, "K2", "a4", "problem", ("无法写入", "cannot write"),
                  detail="/srv/a4", at=start + timedelta(minutes=13))
    rows = [e for e in stations.device_log(app).entries if e.station == "K2"]
    assert [(e.state, e.problem_en) for e in rows] == [("problem", "cannot write"), ("ok", "")]
    assert [e.station for e in stations.device_log(app, every_station=False).entries] == []


def test_keypad_restarts_and_offline_are_in_the_log(app: AppContext,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with FakeKeypadBus([3]) as bus:
        setup.assign_keypads(app, staff.console(app), bus.path, {3: 1})
        service = KeypadService(app.engine, cycle_s=0.02, station="K1")
        service.start()
        try:
            bus.restart(3)
            wait_until(lambda: "keypad restarted" in [
                e.problem_en for e in stations.device_log(app).entries], timeout=20)
        finally:
            service.stop()
    code = main(["--db", str(app.engine.url), "--station", "K1", "devices", "log",
                 "--station-only", "--json"])
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert code == 0
    restarted = next(e for e in entries if e["problem_en"] == "keypad restarted")
    assert restarted["device"] == "keypad 3 (counter 1)"
    assert restarted["station"] == "K1"
    assert restarted["at"].startswith("2026-11-23T10:00")
