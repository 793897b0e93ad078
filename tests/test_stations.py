"""Stations: each kiosk PC has its own devices, and its spool prints only its own jobs;
queue tickets that could not print in time expire; a single-printer database moves
to a station on upgrade."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from kiosk.branch.settings import apply_config, default_config
from kiosk.cli import main
from kiosk.db import make_engine, unit_of_work
from kiosk.devices import printing
from kiosk.devices.stations import (
    host_station,
    printer_setting,
    resolve_station,
    set_a4,
    set_printer,
    station_devices,
)
from kiosk.errors import UsageError
from kiosk.migrate import ensure_ready
from kiosk.queue.lobby import Lobby
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.migration_support import OLD_BRANCH, upgraded_to


def printed_numbers(printer: FakePrinter) -> list[str]:
    return [q.rsplit(":", 1)[1] for job in printer.jobs for q in job.qr]


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


@pytest.fixture
def branch(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    return open_engine


def take(engine: Engine, station: str, service: str = "enquiry") -> str:
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take(service).number
    with unit_of_work(engine, write=True) as session:
        printing.enqueue(session, printing.ticket_document(session, number), station=station)
    return number


def states(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as session:
        return {j.reference: j.state for j in printing.jobs(session)}


# ----- naming the station ---------------------------------------------------------------

def test_the_station_is_the_option_else_the_environment_else_the_host_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_station() == host_station() != ""
    monkeypatch.setenv("KIOSK_STATION", "K2")
    assert resolve_station() == "K2"
    assert resolve_station(" K1 ") == "K1"
    for bad in ("", "two words", "x" * 41, "tab\there"):
        with pytest.raises(UsageError):
            resolve_station(bad)


def test_a_bad_station_option_is_a_usage_error(sqlite_url: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run_cli(capsys, "--db", sqlite_url, "--station", "no spaces", "queue",
                        "--json")
    assert code == 2
    assert "station" in out["message_en"]


# ----- devices per station --------------------------------------------------------------

def test_each_station_has_its_own_printer_and_a4_output(branch: Engine) -> None:
    with unit_of_work(branch, write=True) as session:
        set_printer(session, "/dev/ttyUSB0", "generic-80", "text", station="K1")
        set_printer(session, "/dev/ttyUSB0", "generic-58", "raster", station="K2")
        set_a4(session, cups="Office_A4", station="C3")
    with unit_of_work(branch) as session:
        k1, k2 = printer_setting(session, "K1"), printer_setting(session, "K2")
        assert printer_setting(session, "C3") is None
        listed = {s.station: s for s in station_devices(session)}
    assert k1 is not None
    assert k2 is not None
    assert (k1.profile.name, k1.profile.mode) == ("generic-80", "text")
    assert (k2.profile.name, k2.profile.mode) == ("generic-58", "raster")
    assert sorted(listed) == ["C3", "K1", "K2"]
    assert listed["C3"].a4 is not None
    assert listed["C3"].a4.target == "Office_A4"
    assert listed["K1"].a4 is None


def test_cli_devices_set_and_list_per_station(branch: Engine, sqlite_url: str,
                                              capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    db = str(branch.url)
    code, out = run_cli(capsys, "--db", db, "--station", "K1", "devices", "set", "printer",
                        "--port", "/dev/ttyUSB0", "--json")
    assert code == 0
    assert out["port"] == "/dev/ttyUSB0"
    code, out = run_cli(capsys, "--db", db, "--station", "K1", "devices", "set", "keypad",
                        "--port", "/dev/ttyUSB1", "--map", "1=1", "--json")
    assert code == 0
    assert out["port"] == "/dev/ttyUSB1"
    code, out = run_cli(capsys, "--db", db, "--station", "K2", "devices", "set", "a4",
                        "--folder", str(tmp_path / "forms"), "--json")
    assert code == 0
    assert out == {"station": "K2", "kind": "folder",
                                 "target": str(tmp_path / "forms")}
    code, out = run_cli(capsys, "--db", db, "--station", "K2", "devices", "set", "a4",
                        "--folder", "relative/dir", "--json")
    assert code == 2
    code, out = run_cli(capsys, "--db", db, "--station", "ADMIN", "devices", "list", "--json")
    assert code == 0
    assert out["station"] == "ADMIN"
    stations = {s["station"]: s for s in out["stations"]}
    assert sorted(stations) == ["K1", "K2"]
    assert stations["K1"]["printer"]["port"] == "/dev/ttyUSB0"
    assert stations["K1"]["keypad_ports"] == ["/dev/ttyUSB1"]
    assert stations["K2"]["printer"] is None
    assert stations["K2"]["a4"]["kind"] == "folder"


def test_the_same_port_name_on_two_stations_is_two_keypad_buses(branch: Engine) -> None:
    from kiosk.devices.keypad_ports import configure_port, port_configs

    with unit_of_work(branch, write=True) as session:
        configure_port(session, "/dev/ttyUSB0", {1: 1}, station="K1")
        configure_port(session, "/dev/ttyUSB0", {1: 2}, station="C2")
    with unit_of_work(branch) as session:
        assert [c.counters for c in port_configs(session, "K1")] == [{1: 1}]
        assert [c.counters for c in port_configs(session, "C2")] == [{1: 2}]
        assert port_configs(session, "K9") == []


# ----- jobs addressed to a station ------------------------------------------------------

def test_a_spool_run_prints_only_its_own_stations_jobs(branch: Engine, tmp_path: Path) -> None:
    with FakePrinter(link=tmp_path / "k1") as p1, FakePrinter(link=tmp_path / "k2") as p2:
        with unit_of_work(branch, write=True) as session:
            set_printer(session, str(p1.link), "generic-80", "text", station="K1")
            set_printer(session, str(p2.link), "generic-80", "text", station="K2")
        first = take(branch, "K1")
        second = take(branch, "K2")
        third = take(branch, "K1")
        run = printing.run_spool(branch, station="K1")
        assert run.printed
        assert run.error is None
        assert p1.wait_for(lambda p: len(p.jobs) == 2)
        assert printed_numbers(p1) == [first, third]
        assert p2.jobs == []
        assert p2.status_queries == 0
        assert states(branch) == {first: "done", second: "queued", third: "done"}
        assert printing.run_spool(branch, station="K2").printed
        assert p2.wait_for(lambda p: printed_numbers(p) == [second])
        from printers.escpos.transport import close_all

        close_all()


def test_print_jobs_lists_the_station_or_all(branch: Engine,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    take(branch, "K1")
    take(branch, "K2")
    db = str(branch.url)
    _, mine = run_cli(capsys, "--db", db, "--station", "K2", "print", "jobs", "--json")
    assert [j["station"] for j in mine["jobs"]] == ["K2"]
    _, every = run_cli(capsys, "--db", db, "--station", "K2", "print", "jobs", "--all",
                       "--json")
    assert sorted(j["station"] for j in every["jobs"]) == ["K1", "K2"]


# ----- queue tickets expire; other documents wait ------------------------------------

def test_a_ticket_not_printed_in_time_expires_and_a_receipt_keeps_waiting(
        branch: Engine, printer: FakePrinter, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    with unit_of_work(branch, write=True) as session:
        set_printer(session, str(printer.link), "generic-80", "text", station="K1")
    printer.set_state("paper_out")
    ticket = take(branch, "K1")
    with unit_of_work(branch, write=True) as session:
        receipt = printing.enqueue(session, printing.acknowledgement_document(
            session, "FB-1", "投诉", "Complaint"), station="K1").reference
    assert printing.run_spool(branch, station="K1").error is not None
    assert states(branch) == {ticket: "queued", receipt: "queued"}
    # Ten minutes later the ticket may still print; a second later it never will.
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(minutes=10)).isoformat())
    printing.run_spool(branch, station="K1")
    assert states(branch)[ticket] == "queued"
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(minutes=10, seconds=1))
                       .isoformat())
    printer.set_state("ok")
    run = printing.run_spool(branch, station="K1")
    assert len(run.expired) == 1
    assert len(run.printed) == 1
    assert states(branch) == {ticket: "expired", receipt: "done"}
    assert printer.wait_for(lambda p: len(p.jobs) == 1)
    assert printed_numbers(printer) == ["FB-1"]  # the acknowledgement's QR, no ticket
    _, listed = run_cli(capsys, "--db", str(branch.url), "--station", "K1", "print", "jobs",
                        "--state", "expired", "--json")
    assert [j["reference"] for j in listed["jobs"]] == [ticket]
    # Staff may still reprint it on purpose (a new job); it cannot be cancelled.
    with unit_of_work(branch, write=True) as session:
        expired_id = printing.jobs(session, ("expired",))[0].id
        assert printing.retry(session, expired_id).state == "queued"
        with pytest.raises(printing.RuleRefused):
            printing.cancel(session, expired_id)


def test_a_ticket_whose_last_try_fails_past_its_time_expires(
        branch: Engine, printer: FakePrinter, monkeypatch: pytest.MonkeyPatch) -> None:
    with unit_of_work(branch, write=True) as session:
        set_printer(session, str(printer.link), "generic-80", "text", station="K1")
    ticket = take(branch, "K1")
    printer.set_state("cover_open")
    # Claimed just before the limit, refused after it: it does not go back to the queue.
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(minutes=11)).isoformat())
    from kiosk.devices import spool

    claim = spool.claim_next(branch, "K1", MONDAY_10AM + timedelta(minutes=9))
    assert claim is not None
    from printers.escpos.transport import PrinterNotReady, link_for

    link = link_for(str(printer.link), printer_profile(branch, "K1"))
    with pytest.raises(PrinterNotReady) as refused:
        link.send(b"\x1b@")
    assert spool.settle(branch, claim, refused.value) == "expired"
    assert states(branch) == {ticket: "expired"}


def printer_profile(engine: Engine, station: str):  # type: ignore[no-untyped-def]
    with unit_of_work(engine) as session:
        setting = printer_setting(session, station)
    assert setting is not None
    return setting.profile


def test_expiry_zero_keeps_tickets_waiting_for_the_printer(
        branch: Engine, printer: FakePrinter, monkeypatch: pytest.MonkeyPatch) -> None:
    config = open_all_hours()
    with unit_of_work(branch, write=True) as session:
        apply_config(session, replace(config, settings={**config.settings,
                                                        "ticket_print_expiry_min": 0}))
        set_printer(session, str(printer.link), "generic-80", "text", station="K1")
    ticket = take(branch, "K1")
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(hours=3)).isoformat())
    assert printing.run_spool(branch, station="K1").expired == []
    assert printer.wait_for(lambda p: printed_numbers(p) == [ticket])


def test_the_expiry_setting_is_refused_beyond_a_day() -> None:
    from kiosk.branch.settings import parse_config
    from kiosk.errors import ConfigError

    text_of = (Path(__file__).resolve().parent.parent / "resources" / "defaults"
               / "branch.toml").read_text(encoding="utf-8")
    assert parse_config(text_of, "branch.toml").settings["ticket_print_expiry_min"] == 10
    for bad in ("1441", "99999999999999999999", "-1"):
        with pytest.raises(ConfigError) as refused:
            parse_config(text_of.replace("ticket_print_expiry_min = 10",
                                         f"ticket_print_expiry_min = {bad}"), "branch.toml")
        assert "settings.ticket_print_expiry_min" in refused.value.en


# ----- upgrading a database that had one printer for the branch -------------------------

def test_upgrade_moves_the_branch_printer_keypads_and_jobs_to_this_station(
        sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(sqlite_url)
    with upgraded_to(engine, "0002_printing", "0003_keypads") as conn:
        conn.execute(text(OLD_BRANCH))
        conn.execute(text("INSERT INTO printer (branch_id, name, port, profile, mode) "
                          "VALUES ('OLD1', 'receipt', '/dev/ttyUSB0', 'generic-80', 'text')"))
        conn.execute(text(
            "INSERT INTO print_job (branch_id, kind, reference, document, printer, state, "
            "attempts, last_error, created_at, updated_at) VALUES ('OLD1', 'queue_ticket', "
            "'A001', '{}', 'receipt', 'queued', 0, '', '2026-11-23 02:00:00', "
            "'2026-11-23 02:00:00')"))
        conn.execute(text("INSERT INTO keypad_port (branch_id, url, baud, rating_timeout_s) "
                          "VALUES ('OLD1', '/dev/ttyUSB1', 9600, 30)"))
    monkeypatch.setenv("KIOSK_STATION", "KIOSK-DOOR")
    assert ensure_ready(engine, default_config()) is False
    with unit_of_work(engine) as session:
        setting = printer_setting(session)  # this PC: KIOSK-DOOR
        (job,) = printing.jobs(session)
        (devices,) = station_devices(session)
    assert setting is not None
    assert setting.port == "/dev/ttyUSB0"
    assert (job.station, devices.station) == ("KIOSK-DOOR", "KIOSK-DOOR")
    assert devices.keypad_ports == ("/dev/ttyUSB1",)
    engine.dispose()
