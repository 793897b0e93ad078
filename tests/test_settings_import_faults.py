"""``kiosk settings import`` under hostile files: every case exits 2 naming the field and
the reason, and nothing is half-applied (SQLite and PostgreSQL). Prefix letters that
change during the day (docs/queue.md, "When prefixes change")."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.branch.info import load_branch
from kiosk.branch.settings import dump_toml, export_document
from kiosk.cli import main
from kiosk.db import make_engine, unit_of_work
from kiosk.migrate import ensure_ready

MONDAY_10AM = "2026-11-23T10:00:00+08:00"
TUESDAY_10AM = "2026-11-24T10:00:00+08:00"

Doc = dict[str, Any]


@pytest.fixture
def url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM)
    engine = make_engine(db_url)
    ensure_ready(engine)
    engine.dispose()
    return db_url


def exported(url: str) -> str:
    engine = make_engine(url)
    try:
        with unit_of_work(engine) as session:
            return dump_toml(export_document(session, load_branch(session).id))
    finally:
        engine.dispose()


def kiosk(url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    """Run one command in this process; (exit code, its one JSON object)."""
    capsys.readouterr()
    code = main(["--db", url, *args, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1]) if out else None


def import_edited(url: str, edit: Callable[[Doc], object], tmp_path: Path,
                  capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    doc = tomllib.loads(exported(url))
    edit(doc)
    path = tmp_path / "edited.toml"
    path.write_text(dump_toml(doc), encoding="utf-8")
    return kiosk(url, "settings", "import", str(path), capsys=capsys)


def service(doc: Doc, code: str) -> Doc:
    found: Doc = next(s for s in doc["services"] if s["code"] == code)
    return found


def rename(doc: Doc, old: str, new: str) -> None:
    """Rename a service in the file, counters included: to the database, the old code
    leaves the file (it is kept, disabled) and a new service arrives."""
    service(doc, old)["code"] = new
    for counter in doc["counters"]:
        counter["services"] = [new if c == old else c for c in counter["services"]]


BAD_FILES: list[tuple[str, Callable[[Doc], object], str, str]] = [
    ("a service twice in one counter",
     lambda d: d["counters"][0].update(services=["enquiry", "payments", "enquiry"]),
     "counters[0].services", "listed twice"),
    ("a list inside a counter's services",
     lambda d: d["counters"][0].update(services=[["claims"]]),
     "counters[0].services", "expected service codes"),
    ("services as a list of lists", lambda d: d.update(services=[["claims"]]),
     "services[0]", "expected a table"),
    ("a huge target", lambda d: d["services"][0].update(target_wait_min=99999999999999999999),
     "services[0].target_wait_min", "must be 1..480"),
    ("a huge counter number", lambda d: d["counters"][1].update(number=2147483648),
     "counters[1].number", "must be 1..999"),
    ("a holiday written as a datetime",
     lambda d: d["calendar"]["holidays"].append(datetime(2026, 12, 25, 9, 0)),
     "calendar.holidays", "not a date and time"),
    ("a name longer than its column",
     lambda d: d["services"][0].update(name_zh="咨" * 50), "services[0].name_zh",
     "at most 40 characters"),
    ("a NUL in the hotline", lambda d: d["branch"].update(hotline="955\x0000"),
     "branch.hotline", "U+0000"),
    ("a cut command in a service name",
     lambda d: d["services"][3].update(name_en="Claims\x1dV\x00"),
     "services[3].name_en", "U+001D"),
    ("an escape in the branch name", lambda d: d["branch"].update(name_zh="客户\x1b@中心"),
     "branch.name_zh", "U+001B"),
    ("a control character in a notice line",
     lambda d: d["settings"].update(ticket_notice_en=["Welcome", "Bye\x0c"]),
     "settings.ticket_notice_en[1]", "U+000C"),
    ("a huge setting", lambda d: d["settings"].update(recall_limit=10**20),
     "settings.recall_limit", "must be 0..10"),
    ("a promise of zero working days",
     lambda d: d["settings"].update(claim_decision_working_days=0),
     "settings.claim_decision_working_days", "must be 1..60"),
    ("an empty service name", lambda d: d["services"][1].update(name_en="  "),
     "services[1].name_en", "must not be empty"),
    ("a service code that is not a code", lambda d: d["services"][1].update(code="New Biz"),
     "services[1].code", "lowercase letters"),
    ("a renamed service onto the prefix it leaves",
     lambda d: rename(d, "complaints", "feedback"),
     "services[5].prefix", "still belongs to service complaints"),
]


@pytest.mark.parametrize(("case", "edit", "field", "reason"), BAD_FILES,
                         ids=[case[0] for case in BAD_FILES])
def test_a_bad_settings_file_exits_2_naming_field_and_reason_and_changes_nothing(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str,
        edit: Callable[[Doc], object], field: str, reason: str) -> None:
    before = exported(url)
    code, error = import_edited(url, edit, tmp_path, capsys)
    assert code == 2, case
    assert error["error"] == "config"
    assert f"edited.toml: {field}: " in error["message_en"]
    assert reason in error["message_en"]
    assert f"edited.toml：{field}：" in error["message_zh"]
    assert exported(url) == before


def test_swapped_prefixes_before_the_first_ticket_of_the_day_apply_whole(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def swap(doc: Doc) -> None:
        service(doc, "enquiry")["prefix"], service(doc, "claims")["prefix"] = "D", "A"

    assert import_edited(url, swap, tmp_path, capsys)[0] == 0
    after = tomllib.loads(exported(url))
    assert (service(after, "enquiry")["prefix"], service(after, "claims")["prefix"]) == ("D", "A")
    code, ticket = kiosk(url, "ticket", "take", "claims", capsys=capsys)
    assert (code, ticket["number"]) == (0, "A001")


def test_a_prefix_letter_never_changes_while_today_has_tickets_under_it(
        url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    for code in ("enquiry", "enquiry", "claims"):  # A001, A002, D001
        assert kiosk(url, "ticket", "take", code, capsys=capsys)[0] == 0

    def claims_takes_a(doc: Doc) -> None:
        service(doc, "enquiry")["prefix"], service(doc, "claims")["prefix"] = "Q", "A"

    before = exported(url)
    code, error = import_edited(url, claims_takes_a, tmp_path, capsys)
    assert code == 2
    assert "services[0].prefix" in error["message_en"]
    assert "issued tickets under A today" in error["message_en"]
    assert exported(url) == before
    # every number still names one customer
    code, shown = kiosk(url, "ticket", "show", "A002", capsys=capsys)
    assert (code, shown["service"]) == (0, "enquiry")
    assert kiosk(url, "ticket", "take", "claims", capsys=capsys)[1]["number"] == "D002"
    # the next business day the change is allowed and numbering starts afresh
    monkeypatch.setenv("KIOSK_NOW", TUESDAY_10AM)
    assert import_edited(url, claims_takes_a, tmp_path, capsys)[0] == 0
    assert kiosk(url, "ticket", "take", "claims", capsys=capsys)[1]["number"] == "A001"
    assert kiosk(url, "ticket", "take", "enquiry", capsys=capsys)[1]["number"] == "Q001"
