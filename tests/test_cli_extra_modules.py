"""A higher layer (the screens) adds commands to ``kiosk`` without the core importing it."""

from __future__ import annotations

import json

import pytest

from kiosk.cli import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, build_parser, main

EXTRA = ["tests.cli_extra_commands"]


def test_an_extra_module_adds_its_command_beside_the_core_ones() -> None:
    parser = build_parser(EXTRA)
    assert parser.parse_args(["hello", "K1"]).name == "K1"
    assert parser.parse_args(["queue"]).command == "queue"  # the core's commands stay


def test_main_runs_an_extra_command_with_the_usual_json_contract(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hello", "K1", "--json"], extra_modules=EXTRA) == EXIT_OK
    assert json.loads(capsys.readouterr().out) == {"hello": "K1"}


def test_an_extra_command_gets_the_same_exit_codes_and_bilingual_errors(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["refuse", "--json"], extra_modules=EXTRA) == EXIT_REFUSED
    out, err = capsys.readouterr()
    assert json.loads(out)["error"] == "test_refused"
    assert "测试拒绝 / refused by the test module" in err


def test_without_the_extra_module_its_command_is_a_usage_error(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hello", "K1"]) == EXIT_USAGE
    assert "hello" in capsys.readouterr().err
