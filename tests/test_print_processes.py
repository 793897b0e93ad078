"""Two processes printing to one printer (issue 9, item 2): they take turns on the
port, so neither steals the other's status replies, and no ticket prints twice."""

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
from kiosk.devices import printing
from kiosk.queue.lobby import Lobby
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM, open_all_hours


def printed_numbers(printer: FakePrinter) -> list[str]:
    return [q.rsplit(":", 1)[1] for job in printer.jobs for q in job.qr]


def test_two_processes_running_the_spool_print_each_ticket_once(
        engine: Engine, sqlite_url: str, printer: FakePrinter, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
        printing.set_printer(session, str(printer.link), "generic-80", "text")
    numbers = []
    for _ in range(12):
        with unit_of_work(engine, write=True) as session:
            number = Lobby(session).take("enquiry").number
            printing.enqueue(session, printing.ticket_document(session, number))
        numbers.append(number)
    env = {**os.environ, "KIOSK_NOW": MONDAY_10AM.isoformat()}
    runs = [subprocess.Popen([sys.executable, "-m", "kiosk", "--db", sqlite_url, "print", "run",
                              "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env) for _ in range(2)]
    results = [(p.wait(timeout=120), *p.communicate()) for p in runs]
    for code, out, err in results:
        assert code == 0, err  # no job reported failed
        assert json.loads(out)["error"] is None
    assert printer.wait_for(lambda p: len(p.jobs) >= len(numbers))
    with unit_of_work(engine) as session:
        assert {j.state for j in printing.jobs(session)} == {"done"}
    assert printer.wait_for(lambda p: p.status_queries >= 8 * len(numbers))
    assert sorted(printed_numbers(printer)) == numbers  # each once
    assert printed_numbers(printer) == numbers  # and in the order they were taken


def test_a_second_link_to_the_port_waits_its_turn_and_then_says_who_holds_it(
        printer: FakePrinter) -> None:
    from printers.escpos.portlock import PortBusy
    from printers.escpos.profiles import profile
    from printers.escpos.transport import PrinterLink

    holder = PrinterLink(str(printer.link), profile("generic-80"))
    # Another writer of the same device, under another name (the pty itself).
    other = PrinterLink(printer.path, profile("generic-80"), port_wait_s=0.2)
    try:
        with holder.hold():
            with pytest.raises(PortBusy) as busy:
                other.status()
            assert str(os.getpid()) in busy.value.en
            assert printer.status_queries == 0  # the waiting writer sent nothing
        assert other.status().ready  # its turn
    finally:
        holder.close()
        other.close()


def test_the_lease_is_renewed_while_a_send_lasts_longer_than_it(
        engine: Engine, printer: FakePrinter) -> None:
    """A send that outlives its lease must not let another run take the job (it
    would print twice). The send is held at its start until the test has seen the
    original lease run out on the real clock."""
    import threading
    from datetime import timedelta

    from kiosk import clock
    from kiosk.devices import spool
    from kiosk.devices.stations import resolve_station
    from kiosk.models import PrintJob
    from printers.escpos.profiles import PrinterProfile
    from printers.escpos.transport import PrinterLink

    lease = timedelta(seconds=0.6)
    started, go = threading.Event(), threading.Event()

    class HeldLink(PrinterLink):
        def send(self, data: bytes, *, check_status: bool = True) -> object:
            started.set()
            go.wait(30)
            return super().send(data, check_status=check_status)

    def held(url: str, prof: PrinterProfile) -> PrinterLink:
        return HeldLink(url, prof)

    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
        printing.set_printer(session, str(printer.link), "generic-80", "text")
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
        job_id = printing.enqueue(session, printing.ticket_document(session, number)).id
    runs: list[spool.SpoolRun] = []
    worker = threading.Thread(target=lambda: runs.append(spool.run_spool(
        engine, link_factory=held, lease=lease)))
    worker.start()
    try:
        assert started.wait(30)
        with unit_of_work(engine) as session:
            first_lease = session.get(PrintJob, job_id).lease_until  # type: ignore[union-attr]
        assert first_lease is not None
        # Wait (on the real clock) until the lease taken with the claim has run out.
        deadline = threading.Event()
        while clock.now() <= first_lease + lease:
            deadline.wait(0.05)
        assert spool.claim_next(engine, resolve_station(), clock.now(), lease) is None
    finally:
        go.set()
        worker.join(60)
    assert runs
    assert runs[0].printed == [job_id]
    assert printer.wait_for(lambda p: printed_numbers(p) == [number])
    with unit_of_work(engine) as session:
        assert session.get(PrintJob, job_id).state == "done"  # type: ignore[union-attr]


def test_a_settle_from_a_claim_that_lost_its_lease_changes_nothing(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from kiosk.devices import spool
    from kiosk.models import PrintJob

    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
        document = printing.ticket_document(session, number)
        job_id = printing.enqueue(session, document, MONDAY_10AM, station="K1").id
    lost = spool.claim_next(engine, "K1", MONDAY_10AM)
    taken = spool.claim_next(engine, "K1", MONDAY_10AM + spool.LEASE + timedelta(seconds=1))
    assert lost is not None
    assert taken is not None
    assert taken.attempt == lost.attempt + 1
    assert spool.settle(engine, lost, None) == "sending"  # the late settle is ignored
    with unit_of_work(engine) as session:
        item = session.get(PrintJob, job_id)
        assert item is not None
        assert (item.state, item.printed_at) == ("sending", None)
    assert spool.settle(engine, taken, None) == "done"
