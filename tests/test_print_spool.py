"""The print spool against a fake printer on a real pty: paper out mid-queue, cover
open, unplug mid-job and restart; no job lost, none printed twice once done."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.branch.settings import apply_config
from kiosk.db import unit_of_work
from kiosk.devices import printing, spool
from kiosk.devices.stations import resolve_station
from kiosk.queue.lobby import Lobby
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM, open_all_hours


@pytest.fixture
def lobby_engine(any_engine: Engine, printer: FakePrinter,
                 monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    with unit_of_work(any_engine, write=True) as session:
        apply_config(session, open_all_hours())
        printing.set_printer(session, str(printer.link), "generic-80", "text")
    return any_engine


def take(engine: Engine, service: str = "claims") -> str:
    """Take a ticket (committed) and spool it (committed), as ``ticket take --print``."""
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take(service).number
    with unit_of_work(engine, write=True) as session:
        printing.enqueue(session, printing.ticket_document(session, number))
    return number


def states(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as session:
        return {j.reference: j.state for j in printing.jobs(session)}


def printed_numbers(printer: FakePrinter) -> list[str]:
    return [q.rsplit(":", 1)[1] for job in printer.jobs for q in job.qr]


def test_tickets_print_in_order_with_their_content(lobby_engine: Engine,
                                                   printer: FakePrinter) -> None:
    numbers = [take(lobby_engine) for _ in range(3)]
    run = printing.run_spool(lobby_engine)
    assert run.error is None
    assert printer.wait_for(lambda p: len(p.jobs) == 3)
    assert printed_numbers(printer) == numbers
    assert "前面还有 2 人 / 2 ahead of you" in printer.jobs[2].texts
    assert set(states(lobby_engine).values()) == {"done"}
    # A second run sends nothing again. Bytes it sent would reach the printer before
    # those of a later job on the same line, so the next job, when it arrives, must
    # be the fourth and only new one.
    assert printing.run_spool(lobby_engine).printed == []
    marker = take(lobby_engine)
    assert len(printing.run_spool(lobby_engine).printed) == 1
    assert printer.wait_for(lambda p: len(p.jobs) >= 4)
    assert printed_numbers(printer) == [*numbers, marker]


def test_paper_out_mid_queue_waits_then_resumes(lobby_engine: Engine,
                                                printer: FakePrinter) -> None:
    first = take(lobby_engine)
    printing.run_spool(lobby_engine)
    printer.set_state("paper_out")
    later = [take(lobby_engine) for _ in range(2)]
    run = printing.run_spool(lobby_engine)
    assert run.error is not None
    assert "out of paper" in run.error.en
    assert printer.discarded == 0  # nothing was sent to a printer without paper
    assert states(lobby_engine) == {first: "done", later[0]: "queued", later[1]: "queued"}
    printer.set_state("ok")
    assert len(printing.run_spool(lobby_engine).printed) == 2
    assert printer.wait_for(lambda p: len(p.jobs) == 3)
    assert printed_numbers(printer) == [first, *later]


def test_cover_open_keeps_the_job_with_the_reason(lobby_engine: Engine,
                                                  printer: FakePrinter) -> None:
    printer.set_state("cover_open")
    number = take(lobby_engine)
    printing.run_spool(lobby_engine)
    with unit_of_work(lobby_engine) as session:
        (job,) = printing.jobs(session)
    assert job.state == "queued"
    assert "cover is open" in job.last_error
    assert job.attempts == 1
    printer.set_state("ok")
    printing.run_spool(lobby_engine)
    assert printer.wait_for(lambda p: printed_numbers(p) == [number])


def test_unplug_mid_job_then_replug_prints_the_job_again_once(
        lobby_engine: Engine, printer: FakePrinter) -> None:
    numbers = [take(lobby_engine) for _ in range(2)]
    printer.unplug_after = printer.received + 300  # the cable comes out inside job 1
    run = printing.run_spool(lobby_engine)
    assert run.error is not None
    assert str(printer.link) in run.error.bilingual()
    assert not os.path.lexists(printer.link)  # unplugged: udev took its name away
    assert printer.jobs == []
    assert set(states(lobby_engine).values()) == {"queued"}
    printer.replug()  # a new pty; the by-path style symlink follows it
    run = printing.run_spool(lobby_engine)
    assert run.error is None
    assert printer.wait_for(lambda p: len(p.jobs) == 2)
    assert printed_numbers(printer) == numbers
    assert printing.run_spool(lobby_engine).printed == []


def test_an_unplugged_printer_takes_its_link_with_it_until_replugged(
        lobby_engine: Engine, printer: FakePrinter) -> None:
    """The spool keeps trying the port it was given: by the link, after an unplug it
    finds nothing, not the next pty given the freed /dev/pts number."""
    number = take(lobby_engine)
    printer.unplug()
    assert printer.link is not None
    assert not os.path.lexists(printer.link)
    run = printing.run_spool(lobby_engine)
    assert run.error is not None
    assert str(printer.link) in run.error.bilingual()
    printer.replug()
    assert os.path.realpath(printer.link) == printer.path
    assert printing.run_spool(lobby_engine).error is None
    assert printer.wait_for(lambda p: printed_numbers(p) == [number])


def test_a_crash_while_sending_is_resumed_on_restart_after_the_lease(
        lobby_engine: Engine, printer: FakePrinter, monkeypatch: pytest.MonkeyPatch) -> None:
    number = take(lobby_engine)
    # The process dies after this claim.
    claimed = spool.claim_next(lobby_engine, resolve_station(), MONDAY_10AM)
    assert claimed is not None
    assert printing.run_spool(lobby_engine).printed == []  # lease still held
    later = (MONDAY_10AM + spool.LEASE * 2).isoformat()
    monkeypatch.setenv("KIOSK_NOW", later)
    assert len(printing.run_spool(lobby_engine).printed) == 1
    assert printer.wait_for(lambda p: printed_numbers(p) == [number])
    with unit_of_work(lobby_engine) as session:
        (job,) = printing.jobs(session)
    assert (job.state, job.attempts) == ("done", 2)


def test_staff_reprint_and_cancel(lobby_engine: Engine, printer: FakePrinter) -> None:
    number = take(lobby_engine)
    printing.run_spool(lobby_engine)
    with unit_of_work(lobby_engine, write=True) as session:
        first = printing.jobs(session)[0].id
        copy = printing.retry(session, first)
        assert copy.reprint_of == first
    printing.run_spool(lobby_engine)
    assert printer.wait_for(lambda p: printed_numbers(p) == [number, number])
    printer.set_state("paper_out")
    take(lobby_engine)
    printing.run_spool(lobby_engine)
    with unit_of_work(lobby_engine, write=True) as session:
        waiting = printing.jobs(session, ("queued",))[0].id
        printing.cancel(session, waiting)
        with pytest.raises(printing.RuleRefused):
            printing.cancel(session, first)
    printer.set_state("ok")
    assert printing.run_spool(lobby_engine).printed == []


def test_silent_printer_is_unknown_not_ok(lobby_engine: Engine, printer: FakePrinter) -> None:
    printer.set_state("silent")
    take(lobby_engine)
    run = printing.run_spool(lobby_engine)
    assert run.error is not None
    assert "status unknown" in run.error.en


def kiosk(*args: str, db: str,
          env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", db, *args],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})}, check=False)


@pytest.mark.slow
def test_cli_take_print_and_device_errors(sqlite_url: str, printer: FakePrinter,
                                          tmp_path: Path) -> None:
    env = {"KIOSK_NOW": MONDAY_10AM.isoformat()}
    engine_setup = kiosk("devices", "set", "printer", "--port", str(printer.link),
                         db=sqlite_url, env=env)
    assert engine_setup.returncode == 0, engine_setup.stderr
    # Open the branch round the clock for the CLI process too.
    from kiosk.db import make_engine

    eng = make_engine(sqlite_url)
    with unit_of_work(eng, write=True) as session:
        apply_config(session, open_all_hours())
    eng.dispose()
    done = kiosk("ticket", "take", "claims", "--print", db=sqlite_url, env=env)
    assert done.returncode == 0, done.stderr
    assert printer.wait_for(lambda p: printed_numbers(p) == ["D001"])

    printer.set_state("paper_out")
    failed = kiosk("ticket", "take", "claims", "--print", "--json", db=sqlite_url, env=env)
    assert failed.returncode == 4
    assert "D002" in failed.stderr
    assert str(printer.link) in failed.stderr
    assert "out of paper" in failed.stderr
    assert "D002" in json.loads(failed.stdout)["message_en"]  # one JSON object: the error
    shown = kiosk("ticket", "show", "D002", db=sqlite_url, env=env)
    assert shown.returncode == 0  # the ticket exists although it did not print

    printer.set_state("ok")
    resumed = kiosk("print", "run", "--json", db=sqlite_url, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert printer.wait_for(lambda p: printed_numbers(p) == ["D001", "D002"])

    missing = kiosk("printer", "status", "--port", str(tmp_path / "ttyUSB9"), "--json",
                    db=sqlite_url)
    assert missing.returncode == 4
    assert str(tmp_path / "ttyUSB9") in missing.stderr
    assert "Traceback" not in missing.stderr

    status = kiosk("printer", "status", "--port", str(printer.link), "--json", db=sqlite_url)
    assert status.stdout.strip() == '{"online": true, "cover_open": false, "paper": "ok"}'


def test_a_printer_refusing_jobs_for_long_never_makes_them_fail(
        lobby_engine: Engine, printer: FakePrinter, monkeypatch: pytest.MonkeyPatch) -> None:
    # Paper out through many spool runs (every ticket taken runs the spool): the
    # printer refused before a byte was sent, so the job is not given up on.
    monkeypatch.setattr(spool, "MAX_ATTEMPTS", 2)
    printer.set_state("paper_out")
    number = take(lobby_engine)
    for _ in range(4):
        assert printing.run_spool(lobby_engine).error is not None
    assert states(lobby_engine) == {number: "queued"}
    printer.set_state("ok")
    assert len(printing.run_spool(lobby_engine).printed) == 1
    assert printer.wait_for(lambda p: printed_numbers(p) == [number])


def test_a_port_url_pyserial_does_not_know_is_a_device_error_and_the_job_waits(
        lobby_engine: Engine) -> None:
    with unit_of_work(lobby_engine, write=True) as session:
        printing.set_printer(session, "foo://printer", "generic-80", "text")
    number = take(lobby_engine)
    run = printing.run_spool(lobby_engine)
    assert run.error is not None
    assert "foo://printer" in run.error.bilingual()
    assert states(lobby_engine) == {number: "queued"}  # not stuck in "sending"


def test_a_reopened_port_reinitialises_the_printer(lobby_engine: Engine,
                                                   printer: FakePrinter) -> None:
    take(lobby_engine)
    printing.run_spool(lobby_engine)
    assert printer.wait_for(lambda p: len(p.jobs) == 1)
    printer.replug()
    seen = len(printer.lines)
    take(lobby_engine)
    assert printing.run_spool(lobby_engine).error is None
    assert printer.wait_for(lambda p: len(p.jobs) == 2)
    # ESC @ on reopening (before the status check), then the job's own ESC @.
    assert printer.lines[seen:].count("INIT") == 2


def test_cli_printer_problems_name_the_port_and_never_show_a_traceback(
        sqlite_url: str, printer: FakePrinter) -> None:
    bad_url = kiosk("printer", "status", "--port", "foo://x", "--json", db=sqlite_url)
    assert bad_url.returncode == 4
    assert "foo://x" in bad_url.stderr
    assert "Traceback" not in bad_url.stderr
    for command in (("printer", "status"), ("printer", "test"), ("devices", "set", "printer")):
        bad_baud = kiosk(*command, "--port", str(printer.link), "--baud", "-5", db=sqlite_url)
        assert bad_baud.returncode == 2, command
        assert "Traceback" not in bad_baud.stderr
        assert "-5" in bad_baud.stderr
    printer.set_state("silent")
    silent = kiosk("printer", "status", "--port", str(printer.link), "--json", db=sqlite_url)
    assert silent.returncode == 4
    assert json.loads(silent.stdout) == {"online": None, "cover_open": None,
                                         "paper": "unknown"}
    assert str(printer.link) in silent.stderr
    assert "status unknown" in silent.stderr


def test_cli_take_print_without_a_printer_still_names_the_ticket(sqlite_url: str) -> None:
    from kiosk.db import make_engine

    env = {"KIOSK_NOW": MONDAY_10AM.isoformat()}
    eng = make_engine(sqlite_url)
    from kiosk.migrate import ensure_ready

    ensure_ready(eng)
    with unit_of_work(eng, write=True) as session:
        apply_config(session, open_all_hours())
    done = kiosk("ticket", "take", "claims", "--print", db=sqlite_url, env=env)
    assert done.returncode == 2
    assert "D001" in done.stderr  # the customer's number is not lost with the error
    assert "devices set printer" in done.stderr
    as_json = kiosk("ticket", "take", "claims", "--print", "--json", db=sqlite_url, env=env)
    assert as_json.returncode == 2
    assert "D002" in json.loads(as_json.stdout)["message_en"]
    assert states(eng) == {"D001": "queued", "D002": "queued"}
    eng.dispose()


def test_a_job_that_cannot_be_rendered_goes_back_to_the_queue_naming_the_ticket(
        sqlite_url: str, printer: FakePrinter, tmp_path: Path) -> None:
    # Raster mode without a usable CJK font: nothing can be sent. The ticket is taken,
    # the message names it, and the job waits (not held "sending" under a lease).
    from kiosk.db import make_engine
    from kiosk.migrate import ensure_ready

    env = {"KIOSK_NOW": MONDAY_10AM.isoformat()}
    eng = make_engine(sqlite_url)
    ensure_ready(eng)
    with unit_of_work(eng, write=True) as session:
        apply_config(session, open_all_hours())
        printing.set_printer(session, str(printer.link), "generic-80", "raster")
    bogus = tmp_path / "no-font.ttf"
    bogus.write_bytes(b"not a font")
    done = kiosk("ticket", "take", "claims", "--print", db=sqlite_url,
                 env={**env, "KIOSK_CJK_FONT": str(bogus)})
    assert done.returncode == 2
    assert "D001" in done.stderr
    assert "Traceback" not in done.stderr
    assert states(eng) == {"D001": "queued"}
    with unit_of_work(eng) as session:
        (job,) = printing.jobs(session)
    assert "KIOSK_CJK_FONT" in job.last_error
    resumed = kiosk("print", "run", db=sqlite_url, env=env)  # the font is back
    assert resumed.returncode == 0, resumed.stderr
    assert printer.wait_for(lambda p: len(p.jobs) == 1), (resumed.stdout, printer.lines)
    assert states(eng) == {"D001": "done"}
    eng.dispose()
