"""Claim printouts read back with poppler: the notice on 80/58 mm rolls and A4, and
the A4 hand-over form. Chinese must come back out of the PDF."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from kiosk.claims.records import find_check, record_check, record_handover
from kiosk.claims.views import check_view
from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.devices import printing
from kiosk.errors import UsageError
from printers.documents.claim_forms import checklist_notice_pdf, handover_form_pdf
from printers.documents.claim_notice import LEGEND_ZH, checklist_notice
from printers.documents.slips import BranchHeading
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM

BRANCH = BranchHeading("客户服务中心", "Customer Service Centre", "95500")



def screenshots(tmp_path: Path) -> Path:
    """Where the PNGs go: the test's own folder, or ``KIOSK_SCREENSHOTS`` (set it to
    ``docs/screenshots`` to refresh the pictures in the docs)."""
    return Path(os.environ.get("KIOSK_SCREENSHOTS") or tmp_path)


def pdftotext(path: Path, *, layout: bool = False) -> str:
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True,
                          timeout=30).stdout


class Printed:
    """The text of a PDF, compared without whitespace: lines wrap anywhere between
    Hanzi on a narrow roll, so a phrase may come back split over two lines."""

    def __init__(self, path: Path) -> None:
        self.raw = pdftotext(path)
        self.flat = "".join(self.raw.split())

    def __contains__(self, phrase: str) -> bool:
        return "".join(phrase.split()) in self.flat


def table_rows(path: Path) -> list[str]:
    """Rows of the A4 table: ``pdftotext -layout`` prints each row as a block of lines
    separated by blank lines; a row's cells are joined into one string."""
    rows, current = [], []
    for line in pdftotext(path, layout=True).splitlines() + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            rows.append(" ".join(" ".join(current).split()))
            current = []
    return rows


def row_with(rows: list[str], name: str) -> str:
    found = [row for row in rows if name in row]
    assert len(found) == 1, (name, found)
    return found[0]


def render_png(path: Path, out_prefix: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", str(path), str(out_prefix)],
                   check=True, timeout=60)
    png = out_prefix.with_suffix(".png")
    assert png.stat().st_size > 2000  # an actual image, not an empty page
    return png


def incomplete_view(engine: Engine) -> dict[str, Any]:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "inpatient", {"by_agent": True},
                             ["CLAIM_FORM", "ID_INSURED", "INVOICE"], now=MONDAY_10AM)
        return check_view(session, check)


def complete_view(engine: Engine) -> dict[str, Any]:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "outpatient", {},
                             ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE", "EXP_LIST",
                              "BANK"], now=MONDAY_10AM)
        return check_view(session, check)


@pytest.mark.parametrize("paper", ["roll80", "roll58", "a4"])
def test_notice_lists_every_missing_document_in_chinese_and_english(
        engine: Engine, tmp_path: Path, paper: str) -> None:
    view = incomplete_view(engine)
    pdf = tmp_path / f"notice-{paper}.pdf"
    checklist_notice_pdf(view, BRANCH, pdf, paper=paper)
    text = Printed(pdf)
    assert "理赔资料告知书" in text
    assert "住院医疗" in text
    assert view["reference"] in text
    assert "尚缺 7 份资料" in text
    assert "一次性告知" in text
    for doc in view["documents"]:
        assert doc["name_zh"] in text, doc["code"]
    for name in ("门急诊病历", "出院小结", "诊断证明书", "费用明细清单", "领款人银行卡/存折",
                 "授权委托书", "受托人身份证件"):
        assert name in text
    assert "Power of attorney" in text
    render_png(pdf, screenshots(tmp_path) / f"claims-notice-{paper}")


def test_roll_notice_marks_what_is_present_missing_and_original(engine: Engine) -> None:
    view = incomplete_view(engine)
    doc = checklist_notice(view, BRANCH)
    lines = doc.text().splitlines()
    assert "□ 出院小结（复印件）" in lines
    assert "□ 诊断证明书（原件）" in lines
    assert "√ 理赔申请书 Claim application form" in lines
    start = lines.index("请带原件 Bring the originals of") + 1
    originals = lines[start:lines.index(LEGEND_ZH)]
    assert originals == [
        "· 理赔申请书 Claim application form [O]",
        "· 被保险人身份证明 Insured person's ID [O*]",
        "· 门急诊病历 Outpatient / emergency medical record [O*]",
        "· 诊断证明书 Diagnosis certificate [O]",
        "· 医疗费用原始发票 Original medical invoices [O]",
        "· 授权委托书 Power of attorney [O]",
        "· 受托人身份证件 Agent's ID [O*]",
    ]  # the discharge summary, itemised bill and bank card: a copy is enough
    assert doc.reference == view["reference"]


def test_complete_notice_promises_the_decision_date(engine: Engine, tmp_path: Path) -> None:
    view = complete_view(engine)
    for paper in ("roll80", "a4"):
        pdf = tmp_path / f"complete-{paper}.pdf"
        checklist_notice_pdf(view, BRANCH, pdf, paper=paper)
        text = Printed(pdf)
        assert "资料齐全" in text
        assert "2026-11-26" in text  # Monday 23 November + 3 working days
        assert "尚缺" not in text


def test_notice_qr_code_carries_the_reference(engine: Engine, tmp_path: Path) -> None:
    """The QR drawn on the roll decodes (via its module matrix) to the reference only."""
    from printers.documents.model import Qr

    view = incomplete_view(engine)
    qrs = [b for b in checklist_notice(view, BRANCH).blocks if isinstance(b, Qr)]
    assert [q.payload for q in qrs] == [view["reference"]]


def test_handover_form_lists_each_document_received_and_signature_boxes(
        engine: Engine, tmp_path: Path) -> None:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "inpatient", {}, ["CLAIM_FORM", "INVOICE"],
                             now=MONDAY_10AM)
        handover = record_handover(session, check, {"CLAIM_FORM": "O", "INVOICE": "C"},
                                   staff="S07", now=MONDAY_10AM)
        view = check_view(session, check)
        view["handover"] = {"at": "2026-11-23T10:05:00+08:00", "staff": handover.staff,
                            "received": dict(handover.received)}
    pdf = tmp_path / "handover.pdf"
    handover_form_pdf(view, BRANCH, pdf)
    text = Printed(pdf)
    assert "理赔资料交接单" in text
    assert "客户签字 Customer signature" in text
    assert "经办人签字 Staff signature" in text
    assert "S07" in text
    rows = table_rows(pdf)
    form = row_with(rows, "理赔申请书")
    assert "■ 原件" in form
    assert "original" in form
    invoice = row_with(rows, "医疗费用原始发票")
    assert "■ 复印件" in invoice
    assert "原件待补交" in invoice  # an original was required, a copy was received
    assert "□ 未收" in row_with(rows, "出院小结")
    assert len([row for row in rows if "□ 未收" in row]) == 6
    assert "共收到 2 份资料" in text
    render_png(pdf, screenshots(tmp_path) / "claims-handover-a4")


def test_unwritable_pdf_path_is_a_clear_error(engine: Engine, tmp_path: Path) -> None:
    view = incomplete_view(engine)
    with pytest.raises(UsageError, match="cannot write"):
        checklist_notice_pdf(view, BRANCH, tmp_path / "no-such-dir" / "x.pdf")


# ----- on the roll printer, through the print spool ---------------------------------------------


def test_check_print_puts_the_notice_on_the_roll_printer(
        sqlite_url: str, engine: Engine, printer: FakePrinter,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    with unit_of_work(engine, write=True) as session:
        printing.set_printer(session, str(printer.link), "generic-80", "text")

    assert main(["--db", sqlite_url, "claims", "check", "inpatient", "--have",
                 "CLAIM_FORM,INVOICE", "--print", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["print"]["printed"] is True
    assert printer.wait_for(lambda p: len(p.jobs) == 1 and p.jobs[0].cut)
    job = printer.jobs[0]
    assert job.qr == [result["reference"]]
    printed = "".join("".join(job.texts).split())
    for phrase in ("理赔资料告知书", "尚缺6份资料", "出院小结", "诊断证明书", "一次性告知"):
        assert phrase in printed

    printer.set_state("paper_out")
    code = main(["--db", sqlite_url, "claims", "check", "outpatient", "--print", "--json"])
    out, err = capsys.readouterr()
    assert code == 4
    error = json.loads(out)
    assert "is stored" in error["message_en"]
    assert "out of paper" in err
    reference = error["message_en"].split()[2]
    with unit_of_work(engine) as session:
        assert find_check(session, reference).claim_type == "outpatient"  # nothing lost
        assert [j.state for j in printing.jobs(session)] == ["queued", "done"]


def test_roll_notice_says_where_to_get_each_missing_document(engine: Engine) -> None:
    view = incomplete_view(engine)
    text = checklist_notice(view, BRANCH).text()
    for doc in view["documents"]:
        if not doc["present"]:
            assert doc["hint_zh"] in text, doc["code"]
            assert doc["hint_en"] in text, doc["code"]


def handover_view(engine: Engine, received: dict[str, str]) -> dict[str, Any]:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "death_accident",
                             {"by_agent": True, "no_beneficiary": True,
                              "minor_or_incapable": True}, [], now=MONDAY_10AM)
        handover = record_handover(session, check, received, staff="S07", now=MONDAY_10AM)
        view = check_view(session, check)
        view["handover"] = {"at": "2026-11-23T10:05:00+08:00", "staff": handover.staff,
                            "received": dict(handover.received)}
    return view


def test_handover_form_lists_a_document_received_beyond_the_check(
        engine: Engine, tmp_path: Path) -> None:
    with unit_of_work(engine, write=True) as session:
        check = record_check(session, "outpatient", {}, ["CLAIM_FORM"], now=MONDAY_10AM)
        record_handover(session, check, {"CLAIM_FORM": "O", "AGENT_ID": "C"}, now=MONDAY_10AM)
        view = check_view(session, check)
        view["handover"] = {"at": "2026-11-23T10:05:00+08:00", "staff": "",
                            "received": {"CLAIM_FORM": "O", "AGENT_ID": "C"}}
    pdf = tmp_path / "handover-extra.pdf"
    handover_form_pdf(view, BRANCH, pdf)
    assert "■ 复印件" in row_with(table_rows(pdf), "AGENT_ID")


def test_every_page_of_a_long_a4_form_carries_the_reference(
        engine: Engine, tmp_path: Path) -> None:
    """A signature page printed apart from the list must still say what was signed."""
    view = handover_view(engine, {"CLAIM_FORM": "O", "POLICY": "C"})
    pdf = tmp_path / "handover-long.pdf"
    handover_form_pdf(view, BRANCH, pdf)
    notice = tmp_path / "notice-long.pdf"
    checklist_notice_pdf(view, BRANCH, notice, paper="a4")
    for path in (pdf, notice):
        pages = int(next(line.split()[-1] for line in subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True,
            timeout=30).stdout.splitlines() if line.startswith("Pages:")))
        assert pages >= 2, path.name
        for page in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path),
                                   "-"], capture_output=True, text=True, check=True,
                                  timeout=30).stdout
            assert view["reference"] in text, (path.name, page)
            assert f"{page}/{pages}" in text, (path.name, page)
