"""``kiosk complaint add|list``: one JSON object, the phone masked (138****5678) in every
output, bilingual refusals with exit 2, and the receipt printed with --print."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.privacy.masking import find_unmasked
from printers.simulators.printer import FakePrinter
from tests.conftest import MONDAY_10AM

Kiosk = Callable[..., tuple[int, Any, str, str]]


@pytest.fixture
def kiosk(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> Kiosk:
    """Run ``kiosk --db URL ARGS...`` in-process: (exit code, JSON or None, stdout, stderr)."""
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())

    def run(*args: str) -> tuple[int, Any, str, str]:
        code = main(["--db", sqlite_url, *args])
        out, err = capsys.readouterr()
        data = json.loads(out) if "--json" in args and out.strip() else None
        return code, data, out, err

    return run


def test_add_prints_the_complaint_with_the_phone_masked(kiosk: Kiosk) -> None:
    code, added, out, err = kiosk("complaint", "add", "--category", "waiting", "--text",
                                  "等了一个小时，请回电 13912345678", "--phone",
                                  "138-1234-5678", "--json")
    assert code == 0, err
    assert out.count("\n") == 1
    assert added["contact"] == "138****5678"
    assert added["text"] == "等了一个小时，请回电 139****5678"
    assert (added["source"], added["consent"], added["state"]) == ("staff", True, "received")
    assert added["entered_by"].startswith("cli:")
    assert (added["feedback_due"], added["reply_due"], added["decision_due"]) == (
        "2026-11-25", "2026-12-04", "2026-12-08")
    assert added["reference"].startswith("FB261123-")

    code, listed, out, err = kiosk("complaint", "list", "--json")
    assert code == 0, err
    assert [c["reference"] for c in listed["complaints"]] == [added["reference"]]
    code, _, text, _ = kiosk("complaint", "list")
    assert added["reference"] in text
    assert "138****5678" in text
    for output in (json.dumps(added, ensure_ascii=False), json.dumps(listed, ensure_ascii=False),
                   text):
        assert find_unmasked(output) == []


@pytest.mark.parametrize(("args", "words"), [
    (["--category", "other", "--text", "x", "--phone", "12345"], "电话号码格式不正确"),
    (["--category", "other", "--text", "   "], "请填写意见内容"),
    (["--category", "nonsense", "--text", "x"], "invalid choice"),
    (["--category", "other", "--text", "x", "--ticket", "D999"], "今天没有 D999 号票"),
])
def test_bad_input_exits_2_in_both_languages_and_stores_nothing(
        kiosk: Kiosk, args: list[str], words: str) -> None:
    code, refused, _, err = kiosk("complaint", "add", *args, "--json")
    assert code == 2
    assert words in err
    assert refused["message_zh"]
    assert refused["message_en"]
    assert kiosk("complaint", "list", "--json")[1] == {"complaints": []}


def test_print_sends_the_acknowledgement_and_a_printer_problem_exits_4(
        kiosk: Kiosk, printer: FakePrinter) -> None:
    assert kiosk("devices", "set", "printer", "--port", printer.path)[0] == 0
    code, added, _, err = kiosk("complaint", "add", "--category", "praise", "--text", "很好",
                                "--print", "--json")
    assert code == 0, err
    assert added["print"]["printed"] is True
    assert printer.wait_for(lambda p: len(p.jobs) == 1)
    assert added["reference"] in "\n".join(printer.jobs[0].texts)
    printer.set_state("paper_out")
    code, added, _, err = kiosk("complaint", "add", "--category", "praise", "--text", "很好",
                                "--print", "--json")
    assert code == 4
    assert added["print"]["status"] == "queued"
    assert f"意见 {added['reference']} 已受理" in err
    assert len(kiosk("complaint", "list", "--json")[1]["complaints"]) == 2
