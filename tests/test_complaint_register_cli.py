"""``kiosk complaint take|hand-over|update|show REF`` as scripts use them: one JSON
object with --json, the member of staff logged in with the PIN from standard input
(never an argument), refusals with exit 3 and usage errors with exit 2 in both
languages, the phone masked in every output, every step audited under who did it."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.db import make_engine, unit_of_work
from kiosk.models import AuditEntry
from kiosk.privacy.masking import find_unmasked
from tests.conftest import MONDAY_10AM

Kiosk = Callable[..., tuple[int, Any, str, str]]
PINS = {"S9001": "3691", "S9002": "3691", "S0101": "2580"}


@pytest.fixture
def kiosk(sqlite_url: str, monkeypatch: pytest.MonkeyPatch,
          capsys: pytest.CaptureFixture[str]) -> Kiosk:
    """``kiosk --db URL ARGS...`` in-process with ``pin`` on standard input: (exit code,
    JSON or None, stdout, stderr)."""
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())

    def run(*args: str, pin: str | None = None) -> tuple[int, Any, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO("" if pin is None else pin + "\n"))
        code = main(["--db", sqlite_url, *args])
        out, err = capsys.readouterr()
        data = json.loads(out) if "--json" in args and out.strip() else None
        return code, data, out, err

    for number, role in (("S9001", "supervisor"), ("S9002", "supervisor"),
                         ("S0101", "counter")):
        assert run("staff", "add", number, "--name", f"员工{number}", "--role", role,
                   pin=PINS[number])[0] == 0
    return run


def audit(sqlite_url: str) -> list[tuple[str, str, str, str]]:
    engine = make_engine(sqlite_url)
    try:
        with unit_of_work(engine) as session:
            return [(r.staff, r.action, r.subject, r.detail) for r in session.scalars(
                select(AuditEntry).where(AuditEntry.action.like("complaint.%"))
                .order_by(AuditEntry.id))]
    finally:
        engine.dispose()


def test_a_complaint_from_take_to_close_with_staff_logged_in(kiosk: Kiosk,
                                                             sqlite_url: str) -> None:
    code, added, _, err = kiosk("complaint", "add", "--category", "claims", "--text",
                                "理赔太慢，请回电 13912345678", "--phone", "13812345678",
                                "--json")
    assert code == 0, err
    ref = added["reference"]

    code, taken, out, err = kiosk("complaint", "take", ref.lower(), "--staff", "S9001",
                                  "--json", pin=PINS["S9001"])
    assert code == 0, err
    assert out.count("\n") == 1
    assert (taken["complaint"]["state"], taken["complaint"]["owner"], taken["first_owner"]) == (
        "investigating", "S9001", "S9001")
    assert PINS["S9001"] not in out + err

    code, handed, _, err = kiosk("complaint", "hand-over", ref, "--to", "S9002", "--reason",
                                 "理赔专员跟进", "--staff", "S9001", "--json",
                                 pin=PINS["S9001"])
    assert code == 0, err
    assert (handed["complaint"]["owner"], handed["first_owner"]) == ("S9002", "S9001")
    code, replied, _, err = kiosk("complaint", "update", ref, "--feedback", "已告知进展",
                                  "--note", "已补发赔款，客户电话 13812345678",
                                  "--state", "replied", "--staff", "S9002", "--json",
                                  pin=PINS["S9002"])
    assert code == 0, err
    assert replied["complaint"]["state"] == "replied"
    assert replied["feedback_at"] is not None
    code, closed, _, err = kiosk("complaint", "update", ref, "--state", "closed",
                                 "--staff", "S9001", "--json", pin=PINS["S9001"])
    assert code == 0, err
    assert closed["complaint"]["state"] == "closed"

    code, shown, _, err = kiosk("complaint", "show", ref, "--json")
    assert code == 0, err
    assert [s["kind"] for s in shown["history"]] == [
        "received", "taken", "handed_over", "feedback", "replied", "closed"]
    code, _, text, _ = kiosk("complaint", "show", ref)
    assert ref in text
    assert "closed" in text
    assert "138****5678" in text
    assert "已补发赔款，客户电话 138****5678" in text
    for output in (json.dumps([taken, handed, replied, closed, shown], ensure_ascii=False),
                   text):
        assert find_unmasked(output) == []
    assert [(who, action) for who, action, subject, _ in audit(sqlite_url)][1:] == [
        ("S9001", "complaint.take"), ("S9001", "complaint.hand_over"),
        ("S9002", "complaint.update"), ("S9001", "complaint.update")]
    assert all(subject == ref for _, _, subject, _ in audit(sqlite_url))
    assert all("13812345678" not in detail for *_, detail in audit(sqlite_url))


def test_without_staff_the_console_acts_and_owns_it(kiosk: Kiosk, sqlite_url: str) -> None:
    ref = kiosk("complaint", "add", "--category", "other", "--text", "建议", "--json")[1][
        "reference"]
    code, taken, _, err = kiosk("complaint", "take", ref, "--json")
    assert code == 0, err
    assert taken["complaint"]["owner"].startswith("cli:")
    assert audit(sqlite_url)[-1][:3] == (taken["complaint"]["owner"], "complaint.take", ref)


@pytest.mark.parametrize(("args", "pin", "code", "error", "words"), [
    # someone else owns it: a refusal, exit 3
    (["take", "--staff", "S9002"], PINS["S9002"], 3, "taken", "已由 S9001 受理"),
    # a counter clerk's role does not work the register
    (["take", "--staff", "S0101"], PINS["S0101"], 3, "not_permitted", ""),
    # a wrong PIN
    (["take", "--staff", "S9002"], "0000", 3, "wrong_pin", ""),
    # no PIN on standard input
    (["take", "--staff", "S9002"], None, 2, "no_pin", "标准输入中没有密码"),
    # hand over to a counter clerk
    (["hand-over", "--to", "S0101", "--reason", "x", "--staff", "S9001"], PINS["S9001"], 2,
     "not_permitted", "不能处理投诉"),
    (["update", "--staff", "S9001"], PINS["S9001"], 2, "usage", "没有要更新的内容"),
    (["update", "--state", "closed", "--staff", "S9001"], PINS["S9001"], 3, "bad_state",
     "尚未答复"),
])
def test_refusals_and_bad_input_say_why_in_both_languages_and_change_nothing(
        kiosk: Kiosk, args: list[str], pin: str | None, code: int, error: str,
        words: str) -> None:
    ref = kiosk("complaint", "add", "--category", "claims", "--text", "慢", "--json")[1][
        "reference"]
    assert kiosk("complaint", "take", ref, "--staff", "S9001", pin=PINS["S9001"])[0] == 0
    before = kiosk("complaint", "show", ref, "--json")[1]
    result, refused, _, err = kiosk("complaint", args[0], ref, *args[1:], "--json", pin=pin)
    assert result == code, err
    assert refused["error"] == error
    assert refused["message_zh"]
    assert refused["message_en"]
    assert words in err
    assert kiosk("complaint", "show", ref, "--json")[1] == before


def test_an_unknown_reference_is_a_usage_error(kiosk: Kiosk) -> None:
    code, refused, _, err = kiosk("complaint", "show", "FB000000-999", "--json")
    assert code == 2, err
    assert refused["message_zh"]
    assert refused["message_en"]
