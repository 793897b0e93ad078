"""The background spool of a station: a screen's print returns after a bounded wait
whatever the printer does, the spool keeps trying, stops cleanly, and never loses
or doubles a ticket."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app.tickets import take_ticket
from kiosk.db import unit_of_work
from kiosk.devices import printing
from kiosk.devices.health import DeviceHealth, device_health
from kiosk.devices.spooler import Spooler, print_with_wait, spooler_for, stop_spoolers
from kiosk.devices.stations import set_printer
from kiosk.queue.lobby import Lobby
from printers.documents.model import RollDocument
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM

STATION = "K1"


@pytest.fixture
def branch(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    return open_engine


@pytest.fixture
def spooler(branch: Engine) -> Iterator[Spooler]:
    spool = Spooler(branch, STATION, poll_s=0.05, idle_check_s=3600)
    yield spool
    spool.stop()


def ticket(engine: Engine) -> RollDocument:
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
    with unit_of_work(engine) as session:
        return printing.ticket_document(session, number)


def use_printer(engine: Engine, port: str) -> None:
    with unit_of_work(engine, write=True) as session:
        set_printer(session, port, "generic-80", "text", station=STATION)


def printed_numbers(printer: FakePrinter) -> list[str]:
    return [q.rsplit(":", 1)[1] for job in printer.jobs for q in job.qr]


def job_states(engine: Engine) -> dict[str, str]:
    with unit_of_work(engine) as session:
        return {j.reference: j.state for j in printing.jobs(session)}


def test_a_ready_printer_prints_and_the_outcome_says_so(
        branch: Engine, spooler: Spooler, printer: FakePrinter) -> None:
    use_printer(branch, str(printer.link))
    document = ticket(branch)
    outcome = spooler.submit(document, wait_s=None)
    assert outcome.printed
    assert outcome.state == "printed"
    assert printer.wait_for(lambda p: printed_numbers(p) == [document.reference])
    assert job_states(branch) == {document.reference: "done"}


def test_paper_out_returns_the_reason_and_prints_when_paper_is_back(
        branch: Engine, spooler: Spooler, printer: FakePrinter) -> None:
    use_printer(branch, str(printer.link))
    printer.set_state("paper_out")
    document = ticket(branch)
    outcome = spooler.submit(document, wait_s=None)
    assert outcome.state == "waiting"
    assert "out of paper" in outcome.reason_en
    assert "缺纸" in outcome.reason_zh
    # The next ticket is not tried while the first waits for paper: its caller hears
    # the same reason at once instead of waiting for an attempt that does not come.
    second = ticket(branch)
    outcome = spooler.submit(second, wait_s=None)
    assert (outcome.state, outcome.reason_en) == ("waiting", "printer is out of paper")
    printer.set_state("ok")  # the spool polls: no one has to print again
    assert printer.wait_for(
        lambda p: printed_numbers(p) == [document.reference, second.reference])
    assert printer.wait_for(lambda p: set(job_states(branch).values()) == {"done"})


def test_an_unplugged_printer_does_not_hold_the_screen(
        branch: Engine, spooler: Spooler, tmp_path: Path) -> None:
    """Opening a missing port retries with backoff for seconds; the caller gets its
    answer after its own bounded wait, before the spool's attempt has even ended."""
    missing = tmp_path / "ttyUSB9"
    use_printer(branch, str(missing))
    document = ticket(branch)
    outcome = spooler.submit(document, wait_s=0.2)
    assert outcome.state == "waiting"
    assert "not confirmed yet" in outcome.reason_en
    assert spooler.runs == 0  # the spool is still trying the port in the background
    assert spooler.wait_for_runs(1, timeout=60)
    with unit_of_work(branch) as session:
        (job,) = printing.jobs(session)
    # Still in the spool (queued, or already claimed again by the next try), with the
    # port's problem recorded.
    assert job.state in ("queued", "sending")
    assert job.printed_at is None
    assert str(missing) in job.last_error
    # The next caller hears the printer's problem at once.
    assert str(missing) in spooler.outcome(job.id, wait_s=0).reason_en


def test_no_printer_for_the_station_is_said_and_the_job_waits(
        branch: Engine, spooler: Spooler) -> None:
    document = ticket(branch)
    outcome = spooler.submit(document, wait_s=None)
    assert outcome.state == "no_printer"
    assert "K1" in outcome.reason_en
    assert job_states(branch) == {document.reference: "queued"}


def test_stop_lets_the_job_in_progress_settle_and_loses_nothing(
        branch: Engine, printer: FakePrinter) -> None:
    use_printer(branch, str(printer.link))
    documents = [ticket(branch) for _ in range(6)]
    spool = Spooler(branch, STATION, poll_s=0.05, idle_check_s=3600)
    for document in documents:
        spool.submit(document, wait_s=0)
    spool.stop()
    assert not spool.running
    states = job_states(branch)
    assert set(states.values()) <= {"done", "queued"}  # none left "sending"
    done = sum(1 for s in states.values() if s == "done")
    assert printer.wait_for(lambda p: len(p.jobs) == done)
    # A new spooler (the kiosk restarted) prints the rest, each ticket once, in order.
    again = Spooler(branch, STATION, poll_s=0.05, idle_check_s=3600).start()
    try:
        assert printer.wait_for(lambda p: len(p.jobs) == len(documents))
    finally:
        again.stop()
    assert printed_numbers(printer) == [d.reference for d in documents]
    assert set(job_states(branch).values()) == {"done"}


def test_a_job_enqueued_by_another_process_is_picked_up_by_polling(
        branch: Engine, spooler: Spooler, printer: FakePrinter) -> None:
    use_printer(branch, str(printer.link))
    spooler.start()
    document = ticket(branch)
    with unit_of_work(branch, write=True) as session:  # e.g. `kiosk print retry` on the admin PC
        printing.enqueue(session, document, station=STATION)
    assert printer.wait_for(lambda p: printed_numbers(p) == [document.reference])


def test_screens_share_one_spooler_per_station_in_the_process(
        branch: Engine, printer: FakePrinter) -> None:
    use_printer(branch, str(printer.link))
    try:
        assert spooler_for(branch, STATION) is spooler_for(branch, STATION)
        outcomes = []
        threads = [threading.Thread(target=lambda: outcomes.append(print_with_wait(
            branch, ticket(branch), station=STATION, wait_s=None))) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert [o.state for o in outcomes] == ["printed"] * 4
        assert printer.wait_for(lambda p: len(p.jobs) == 4)
        assert len(set(printed_numbers(printer))) == 4
    finally:
        stop_spoolers()


def printer_health(engine: Engine) -> DeviceHealth:
    with unit_of_work(engine) as session:
        (row,) = [h for h in device_health(session) if h.device == "printer"]
    return row


def test_the_idle_spool_checks_the_printer_so_the_board_sees_paper_out_before_a_customer(
        branch: Engine, printer: FakePrinter) -> None:
    with unit_of_work(branch, write=True) as session:
        set_printer(session, str(printer.link), "generic-80", "text", station="K1")
    printer.set_state("cover_open")
    spool = Spooler(branch, "K1", poll_s=0.05, idle_check_s=0).start()
    try:
        assert spool.wait_for_runs(2, timeout=60)  # a run, then an idle check, then a run
    finally:
        spool.stop()
    seen = printer_health(branch)
    assert (seen.state, seen.problem_en) == ("problem", "printer cover is open")
    assert printer.status_queries >= 4
    assert printer.jobs == []


def test_a_screen_taking_a_ticket_gets_its_answer_within_its_print_bound(
        branch: Engine, tmp_path: Path) -> None:
    """The take screen's call: the ticket is taken and shown even though the printer
    is unplugged; the print says it is queued, the spool keeps trying."""
    missing = tmp_path / "ttyUSB9"
    use_printer(branch, str(missing))
    app = AppContext(branch, STATION, print_wait_s=0.2)
    try:
        taken = take_ticket(app, "enquiry", print_ticket=True)
        assert taken.number == "A001"
        assert taken.print is not None
        assert (taken.print.status, taken.print.printed) == ("queued", False)
        assert "not confirmed yet" in taken.print.reason_en
        # the answer did not wait for the spool, which keeps the job: still sending to
        # the port, or queued for its next try (never failed, never dropped)
        with unit_of_work(branch) as session:
            (job,) = printing.jobs(session, station=STATION)
        assert job.id == taken.print.job
        assert job.state in ("sending", "queued")
        assert spooler_for(branch, STATION).running
    finally:
        stop_spoolers(branch)  # what app.close() does before disposing the engine
    assert job_states(branch) == {"A001": "queued"}
    with unit_of_work(branch) as session:
        (job,) = printing.jobs(session)
    assert str(missing) in job.last_error  # the attempt finished before the stop returned


def test_closing_the_app_stops_its_background_spool(branch: Engine, printer: FakePrinter) -> None:
    use_printer(branch, str(printer.link))
    app = AppContext(branch, STATION, print_wait_s=None)
    spool = spooler_for(branch, STATION)
    assert spool.running
    app.close()
    assert not spool.running
