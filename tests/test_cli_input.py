"""Hostile command lines (issue 9 items 10 and 12): input out of the columns' or the
integers' range is a usage error (exit 2, both languages, one JSON object) on both
backends instead of a traceback; nonsense accepted silently before is refused; with
``--json`` every command prints exactly one JSON object."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main

MONDAY = "2026-11-23T10:00:00+08:00"


@pytest.fixture
def run(db_url: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> Any:
    """``kiosk --db URL ARGS...`` in process: (exit code, stdout lines, stderr)."""
    monkeypatch.setenv("KIOSK_NOW", MONDAY)

    def kiosk(*args: str) -> tuple[int, list[str], str]:
        code = main(["--db", db_url, *args])
        out, err = capsys.readouterr()
        return code, [line for line in out.splitlines() if line.strip()], err

    assert kiosk("init")[0] == 0
    return kiosk


def refused(result: tuple[int, list[str], str], *words: str) -> dict[str, Any]:
    """Exit 2, no traceback, one JSON error object naming ``words``."""
    code, lines, err = result
    assert code == 2, err
    assert "Traceback" not in err
    assert len(lines) == 1, lines
    error: dict[str, Any] = json.loads(lines[0])
    for word in words:
        assert word in error["message_en"], error
    assert error["message_zh"]
    return error


LONG = {"staff": "S" * 41, "reason": "r" * 201}


def test_text_longer_than_its_column_is_refused_on_both_backends(run: Any) -> None:
    refused(run("counter", "open", "1", "--staff", LONG["staff"], "--json"), "staff", "40")
    refused(run("counter", "call", "1", "--staff", LONG["staff"], "--json"), "staff")
    refused(run("counter", "pause", "1", "--reason", LONG["reason"], "--json"), "reason", "200")
    refused(run("counter", "pause", "1", "--supervisor", LONG["staff"], "--json"),
            "supervisor")
    assert run("ticket", "take", "claims")[0] == 0
    refused(run("ticket", "cancel", "D001", "--reason", LONG["reason"], "--json"), "reason")
    refused(run("counter", "open", "1", "--staff", "S\x0001", "--json"), "control")
    # Exactly at the limit is fine, and nothing refused above was written.
    code, lines, _ = run("counter", "open", "1", "--staff", "S" * 40, "--json")
    assert code == 0
    assert json.loads(lines[0])["staff"] == "S" * 40
    code, lines, _ = run("ticket", "show", "D001", "--json")
    assert json.loads(lines[0])["status"] == "waiting"


@pytest.mark.parametrize("number", ["0", "2147483648", "99999999999999999999999"])
def test_a_counter_number_out_of_range_is_refused(run: Any, number: str) -> None:
    refused(run("counter", "open", number, "--json"), "counter", number)
    refused(run("counter", "call", number, "--json"), "counter")


def test_a_print_job_id_out_of_range_is_refused(run: Any) -> None:
    refused(run("print", "retry", "99999999999999999999", "--json"), "job")
    refused(run("print", "cancel", "2147483648", "--json"), "job")


def test_seed_demo_refuses_a_number_of_days_it_cannot_fill(run: Any) -> None:
    refused(run("seed-demo", "--days", "99999999", "--json"), "days")
    refused(run("seed-demo", "--days", "0", "--json"), "days")


def test_an_empty_port_is_refused(run: Any) -> None:
    refused(run("devices", "set", "keypad", "--port", "", "--map", "1=1", "--json"), "port")
    refused(run("devices", "set", "keypad", "--port", "  ", "--map", "1=1", "--json"), "port")
    refused(run("devices", "set", "printer", "--port", "", "--json"), "port")
    code, lines, _ = run("keypad", "status", "--json")
    assert json.loads(lines[0]) == {"keypads": []}  # nothing was stored


def test_an_unknown_job_state_is_refused_not_an_empty_list(run: Any) -> None:
    refused(run("print", "jobs", "--state", "bogus", "--json"), "bogus", "queued")
    code, lines, _ = run("print", "jobs", "--state", "queued", "--state", "failed", "--json")
    assert code == 0
    assert json.loads(lines[0]) == {"jobs": []}


@pytest.mark.parametrize("seconds", ["-1", "0", "nan", "inf"])
def test_a_listening_time_that_is_not_a_positive_number_is_refused(
        run: Any, seconds: str, tmp_path: Path) -> None:
    port = str(tmp_path / "ttyUSB0")  # refused before the port is touched
    refused(run("keypad", "listen", "--port", port, "--addresses", "1", "--seconds", seconds,
                "--json"), "--seconds")
    refused(run("keypad", "serve", "--seconds", seconds, "--json"), "--seconds")
    refused(run("simulate", "keypad", "--seconds", seconds, "--json"), "--seconds")


def test_init_with_settings_on_an_existing_database_applies_them(run: Any,
                                                                  tmp_path: Path) -> None:
    exported = tmp_path / "branch.toml"
    assert run("settings", "export", str(exported))[0] == 0
    text = exported.read_text(encoding="utf-8")
    exported.write_text(text.replace('hotline = "95500"', 'hotline = "95519"'),
                        encoding="utf-8")
    code, lines, err = run("init", "--settings", str(exported), "--json")
    assert code == 0, err
    answer = json.loads(lines[0])
    assert answer["seeded"] is False
    assert answer["imported"] == str(exported)
    code, lines, _ = run("settings", "export", "-", "--json")
    assert tomllib.loads(json.loads(lines[0])["toml"])["branch"]["hotline"] == "95519"
    # A file of another branch is refused, as by settings import, and changes nothing.
    exported.write_text(text.replace('id = "BR0001"', 'id = "BR0002"'), encoding="utf-8")
    error = refused(run("init", "--settings", str(exported), "--json"), "BR0002")
    assert error["error"] == "other_branch"
    code, lines, _ = run("settings", "export", "-", "--json")
    assert tomllib.loads(json.loads(lines[0])["toml"])["branch"]["hotline"] == "95519"


def test_exports_to_stdout_with_json_are_one_object(run: Any) -> None:
    code, plain, _ = run("settings", "export", "-")
    assert code == 0
    code, lines, _ = run("settings", "export", "-", "--json")
    assert code == 0
    assert len(lines) == 1
    exported = json.loads(lines[0])
    assert set(exported) == {"toml"}
    assert [line for line in exported["toml"].splitlines() if line.strip()] == plain
    code, lines, _ = run("claims", "catalogue", "export", "-", "--json")
    assert code == 0
    assert len(lines) == 1
    catalogue = json.loads(lines[0])
    assert set(catalogue) == {"toml", "version"}
    assert tomllib.loads(catalogue["toml"])["version"] == catalogue["version"]


def test_lists_with_json_are_one_object(run: Any) -> None:
    code, lines, _ = run("claims", "types", "--json")
    assert code == 0
    assert len(lines) == 1
    types = json.loads(lines[0])
    assert isinstance(types, dict)
    assert len(types["types"]) == 10
