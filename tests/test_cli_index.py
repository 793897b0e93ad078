"""The command-line index (``kiosk.cli.index``): it says what every command module
really registers, and a command imports only the modules of its own command."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import Commands
from kiosk.cli.index import COMMAND_MODULES, COMMANDS

ROOT = Path(__file__).resolve().parent.parent

LOADED = """
import sys
from kiosk.cli import build_parser
parser = build_parser(sys.argv[1:2] if sys.argv[1] != "-" else ())
try:
    parser.parse_args(sys.argv[2:])
except SystemExit:
    pass
print(*sorted(name for name in sys.modules if name.startswith("kiosk.cli")))
"""


def registered() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """What each command module adds at the top level when it registers alone, merged
    in registration order: name -> (kind, first help given, modules adding to it)."""
    merged: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for module in COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        commands = Commands(parser.add_subparsers(), argparse.ArgumentParser(add_help=False))
        importlib.import_module(module).register(commands)
        for name, (kind, help_text) in commands.created.items():
            first_kind, first_help, modules = merged.get(name, (kind, "", ()))
            merged[name] = (first_kind, first_help or help_text,
                            (*modules, module.removeprefix("kiosk.cli.")))
    return merged


def test_the_index_is_what_the_command_modules_register() -> None:
    index = {name: (entry.kind, entry.help, entry.modules) for name, entry in COMMANDS.items()}
    assert list(index.items()) == list(registered().items()), (
        "a command module changed what it registers: update kiosk/cli/index.py")


def test_every_command_of_the_index_is_listed_with_its_help(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.cli import build_parser

    monkeypatch.setenv("COLUMNS", "400")  # one line per command
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    listed = [line.split(None, 1) for line in capsys.readouterr().out.splitlines()
              if line.startswith("    ")]
    assert [(words[0], words[1] if len(words) > 1 else "") for words in listed] == [
        (name, entry.help) for name, entry in COMMANDS.items()]


def loaded(*args: str, extra: str = "-") -> set[str]:
    done = subprocess.run([sys.executable, "-c", LOADED, extra, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=True)
    return set(done.stdout.splitlines()[-1].split())  # after any help printed


@pytest.mark.parametrize(("words", "modules"), [
    (["queue"], {"core"}),
    (["--db", "sqlite:///x.db", "counter", "open", "1"], {"core"}),
    (["devices", "list"], {"printing", "keypads", "stations", "setup"}),
    (["complaint", "--help"], {"complaints", "complaint_register"}),
    (["--help"], set()),
])
def test_a_command_imports_only_the_modules_of_its_command(words: list[str],
                                                            modules: set[str]) -> None:
    assert loaded(*words) == {"kiosk.cli", "kiosk.cli.index"} | {
        f"kiosk.cli.{name}" for name in modules}


def test_an_extra_modules_command_imports_no_core_command_module() -> None:
    assert loaded("hello", "K1", extra="tests.cli_extra_commands") == {
        "kiosk.cli", "kiosk.cli.index"}


def test_one_parser_parses_several_command_lines() -> None:
    from kiosk.cli import build_parser

    parser = build_parser()  # the second line finds the modules registered already
    assert parser.parse_args(["ticket", "take", "claims"]).service == "claims"
    assert parser.parse_args(["ticket", "take", "claims", "--print"]).print is True
