"""The checks of a kiosk PC, each with its fix: group dialout, brltty/ModemManager
holding a port (a real process of that name holding a real pty), the CJK font, the
voice engine and audio, and the printer's paper width against its profile."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time
import tty
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext, setup, staff
from kiosk.devices import checks
from printers.escpos.transport import close_all
from printers.simulators.printer import FakePrinter
from tests.voice_support import PulseServer


@pytest.fixture
def pty_port() -> Iterator[str]:
    master, slave = os.openpty()
    tty.setraw(master)
    yield os.ttyname(slave)
    os.close(master)
    os.close(slave)


def grabber(tmp_path: Path, name: str, port: str | None) -> subprocess.Popen[bytes]:
    """A real process called ``name`` (a copy of sleep), holding ``port`` open."""
    program = tmp_path / name
    shutil.copy(shutil.which("sleep") or "/bin/sleep", program)
    stdin = open(port, "rb") if port else subprocess.DEVNULL  # noqa: SIM115
    try:
        process = subprocess.Popen([str(program), "300"], stdin=stdin)
    finally:
        if port:
            stdin.close()  # type: ignore[union-attr]
    # Popen returns before the child has exec'd: until then /proc shows python's name
    comm = Path(f"/proc/{process.pid}/comm")
    deadline = time.monotonic() + 30
    while comm.read_text().strip() != name[:15] and time.monotonic() < deadline:
        time.sleep(0.01)
    return process


@pytest.fixture
def alone_with_grabbers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Whether a port grabber runs is a fact of the whole machine: the tests that start
    one take turns on a lock in the run's temp folder, which every pytest-xdist worker
    shares, so none sees another's stand-in (the first checks that none runs)."""
    shared = tmp_path_factory.getbasetemp().parent
    with (shared / "port-grabbers.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def test_modemmanager_holding_a_port_is_named_with_the_fix(
        tmp_path: Path, pty_port: str, alone_with_grabbers: None) -> None:
    assert checks.check_port_grabbers([pty_port]).state == "ok"
    process = grabber(tmp_path, "ModemManager", pty_port)
    try:
        found = checks.check_port_grabbers([pty_port])
        assert found.state == "problem"
        assert f"ModemManager (pid {process.pid}) holds {pty_port}" in found.found_en
        assert found.fix_en == "sudo systemctl disable --now ModemManager"
    finally:
        process.kill()
        process.wait()


def test_brltty_running_is_a_problem_even_before_it_grabs_a_port(
        tmp_path: Path, pty_port: str, alone_with_grabbers: None) -> None:
    process = grabber(tmp_path, "brltty", None)
    try:
        found = checks.check_port_grabbers([pty_port])
        assert found.state == "problem"
        assert "brltty running" in found.found_en
        assert "apt-get purge brltty" in found.fix_en
    finally:
        process.kill()
        process.wait()


def test_a_user_outside_dialout_is_told_how_to_join_it() -> None:
    found = checks.check_dialout("nobody")
    assert found.state == "problem"
    assert found.fix_en.startswith("sudo usermod -aG dialout nobody")
    assert checks.check_dialout("no-such-user-here").state == "problem"
    assert checks.check_dialout("root").state == "ok"


def test_no_cjk_font_is_found_and_the_package_named(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert checks.check_cjk_font().state == "ok"
    empty = tmp_path / "fonts.conf"  # fontconfig with no font folder at all
    empty.write_text("<?xml version='1.0'?><fontconfig><cachedir>"
                     f"{tmp_path}/cache</cachedir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    found = checks.check_cjk_font()
    assert found.state == "problem"
    assert found.fix_en == "sudo apt-get install fonts-wqy-microhei"


def test_no_voice_engine_is_found(tmp_path: Path) -> None:
    assert checks.check_voice_engine().state == "ok"
    found = checks.check_voice_engine(str(tmp_path / "espeak-ng"))
    assert found.state == "problem"
    assert found.fix_en == "sudo apt-get install espeak-ng"


def test_audio_needs_a_sound_server_output(tmp_path: Path, pulse: PulseServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/no-server")
    no_cards = tmp_path / "cards"
    no_cards.write_text("--- no soundcards ---\n")
    missing = checks.check_audio(no_cards)
    assert missing.state == "problem"
    assert "no audio device" in missing.found_en
    cards = tmp_path / "cards-one"
    cards.write_text(" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n")
    assert "no sound server" in checks.check_audio(cards).found_en
    for key, value in pulse.env().items():
        monkeypatch.setenv(key, value)
    assert checks.check_audio(no_cards).state == "ok"


def test_paper_width_is_checked_against_the_model_the_printer_reports() -> None:
    assert checks.check_paper_width("XP-58IIH", "generic-80", 576).state == "problem"
    assert checks.check_paper_width("XP-58IIH", "generic-58", 384).state == "ok"
    assert checks.check_paper_width("Mystery 9000", "generic-80", 576).state == "unknown"
    assert checks.check_paper_width(None, "generic-80", 576).state == "unknown"


@pytest.fixture
def app(engine: Engine) -> Iterator[AppContext]:
    context = AppContext.open(str(engine.url), station="K1")
    yield context
    close_all()
    context.close()


def test_the_station_checks_ask_its_printer_for_its_model(app: AppContext) -> None:
    with FakePrinter(model="XP-58IIH") as printer:
        setup.assign_printer(app, staff.console(app), printer.path, "generic-80")
        found = {c.name: c for c in setup.run_checks(app).checks}
    width = found["paper_width"]
    assert width.state == "problem"
    assert "XP-58IIH prints 384 dots wide but profile generic-80 is 576" in width.found_en
    assert "generic-58" in width.fix_en
    assert found[f"port {printer.path}"].state == "ok"
    assert {"dialout", "port_grabbers", "cjk_font", "voice_engine", "audio"} <= set(found)
    assert printer.jobs == []  # the checks print nothing


def test_a_printer_that_does_not_answer_leaves_the_width_unknown(app: AppContext) -> None:
    with FakePrinter(state="silent") as printer:
        setup.assign_printer(app, staff.console(app), printer.path, "generic-80")
        found = {c.name: c for c in setup.run_checks(app).checks}
    assert found["paper_width"].state == "unknown"
