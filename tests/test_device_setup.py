"""The technician's device setup: the serial ports with their stable names, probing
which port is a printer and which a keypad bus (ptys with the simulated devices on
the other end), and a device saved by its identity found again after a replug under
another path."""

from __future__ import annotations

import json
import os
import threading
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext, setup, staff
from kiosk.branch.settings import apply_config
from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.devices import ports, printing
from kiosk.devices.stations import printer_setting
from kiosk.errors import RuleRefused
from kiosk.queue.lobby import Lobby
from printers.escpos.transport import close_all
from printers.simulators.keypad_bus import FakeKeypadBus
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM, open_all_hours

BY_ID = "usb-Fake_Receipt_Printer_P0001-if00-port0"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


@pytest.fixture
def serial_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake /dev/serial the code is pointed at (udev's by-id and by-path folders)."""
    folder = tmp_path / "serial"
    (folder / "by-id").mkdir(parents=True)
    (folder / "by-path").mkdir()
    monkeypatch.setenv("KIOSK_SERIAL_DIR", str(folder))
    return folder


@pytest.fixture
def silent_port() -> Iterator[str]:
    """A pty nobody answers on (a port with nothing plugged behind it)."""
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    yield os.ttyname(slave)
    os.close(master)
    os.close(slave)


def plug(serial_dir: Path, link: str, device: str, socket: str) -> None:
    """What udev does when a USB adapter appears: a by-path link for its socket."""
    by_path = serial_dir / "by-path"
    for old in by_path.iterdir():
        if os.path.realpath(old) == os.path.realpath(link) or not os.path.exists(old):
            old.unlink()
    (by_path / f"pci-0000:00:14.0-usb-0:{socket}:1.0-port0").symlink_to(device)


def test_probe_finds_the_printer_and_the_keypads_on_their_ports_and_nothing_on_a_silent_one(
        silent_port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with FakePrinter(line_baud=9600) as printer, \
            FakeKeypadBus([3, 7], line_baud=19200) as bus:
        code, report = run_cli(capsys, "devices", "probe", "--port", bus.path, "--port",
                               silent_port, "--port", printer.path, "--json")
    assert code == 0
    by_port = {p["port"]: p for p in report["ports"]}
    assert by_port[printer.path]["kind"] == "printer"
    assert by_port[printer.path]["baud"] == 9600
    assert by_port[printer.path]["printer"] == {"online": True, "cover_open": False,
                                                "paper": "ok"}
    assert by_port[bus.path]["kind"] == "keypads"
    assert by_port[bus.path]["baud"] == 19200
    assert [(k["address"], k["serial"]) for k in by_port[bus.path]["keypads"]] == [
        (3, "SN000003"), (7, "SN000007")]
    assert by_port[silent_port]["kind"] == "nothing"
    assert by_port[silent_port]["keypads"] == []
    assert by_port[silent_port]["printer"] is None
    assert report["cancelled"] is False
    # nothing was printed while probing: status queries only, no job, no stray text
    assert printer.jobs == []
    assert printer.lines == []
    assert printer.status_queries == 4


def test_a_printer_out_of_paper_is_still_found_and_says_so(silent_port: str) -> None:
    with FakePrinter(state="paper_out") as printer:
        report = setup.probe_ports([printer.path])
    assert report.ports[0].kind == "printer"
    assert report.ports[0].printer is not None
    assert report.ports[0].printer.paper == "out"


def test_probe_reports_progress_and_stops_when_cancelled(silent_port: str) -> None:
    cancel = threading.Event()
    seen: list[setup.ProbeProgress] = []

    def progress(step: setup.ProbeProgress) -> None:
        seen.append(step)
        if len(seen) == 8:  # a few keypad addresses into the silent port
            cancel.set()

    with FakeKeypadBus([1]) as bus:
        report = setup.probe_ports([silent_port, bus.path], progress=progress, cancel=cancel)
    assert report.cancelled is True
    assert [p.kind for p in report.ports] == ["cancelled", "cancelled"]
    assert len(seen) == 8  # not one request after the cancel
    assert all(0 < s.fraction < 0.5 for s in seen)
    assert [s.fraction for s in seen] == sorted(s.fraction for s in seen)
    assert seen[0].doing.startswith("DLE EOT")
    assert seen[-1].doing.startswith("GET_INFO")


def test_a_port_that_cannot_be_opened_is_an_error_in_the_report(tmp_path: Path) -> None:
    report = setup.probe_ports([str(tmp_path / "ttyUSB9")])
    assert report.ports[0].kind == "error"
    assert "cannot open" in report.ports[0].error_en


def test_ports_lists_stable_names_identity_and_access(
        serial_dir: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_USER", "root")
    with FakePrinter(link=serial_dir / "by-id" / BY_ID) as printer:
        plug(serial_dir, printer.path, printer.path, "1")
        code, found = run_cli(capsys, "devices", "ports", "--json")
    assert code == 0
    pty = next(p for p in found["ports"] if p["device"] == printer.path)
    assert pty["by_id"] == str(serial_dir / "by-id" / BY_ID)
    assert pty["stable_path"] == pty["by_id"]
    assert pty["by_path"] == str(serial_dir / "by-path" / "pci-0000:00:14.0-usb-0:1:1.0-port0")
    assert pty["identity"] == "usb-serial:Fake_Receipt_Printer_P0001"
    assert pty["can_open"] is True
    assert pty["user"] == "root"


def test_access_is_judged_for_the_kiosk_user_not_the_caller(tmp_path: Path) -> None:
    device = tmp_path / "ttyUSB0"
    device.write_bytes(b"")
    os.chmod(device, 0o660)
    os.chown(device, 0, 0)  # root:root, as a port udev has not given to dialout
    ok, why = ports.user_can_open(str(device), "nobody")
    assert ok is False
    assert "add nobody to root" in why
    assert ports.user_can_open(str(device), "root") == (True, "")
    assert ports.user_can_open(str(device), "no-such-user-here")[0] is False


@pytest.fixture
def branch(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
    app = AppContext.open(str(engine.url), station="K1")
    yield app
    close_all()
    app.close()


def printed_numbers(printer: FakePrinter) -> list[str]:
    return [q.rsplit(":", 1)[1] for job in printer.jobs for q in job.qr]


def take_and_print(app: AppContext) -> str:
    with unit_of_work(app.engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
    with unit_of_work(app.engine, write=True) as session:
        printing.enqueue(session, printing.ticket_document(session, number), station="K1")
    assert printing.run_spool(app.engine, station="K1").printed
    return number


def test_a_printer_saved_by_identity_is_found_again_after_a_replug_under_another_path(
        serial_dir: Path, branch: AppContext) -> None:
    link = serial_dir / "by-id" / BY_ID
    printer = FakePrinter(link=link).start()
    try:
        plug(serial_dir, printer.path, printer.path, "1")
        first_device = printer.path
        saved = setup.assign_printer(branch, staff.console(branch), first_device,
                                     "generic-80", "text")
        assert saved.port == str(link)  # saved by its stable name, not /dev/pts/N
        first = take_and_print(branch)
        assert printer.wait_for(lambda p: printed_numbers(p) == [first])

        # Unplugged: udev removes the links; plugged into another socket, the kernel
        # gives it another name (a pty held open keeps the old number taken).
        printer.stop()
        link.unlink()
        placeholder = os.openpty()
        try:
            printer.start()  # the FakePrinter's link plays udev's by-id rule
            plug(serial_dir, printer.path, printer.path, "2")
        finally:
            for fd in placeholder:
                os.close(fd)
        assert printer.path != first_device
        again = ports.locate("usb-serial:Fake_Receipt_Printer_P0001")
        assert again is not None
        assert again.device == printer.path
        assert again.by_path is not None
        assert "usb-0:2:1.0" in again.by_path
        with unit_of_work(branch.engine) as session:
            setting = printer_setting(session, "K1")
        assert setting is not None
        assert setting.port == str(link)
        close_all()  # the spool's link to the old pty is gone with it
        second = take_and_print(branch)
        assert printer.wait_for(lambda p: printed_numbers(p) == [first, second])
    finally:
        printer.stop()


def test_assigning_devices_needs_the_devices_permission_and_is_audited(
        branch: AppContext) -> None:
    from kiosk.staff.permissions import NotPermitted, StaffSession

    clerk = StaffSession("S0001", "Clerk", "counter", "K1", MONDAY_10AM)
    with pytest.raises(NotPermitted):
        setup.assign_printer(branch, clerk, "/dev/ttyUSB0", "generic-80")
    assert isinstance(NotPermitted("a", "b"), RuleRefused)
    setup.assign_printer(branch, staff.console(branch), "/dev/ttyUSB0", "generic-80")
    from kiosk.app.privacy import audit_log

    actions = [e.action for e in audit_log(branch, staff.console(branch))]
    assert "devices.printer" in actions
    assert "denied" in actions


def test_keypads_are_assigned_and_readdressed(branch: AppContext) -> None:
    with FakeKeypadBus([4]) as bus:
        moved = setup.set_keypad_address(branch, staff.console(branch), bus.path, 9600,
                                         "SN000004", 9)
        assert moved.address == 9
        report = setup.probe_ports([bus.path])
        assert [k.address for k in report.ports[0].keypads] == [9]
        saved = setup.assign_keypads(branch, staff.console(branch), bus.path, {9: 1})
    assert saved.port == bus.path
    assert [(k.address, k.counter) for k in saved.keypads] == [(9, 1)]


def test_a_watched_keypad_shows_each_key_until_stopped(branch: AppContext) -> None:
    from kiosk.app.setup_tools import KeypadSeen, station_setup, watch_keypads

    seen: list[KeypadSeen] = []
    pressed = threading.Event()
    stop = threading.Event()

    def on_event(event: KeypadSeen) -> None:
        seen.append(event)
        if event.event == "key":
            pressed.set()

    with FakeKeypadBus([2]) as bus:
        setup.assign_keypads(branch, staff.console(branch), bus.path, {2: 1})
        watcher = threading.Thread(target=watch_keypads,
                                   args=(bus.path, 9600, [2], on_event, stop))
        watcher.start()
        try:
            bus.press(2, 0x01)
            assert pressed.wait(10)
        finally:
            stop.set()
            watcher.join(10)
        view = station_setup(branch)
    assert not watcher.is_alive()
    keys = [(e.address, e.key, e.name) for e in seen if e.event == "key"]
    assert keys == [(2, 1, "very_satisfied")]
    assert view.buses[0].port == bus.path
    assert view.buses_present == (True,)
    assert view.printer is None


def test_the_printer_keeps_the_flow_control_the_technician_chose(
        branch: AppContext, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(branch.engine.url)
    code, saved = run_cli(capsys, "--db", db, "--station", "K1", "devices", "set", "printer",
                          "--port", "/dev/ttyS0", "--profile", "generic-80", "--flow",
                          "rtscts", "--json")
    assert code == 0
    assert saved["flow"] == "rtscts"
    with unit_of_work(branch.engine) as session:
        setting = printer_setting(session, "K1")
    assert setting is not None
    assert setting.profile.flow == "rtscts"  # what the spool opens the port with
    _, listed = run_cli(capsys, "--db", db, "devices", "list", "--json")
    assert listed["stations"][0]["printer"]["port"] == "/dev/ttyS0"
    code, refused = run_cli(capsys, "--db", db, "devices", "set", "printer", "--port",
                            "/dev/ttyS0", "--flow", "dsrdtr", "--json")
    assert code == 2
    assert refused["error"] == "usage"
    # the profile's own flow control when none is chosen
    setup.assign_printer(branch, staff.console(branch), "/dev/ttyS0", "epson-tm-t88")
    with unit_of_work(branch.engine) as session:
        again = printer_setting(session, "K1")
    assert again is not None
    assert again.profile.flow == "rtscts"
    setup.assign_printer(branch, staff.console(branch), "/dev/ttyS0", "epson-tm-t88",
                         flow="none")
    with unit_of_work(branch.engine) as session:
        plain = printer_setting(session, "K1")
    assert plain is not None
    assert plain.profile.flow == "none"
