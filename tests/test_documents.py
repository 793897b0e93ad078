"""Every roll document read back with pdftotext (the Chinese must come back) and
rendered with pdftoppm."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import Engine

from kiosk.branch.settings import apply_config
from kiosk.db import unit_of_work
from kiosk.devices.printing import acknowledgement_document, ticket_document
from kiosk.queue.lobby import Lobby
from printers.documents.model import ROLL_58MM, ROLL_80MM, RollDocument, RollPaper
from printers.documents.pdf import render_pdf
from tests.conftest import MONDAY_10AM, open_all_hours


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def pdf_png(pdf: Path, dpi: int = 203) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf),
                    str(pdf.with_suffix(""))], check=True)
    with Image.open(pdf.with_suffix(".png")) as image:
        return image.convert("L")


@pytest.fixture
def lobby_engine(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
        lobby = Lobby(session)
        lobby.take("claims")
        lobby.take("claims", "care")
    return engine


@pytest.mark.parametrize("paper", [ROLL_80MM, ROLL_58MM], ids=lambda p: p.name)
def test_queue_ticket_pdf_reads_back_and_renders(lobby_engine: Engine, paper: RollPaper,
                                                 tmp_path: Path) -> None:
    with unit_of_work(lobby_engine) as session:
        doc = ticket_document(session, "D002")
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(render_pdf(doc, paper))
    text = pdf_text(pdf)
    for expected in ("客户服务中心", "理赔", "Claims", "D002", "前面还有 0 人", "爱心窗口",
                     "请留意叫号屏幕和语音提示", "过号需重新取号", "2026-11-23 10:00",
                     "95500"):
        assert expected in text
    image = pdf_png(pdf)
    assert abs(image.width - paper.dots) <= 1  # the page is the printable width (203 dpi)
    dark = sum(image.histogram()[:128])
    assert dark > image.width * 10  # ink on the page, not a blank render


def test_the_ticket_carries_no_personal_data_only_a_reference(lobby_engine: Engine) -> None:
    with unit_of_work(lobby_engine) as session:
        doc = ticket_document(session, "D001")
    qr = [b for b in doc.blocks if type(b).__name__ == "Qr"]
    assert [q.payload for q in qr] == ["KIOSK:T:BR0001:2026-11-23:D001"]  # type: ignore[attr-defined]


def test_acknowledgement_promises_feedback_on_the_working_day_calendar(
        engine: Engine, tmp_path: Path) -> None:
    # Friday 2026-09-18 with the default calendar: Saturday mornings are open and
    # Sunday 20 is a make-up working day (调休), so the second working day is Sunday 20.
    from datetime import UTC, datetime

    friday = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)
    with unit_of_work(engine) as session:
        doc = acknowledgement_document(session, "FB-0001", "投诉", "Complaint", friday)
    pdf = tmp_path / "ack.pdf"
    pdf.write_bytes(render_pdf(doc, ROLL_80MM))
    text = pdf_text(pdf)
    assert "受理回执" in text
    assert "FB-0001" in text
    assert "投诉" in text
    assert "2026-09-20" in text
    assert "2 个工作日" in text


def test_documents_round_trip_through_json(lobby_engine: Engine) -> None:
    with unit_of_work(lobby_engine) as session:
        doc = ticket_document(session, "D001")
    assert RollDocument.from_json(doc.to_json()) == doc


def test_the_ticket_shows_the_estimated_wait_range(lobby_engine: Engine,
                                                   tmp_path: Path) -> None:
    with unit_of_work(lobby_engine) as session:
        lobby = Lobby(session)
        lobby.take("claims")
        lobby.take("claims")
        view = lobby.ticket_view(lobby.ticket("D004"))
        doc = ticket_document(session, "D004")
    assert view["wait_min"] is not None
    lo, hi = view["wait_min"]
    pdf = tmp_path / "ticket.pdf"
    pdf.write_bytes(render_pdf(doc, ROLL_80MM))
    text = pdf_text(pdf)
    assert f"预计等候 {lo}-{hi} 分钟" in text
    assert f"Estimated wait {lo}-{hi} min" in text
    assert f"前面还有 {view['ahead']} 人" in text


def test_acknowledgement_date_skips_the_national_day_holiday(engine: Engine,
                                                             tmp_path: Path) -> None:
    # Wednesday 2026-09-30: 1-7 October are holidays, so two working days later is
    # Friday 9 October, not (as calendar days would give) Friday 2 October.
    from datetime import UTC, datetime

    wednesday = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
    with unit_of_work(engine) as session:
        doc = acknowledgement_document(session, "FB-0002", "建议", "Suggestion", wednesday)
    pdf = tmp_path / "ack.pdf"
    pdf.write_bytes(render_pdf(doc, ROLL_58MM))
    text = pdf_text(pdf)
    assert "2026-10-09" in text
    assert "2026-10-02" not in text
