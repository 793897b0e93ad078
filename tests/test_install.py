"""kiosk install / uninstall into a temporary root: the files they list are exactly
the files they leave, the service starts the station's roles in a bare X session
and restarts them, the udev rules name the station's devices by their identity, and
nothing of the live machine is touched (the system commands are written down)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext, setup, staff
from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.devices.keypad_ports import configure_port


def tree(root: Path) -> set[str]:
    """Every file and symlink below ``root``, as absolute paths of the installed PC."""
    return {"/" + str(Path(folder, name).relative_to(root))
            for folder, dirs, files in os.walk(root)
            for name in files + [d for d in dirs if Path(folder, d).is_symlink()]}


def folders(root: Path) -> set[str]:
    return {"/" + str(Path(folder).relative_to(root)) for folder, _, _ in os.walk(root)}


@pytest.fixture
def station(engine: Engine, tmp_path: Path,
            monkeypatch: pytest.MonkeyPatch) -> tuple[str, Path]:
    """Station K1 with a printer known by its by-id name and a keypad bus by its socket."""
    serial = tmp_path / "serial"
    (serial / "by-id").mkdir(parents=True)
    (serial / "by-path").mkdir()
    monkeypatch.setenv("KIOSK_SERIAL_DIR", str(serial))
    printer = serial / "by-id" / "usb-1a86_USB_Serial_P0001-if00-port0"
    printer.symlink_to("/dev/null")
    bus = serial / "by-path" / "pci-0000:00:14.0-usb-0:3:1.0-port0"
    bus.symlink_to("/dev/zero")
    app = AppContext.open(str(engine.url), station="K1")
    setup.assign_printer(app, staff.console(app), str(printer), "generic-80")
    with unit_of_work(engine, write=True) as session:
        configure_port(session, str(bus), {1: 1}, station="K1")
    app.close()
    return str(engine.url), tmp_path


def kiosk(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(list(args))
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_install_then_uninstall_leaves_exactly_the_files_they_list(
        station: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, tmp = station
    root = tmp / "root"
    (root / "etc" / "udev" / "rules.d").mkdir(parents=True)
    (root / "etc" / "udev" / "rules.d" / "70-other.rules").write_text("# not ours\n")
    before_files, before_folders = tree(root), folders(root)

    code, done = kiosk(capsys, "--db", db, "--station", "K1", "install", "--root", str(root),
                       "--role", "customer", "--role", "display", "--json")
    assert code == 0
    assert tree(root) == before_files | set(done["files"])
    assert set(done["files"]) == {
        "/etc/lobby-kiosk/kiosk.env", "/etc/udev/rules.d/99-lobby-kiosk.rules",
        "/usr/local/lib/lobby-kiosk/session", "/etc/systemd/system/lobby-kiosk.service",
        "/etc/systemd/system/multi-user.target.wants/lobby-kiosk.service",
        "/etc/X11/Xwrapper.config", "/var/lib/lobby-kiosk/install-commands.sh",
        "/var/lib/lobby-kiosk/install-manifest.json"}
    assert done["commands_run"] is False
    manifest = json.loads((root / "var/lib/lobby-kiosk/install-manifest.json").read_text())
    assert set(manifest["files"]) == set(done["files"])

    code, undone = kiosk(capsys, "--db", db, "uninstall", "--root", str(root), "--json")
    assert code == 0
    assert set(undone["files"]) == set(done["files"])
    assert tree(root) == before_files | {undone["commands_file"]}
    record_folders = {"/var", "/var/lib", "/var/lib/lobby-kiosk"}
    assert folders(root) == before_folders | record_folders
    commands = (root / undone["commands_file"].lstrip("/")).read_text()
    assert "systemctl disable --now lobby-kiosk.service" in commands
    assert "userdel kiosk" in commands


def test_the_service_starts_the_roles_in_a_bare_x_session_and_restarts_them(
        station: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, tmp = station
    root = tmp / "root"
    code, done = kiosk(capsys, "--db", db, "--station", "K1", "install", "--root", str(root),
                       "--role", "customer", "--role", "counter", "--counter", "3", "--json")
    assert code == 0
    assert done["roles"] == ["customer", "counter"]
    unit = (root / "etc/systemd/system/lobby-kiosk.service").read_text()
    assert "User=kiosk" in unit
    assert "Restart=always" in unit
    assert "ExecStart=/usr/bin/xinit /usr/local/lib/lobby-kiosk/session -- :0 vt1" in unit
    assert "-s 0 -dpms" in unit  # the X server never blanks the screen
    assert "WantedBy=multi-user.target" in unit
    wants = root / "etc/systemd/system/multi-user.target.wants/lobby-kiosk.service"
    assert os.readlink(wants) == "/etc/systemd/system/lobby-kiosk.service"
    session = root / "usr/local/lib/lobby-kiosk/session"
    assert os.access(session, os.X_OK)
    text = session.read_text()
    assert "xset s off" in text
    assert "xset -dpms" in text
    assert "run --role customer --screen 0 &" in text
    assert "run --role counter --screen 1 --counter 3 &" in text
    env = (root / "etc/lobby-kiosk/kiosk.env").read_text()
    assert "KIOSK_STATION=K1\n" in env
    assert f"KIOSK_DB_URL={db}\n" in env
    commands = (root / "var/lib/lobby-kiosk/install-commands.sh").read_text()
    assert "useradd --system" in commands
    assert "usermod -aG dialout,audio,video,input kiosk" in commands


def test_the_udev_rules_name_the_stations_devices_by_identity(
        station: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, tmp = station
    root = tmp / "root"
    assert kiosk(capsys, "--db", db, "--station", "K1", "install", "--root", str(root),
                 "--json")[0] == 0
    rules = (root / "etc/udev/rules.d/99-lobby-kiosk.rules").read_text().splitlines()
    assert ('SUBSYSTEM=="tty", ENV{ID_SERIAL}=="1a86_USB_Serial_P0001", GROUP="dialout", '
            'MODE="0660", ENV{ID_MM_DEVICE_IGNORE}="1", SYMLINK+="lobby-kiosk/K1-printer"'
            in rules)
    assert ('SUBSYSTEM=="tty", ENV{ID_PATH}=="pci-0000:00:14.0-usb-0:3:1.0", '
            'GROUP="dialout", MODE="0660", ENV{ID_MM_DEVICE_IGNORE}="1", '
            'SYMLINK+="lobby-kiosk/K1-keypads-1"' in rules)


def test_installing_twice_replaces_the_first_installation(
        station: tuple[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    db, tmp = station
    root = tmp / "root"
    kiosk(capsys, "--db", db, "--station", "K1", "install", "--root", str(root), "--json")
    code, second = kiosk(capsys, "--db", db, "--station", "K1", "install", "--root",
                         str(root), "--role", "display", "--json")
    assert code == 0
    assert tree(root) == set(second["files"]) | {"/var/lib/lobby-kiosk/uninstall-commands.sh"}
    assert "--role display" in (root / "usr/local/lib/lobby-kiosk/session").read_text()


def test_uninstall_without_an_installation_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, answer = kiosk(capsys, "uninstall", "--root", str(tmp_path), "--json")
    assert code == 2
    assert answer["error"] == "not_installed"
    assert tree(tmp_path) == set()
