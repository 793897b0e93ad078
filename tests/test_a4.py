"""A station's A4 output: a folder for PDFs, or a CUPS queue through ``lp`` (a real,
private CUPS scheduler); failures name where and what to check and show in the
station's device health."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.devices.a4 import deliver_pdf
from kiosk.devices.health import device_health
from kiosk.devices.stations import set_a4
from kiosk.errors import DeviceError, UsageError
from printers.documents.model import ROLL_80MM
from printers.documents.pdf import render_pdf
from printers.documents.slips import BranchHeading, TicketFacts, queue_ticket
from tests.conftest import MONDAY_10AM
from tests.cups import CupsServer

FACTS = TicketFacts("D007", "理赔", "Claims", "normal", 3, (10, 20), "2026-11-23 10:00",
                    "KIOSK:T:BR0001:2026-11-23:D007", [], [])


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(queue_ticket(FACTS, BranchHeading("客户服务中心", "Centre")), ROLL_80MM)


@pytest.fixture(scope="module")
def cups() -> Iterator[CupsServer]:
    server = CupsServer()
    server.start()
    server.add_queue("OfficeA4")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def branch(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    return engine


def use_cups(engine: Engine, cups: CupsServer, queue: str,
             monkeypatch: pytest.MonkeyPatch) -> None:
    """Station C3 prints A4 on ``queue`` of the test's CUPS server (lp finds it through
    CUPS_SERVER, as a PC finds the branch's print server)."""
    for name, value in cups.env.items():
        monkeypatch.setenv(name, value)
    with unit_of_work(engine, write=True) as session:
        set_a4(session, cups=queue, station="C3")


def a4_health(engine: Engine, station: str) -> tuple[str, str]:
    with unit_of_work(engine) as session:
        (row,) = [h for h in device_health(session) if (h.station, h.device) == (station, "a4")]
    return row.state, row.problem_en


def test_a_folder_output_gets_the_whole_pdf_under_a_dated_name(
        branch: Engine, pdf: bytes, tmp_path: Path) -> None:
    folder = tmp_path / "share" / "forms"
    with unit_of_work(branch, write=True) as session:
        set_a4(session, folder=str(folder), station="C3")
    first = deliver_pdf(branch, pdf, "handover CLM/001", station="C3")
    second = deliver_pdf(branch, pdf, "handover CLM/001", station="C3")
    assert Path(first.delivered_as).name == "20261123-020000-handover_CLM_001.pdf"
    assert Path(second.delivered_as).name == "20261123-020000-handover_CLM_001-2.pdf"
    assert Path(first.delivered_as).read_bytes() == pdf
    assert sorted(p.name for p in folder.iterdir()) == [
        "20261123-020000-handover_CLM_001-2.pdf", "20261123-020000-handover_CLM_001.pdf"]
    assert a4_health(branch, "C3") == ("ok", "")


def test_a_folder_that_cannot_be_written_names_it_and_shows_in_health(
        branch: Engine, pdf: bytes, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the share should be")
    with unit_of_work(branch, write=True) as session:
        set_a4(session, folder=str(blocker / "forms"), station="C3")
    with pytest.raises(DeviceError) as failed:
        deliver_pdf(branch, pdf, "form", station="C3")
    assert str(blocker / "forms") in failed.value.en
    state, problem = a4_health(branch, "C3")
    assert state == "problem"
    assert str(blocker / "forms") in problem


def test_a_station_without_a4_output_is_told_how_to_set_one(branch: Engine,
                                                            pdf: bytes) -> None:
    with pytest.raises(UsageError) as missing:
        deliver_pdf(branch, pdf, "form", station="C3")
    assert "devices set a4" in missing.value.en


@pytest.mark.slow
def test_a_cups_queue_gets_the_pdf_through_lp(
        branch: Engine, pdf: bytes, cups: CupsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cups(branch, cups, "OfficeA4", monkeypatch)
    before = len(cups.printed())
    done = deliver_pdf(branch, pdf, "handover", station="C3")
    assert done.delivered_as.startswith("OfficeA4-")
    arrived = threading.Event()
    while not arrived.wait(0.05):  # the scheduler runs the backend after lp returns
        if len(cups.printed()) > before:
            break
    assert cups.printed()[-1].read_bytes() == pdf
    assert a4_health(branch, "C3") == ("ok", "")


@pytest.mark.slow
def test_a_cups_queue_that_does_not_exist_is_a_device_error_naming_it(
        branch: Engine, pdf: bytes, cups: CupsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    use_cups(branch, cups, "NoSuchQueue", monkeypatch)
    with pytest.raises(DeviceError) as refused:
        deliver_pdf(branch, pdf, "handover", station="C3")
    assert "NoSuchQueue" in refused.value.en
    assert "lpstat -p NoSuchQueue" in refused.value.hint
    assert a4_health(branch, "C3")[0] == "problem"


def test_cli_print_a4_and_its_errors(branch: Engine, pdf: bytes, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = str(branch.url)
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    assert main(["--db", db, "--station", "C3", "print", "a4", str(source), "--json"]) == 2
    assert "devices set a4" in json.loads(capsys.readouterr().out)["message_en"]
    assert main(["--db", db, "--station", "C3", "devices", "set", "a4", "--folder",
                 str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "--station", "C3", "print", "a4", str(source), "--json"]) == 0
    sent = json.loads(capsys.readouterr().out)
    assert Path(sent["delivered_as"]).read_bytes() == pdf
    not_pdf = tmp_path / "notes.txt"
    not_pdf.write_text("hello")
    assert main(["--db", db, "--station", "C3", "print", "a4", str(not_pdf)]) == 2
    assert "not a PDF" in capsys.readouterr().err
