"""``kiosk claims ...`` as scripts use it: the JSON contract, exit codes, the catalogue
import that refuses a broken file and keeps the previous version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.claims.catalogue import shipped_text
from kiosk.cli import main

NOW = "2026-11-23T10:00:00+08:00"  # Monday morning, the branch is open
OUTPATIENT = "CLAIM_FORM,ID_INSURED,MED_RECORD,INVOICE,EXP_LIST,BANK"


@pytest.fixture
def kiosk(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``kiosk --db URL ARGS... --json`` in-process; (exit code, JSON, stderr)."""
    monkeypatch.setenv("KIOSK_NOW", NOW)

    def run(*args: str) -> tuple[int, Any, str]:
        code = main(["--db", sqlite_url, *args])
        out, err = capsys.readouterr()
        return code, json.loads(out) if out.strip() else None, err

    return run


def test_types_contract(kiosk: Any) -> None:
    code, result, _ = kiosk("claims", "types", "--json")
    assert code == 0
    types = result["types"]  # one JSON object, the list inside (issue 9 item 12)
    assert len(types) == 10
    assert types[1] == {"code": "inpatient", "name_zh": "住院医疗", "name_en": "Inpatient medical"}


def test_docs_contract(kiosk: Any) -> None:
    code, docs, _ = kiosk("claims", "docs", "motor_injury", "--json")
    assert code == 0
    first = docs["documents"][0]
    assert {"code", "name_zh", "name_en", "original"} <= set(first)
    assert first["code"] == "CLAIM_FORM"
    assert {d["code"]: d["original"] for d in docs["documents"]}["ID_INSURED"] == "C"
    assert [q["code"] for q in docs["questions"]] == ["by_agent", "company_over_10k",
                                                      "disabled"]
    assert {"code", "text_zh", "text_en"} <= set(docs["questions"][0])


def test_check_contract_incomplete(kiosk: Any) -> None:
    code, result, _ = kiosk("claims", "check", "inpatient", "--have", "CLAIM_FORM,BANK",
                            "--answer", "accident_related=yes", "--answer", "by_agent=no",
                            "--json")
    assert code == 0
    assert result["reference"].startswith("CL261123-")
    assert result["complete"] is False
    assert result["missing"] == ["ID_INSURED", "MED_RECORD", "DISCHARGE", "DIAG_CERT",
                                 "INVOICE", "EXP_LIST", "ACC_PROOF"]
    assert result["originals_needed"] == ["CLAIM_FORM", "ID_INSURED", "MED_RECORD",
                                          "DIAG_CERT", "INVOICE", "ACC_PROOF"]
    assert result["decision_by"] is None


def test_check_contract_complete_with_ticket_and_pdf(kiosk: Any, tmp_path: Path) -> None:
    code, ticket, _ = kiosk("ticket", "take", "claims", "--json")
    assert code == 0
    pdf = tmp_path / "notice.pdf"
    code, result, _ = kiosk("claims", "check", "outpatient", "--have", OUTPATIENT,
                            "--ticket", ticket["number"], "--pdf", str(pdf), "--paper",
                            "roll58", "--json")
    assert code == 0
    assert result["complete"] is True
    assert result["missing"] == []
    assert result["decision_by"] == "2026-11-26"
    assert result["ticket"] == ticket["number"]
    assert pdf.read_bytes().startswith(b"%PDF")

    code, shown, _ = kiosk("claims", "show", "--ticket", ticket["number"], "--json")
    assert code == 0
    assert shown["reference"] == result["reference"]


@pytest.mark.parametrize(("args", "listed"), [
    (["claims", "check", "boat"], "home_property"),
    (["claims", "docs", "boat"], "motor_single"),
    (["claims", "check", "outpatient", "--have", "CLAIM_FORM,PASSPORT"], "MED_RECORD"),
    (["claims", "check", "outpatient", "--answer", "fire=yes"], "paid_elsewhere"),
    (["claims", "check", "outpatient", "--answer", "by_agent=perhaps"], "yes|no"),
])
def test_unknown_codes_are_usage_errors_listing_valid_codes(
        kiosk: Any, args: list[str], listed: str) -> None:
    code, error, err = kiosk(*args, "--json")
    assert code == 2
    assert listed in error["message_en"]
    assert listed in err
    assert error["message_zh"] in err  # Chinese and English on stderr


def test_ticket_of_another_service_is_refused(kiosk: Any) -> None:
    _, ticket, _ = kiosk("ticket", "take", "enquiry", "--json")
    code, error, _ = kiosk("claims", "check", "outpatient", "--ticket", ticket["number"],
                           "--json")
    assert code == 3
    assert error["error"] == "not_claims_ticket"


def test_link_after_the_check(kiosk: Any) -> None:
    _, result, _ = kiosk("claims", "check", "outpatient", "--have", OUTPATIENT, "--json")
    _, ticket, _ = kiosk("ticket", "take", "claims", "--json")
    code, linked, _ = kiosk("claims", "link", result["reference"], "--ticket",
                            ticket["number"], "--json")
    assert code == 0
    assert linked["ticket"] == ticket["number"]
    assert linked["priority"] == "normal"  # the fast lane is off by default


def test_handover_writes_the_form(kiosk: Any, tmp_path: Path) -> None:
    _, result, _ = kiosk("claims", "check", "outpatient", "--have", "CLAIM_FORM,BANK",
                         "--json")
    pdf = tmp_path / "handover.pdf"
    code, out, _ = kiosk("claims", "handover", result["reference"], "--received",
                         "CLAIM_FORM=O,BANK=C", "--staff", "S07", "--pdf", str(pdf), "--json")
    assert code == 0
    assert out["handover"]["received"] == {"CLAIM_FORM": "O", "BANK": "C"}
    assert pdf.read_bytes().startswith(b"%PDF")
    code, _, err = kiosk("claims", "handover", "CL000000-NOPE00", "--received", "BANK=C")
    assert code == 2
    assert "no claim check" in err


def test_show_needs_a_reference_or_a_ticket(kiosk: Any) -> None:
    code, _, err = kiosk("claims", "show")
    assert code == 2
    assert "reference" in err


# ----- catalogue versions through the CLI ----------------------------------------------------


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_export_import_round_trip_and_new_version(kiosk: Any, tmp_path: Path) -> None:
    exported = tmp_path / "catalogue.toml"
    code, out, _ = kiosk("claims", "catalogue", "export", str(exported), "--json")
    assert code == 0
    assert exported.read_text(encoding="utf-8") == shipped_text()
    edited = exported.read_text(encoding="utf-8").replace(
        'version = "2026.1"', 'version = "2026.2"').replace(
        'documents = ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE", "EXP_LIST", "BANK"]',
        'documents = ["CLAIM_FORM", "ID_INSURED", "INVOICE", "BANK"]')
    code, out, _ = kiosk("claims", "catalogue", "import", str(write(exported, edited)),
                         "--json")
    assert code == 0
    assert out["version"] == "2026.2"
    _, result, _ = kiosk("claims", "check", "outpatient", "--have",
                         "CLAIM_FORM,ID_INSURED,INVOICE,BANK", "--json")
    assert result["complete"] is True
    assert result["catalogue_version"] == "2026.2"
    _, versions, _ = kiosk("claims", "catalogue", "versions", "--json")
    assert [(v["version"], v["in_use"]) for v in versions["versions"]] == [
        ("2026.1", False), ("2026.2", True)]


def test_same_version_with_other_content_is_refused(kiosk: Any, tmp_path: Path) -> None:
    changed = shipped_text().replace('name_zh = "门急诊医疗"', 'name_zh = "门诊"')
    code, _, err = kiosk("claims", "catalogue", "import",
                         str(write(tmp_path / "c.toml", changed)))
    assert code == 3
    assert "2026.1" in err


BROKEN = [
    # (text to replace, replacement, the line the error must name, the problem)
    # TOML syntax: an unclosed table header.
    ("[questions.storm]", "[questions.storm", "[questions.storm", "TOML syntax error"),
    # Semantic: a claim type asks for a document that does not exist.
    ('"EXP_LIST", "BANK"]\n\n[types.outpatient.questions]',
     '"EXP_LIST", "BANKCARD"]\n\n[types.outpatient.questions]', '"BANKCARD"',
     "unknown document code"),
    # Semantic: an original mark that is not O, C or O*.
    ('name_en = "Itemised bill"\noriginal = "C"', 'name_en = "Itemised bill"\noriginal = "X"',
     'original = "X"', "original mark"),
    # Semantic: a question without its English text: the error names its table.
    ('text_en = "Is this a theft?"\n', "", "[questions.theft]", "text_en"),
    # Semantic: a question answer that changes a document the claim type does not have.
    ('fire = { adds = ["FIRE_CERT"] }', 'fire = { adds = ["FIRE_CERT"], drops = ["POLICY_X"] }',
     "fire = {", "unknown document code 'POLICY_X'"),
]


@pytest.mark.parametrize(("old", "new", "marker", "problem"), BROKEN)
def test_broken_catalogue_is_rejected_with_file_and_line_and_old_version_stays(
        kiosk: Any, tmp_path: Path, old: str, new: str, marker: str, problem: str) -> None:
    text = shipped_text()
    assert old in text
    broken = text.replace(old, new, 1).replace('version = "2026.1"', 'version = "2026.9"')
    path = write(tmp_path / "broken.toml", broken)
    lines = broken.splitlines()
    expected = [i for i, line in enumerate(lines, start=1) if marker in line]
    assert len(expected) == 1, marker
    code, error, err = kiosk("claims", "catalogue", "import", str(path), "--json")
    assert code == 2
    assert str(path) in error["message_en"]
    assert f"line {expected[0]}:" in error["message_en"]
    assert f"第 {expected[0]} 行" in error["message_zh"]
    assert problem in error["message_en"]
    assert "Traceback" not in err
    # The version in use did not change, and checks still use it.
    _, versions, _ = kiosk("claims", "catalogue", "versions", "--json")
    assert [v["version"] for v in versions["versions"]] == ["2026.1"]
    _, result, _ = kiosk("claims", "check", "outpatient", "--have", OUTPATIENT, "--json")
    assert result["catalogue_version"] == "2026.1"
    assert result["complete"] is True


def test_import_of_a_missing_file_names_it(kiosk: Any, tmp_path: Path) -> None:
    code, _, err = kiosk("claims", "catalogue", "import", str(tmp_path / "absent.toml"))
    assert code == 2
    assert "absent.toml" in err


def test_real_command_prints_no_traceback_for_a_broken_catalogue(
        sqlite_url: str, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.toml", shipped_text().replace("[types.inpatient]",
                                                              "[types.inpatient"))
    env = {**os.environ, "KIOSK_NOW": NOW}
    proc = subprocess.run([sys.executable, "-m", "kiosk", "--db", sqlite_url, "claims",
                           "catalogue", "import", str(path)], capture_output=True, text=True,
                          env=env, timeout=60, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "bad.toml" in proc.stderr
    assert "line" in proc.stderr


def stored_references(sqlite_url: str) -> list[str]:
    from sqlalchemy import select

    from kiosk.db import make_engine, unit_of_work
    from kiosk.models import ClaimCheck

    engine = make_engine(sqlite_url)
    try:
        with unit_of_work(engine) as session:
            return list(session.scalars(select(ClaimCheck.reference)))
    finally:
        engine.dispose()


def test_notice_pdf_that_cannot_be_written_names_the_stored_check(
        kiosk: Any, sqlite_url: str, tmp_path: Path) -> None:
    """The check is committed before its PDF: the customer must still get the reference."""
    code, error, err = kiosk("claims", "check", "outpatient", "--have", "CLAIM_FORM",
                             "--pdf", str(tmp_path / "no-such-dir" / "n.pdf"), "--json")
    assert code == 2
    [reference] = stored_references(sqlite_url)
    assert reference in error["message_en"]
    assert reference in error["message_zh"]
    assert "cannot write" in error["message_en"]
    assert reference in err


def test_print_without_a_printer_names_the_stored_check_and_the_queued_job(
        kiosk: Any, sqlite_url: str) -> None:
    code, error, _ = kiosk("claims", "check", "outpatient", "--print", "--json")
    assert code == 2
    [reference] = stored_references(sqlite_url)
    assert reference in error["message_en"]
    assert reference in error["message_zh"]
    assert "no receipt printer set" in error["message_en"]
    assert "queued" in error["message_en"]


@pytest.mark.parametrize("where", ["no-such-dir/catalogue.toml", "."])
def test_export_to_a_path_that_cannot_be_written_is_a_usage_error(
        kiosk: Any, tmp_path: Path, where: str) -> None:
    target = tmp_path / where
    code, error, err = kiosk("claims", "catalogue", "export", str(target), "--json")
    assert code == 2
    assert error["error"] == "write_failed"
    assert str(target) in error["message_en"]
    assert str(target) in error["message_zh"]
    assert "Traceback" not in err
