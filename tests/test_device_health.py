"""Device health per station, stored in the database for the admin board on another
PC: what is wrong and since when, the printer from the spool and its idle checks,
the keypads from the keypad service's records."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.devices import printing
from kiosk.devices.health import DeviceHealth, device_health
from kiosk.devices.keypad_ports import configure_port
from kiosk.devices.stations import set_printer
from kiosk.models import Keypad
from kiosk.queue.lobby import Lobby
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM


@pytest.fixture
def branch(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    return open_engine


def health(engine: Engine) -> dict[tuple[str, str], DeviceHealth]:
    with unit_of_work(engine) as session:
        return {(h.station, h.device): h for h in device_health(session)}


def take_and_print(engine: Engine, station: str) -> None:
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
        printing.enqueue(session, printing.ticket_document(session, number), station=station)
    printing.run_spool(engine, station=station)


def test_paper_out_is_stored_with_since_when_and_cleared_when_printing_again(
        branch: Engine, printer: FakePrinter, monkeypatch: pytest.MonkeyPatch) -> None:
    with unit_of_work(branch, write=True) as session:
        set_printer(session, str(printer.link), "generic-80", "text", station="K1")
    printer.set_state("paper_out")
    take_and_print(branch, "K1")
    seen = health(branch)[("K1", "printer")]
    assert (seen.state, seen.problem_en, seen.detail) == (
        "problem", "printer is out of paper", str(printer.link))
    assert seen.problem_zh == "打印机缺纸"
    assert seen.since == MONDAY_10AM
    # Still out of paper two minutes later: since stays at the first report.
    later = MONDAY_10AM + timedelta(minutes=2)
    monkeypatch.setenv("KIOSK_NOW", later.isoformat())
    take_and_print(branch, "K1")
    assert health(branch)[("K1", "printer")].since == MONDAY_10AM
    printer.set_state("ok")
    fixed = MONDAY_10AM + timedelta(minutes=5)
    monkeypatch.setenv("KIOSK_NOW", fixed.isoformat())
    printing.run_spool(branch, station="K1")
    seen = health(branch)[("K1", "printer")]
    assert (seen.state, seen.problem_en, seen.since) == ("ok", "", fixed)


def test_keypads_report_per_station_offline_since_last_seen(branch: Engine) -> None:
    with unit_of_work(branch, write=True) as session:
        configure_port(session, "/dev/ttyUSB1", {1: 1, 2: 2}, station="C1")
    with unit_of_work(branch, write=True) as session:
        keypad = session.query(Keypad).filter_by(address=1).one()
        keypad.online, keypad.last_seen_at = False, MONDAY_10AM
    seen = health(branch)
    offline = seen[("C1", "keypad 1 (counter 1)")]
    assert (offline.state, offline.problem_en, offline.since) == (
        "problem", "keypad offline", MONDAY_10AM)
    never = seen[("C1", "keypad 2 (counter 2)")]
    assert (never.state, never.since) == ("unknown", None)


def test_cli_devices_health_lists_every_station(branch: Engine, printer: FakePrinter,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    with unit_of_work(branch, write=True) as session:
        set_printer(session, str(printer.link), "generic-80", "text", station="K1")
        configure_port(session, "/dev/ttyUSB1", {1: 1}, station="C1")
    printer.set_state("paper_out")
    take_and_print(branch, "K1")
    assert main(["--db", str(branch.url), "--station", "ADMIN", "devices", "health",
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["devices"]
    assert [(r["station"], r["device"], r["state"]) for r in rows] == [
        ("C1", "keypad 1 (counter 1)", "unknown"), ("K1", "printer", "problem")]
    assert rows[1]["since"] == "2026-11-23T10:00:00+08:00"  # branch time
    assert rows[0]["since"] is None  # never seen
    assert main(["--db", str(branch.url), "devices", "health"]) == 0
    text = capsys.readouterr().out
    assert "K1 printer problem: printer is out of paper since 2026-11-23 10:00" in text
