"""``kiosk run``: registered from the ui layer, roles resolved lazily, unknown and
unbuilt roles refused in both languages (exit 2), no Qt loaded for other commands,
and a real run filling a virtual screen until Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from ui import cli
from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_role_is_a_bilingual_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "--role", "teller"]) == 2
    err = capsys.readouterr().err
    assert "未知角色 'teller'" in err
    assert "unknown role 'teller' (available: " in err
    assert "gallery" in err.split("available: ")[1]  # the built roles, as they land


def test_a_role_not_built_yet_is_a_usage_error_naming_it(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cli.ROLES, "customer", cli.Role(None, "customer touchscreen (issue 10)"))
    assert cli.main(["run", "--role", "customer", "--json"]) == 2
    out, err = capsys.readouterr()
    assert "尚未实现" in err
    assert "role 'customer' is not built yet" in err
    assert '"error": "usage"' in out


def test_a_bad_window_size_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "--role", "gallery", "--windowed", "--size", "big"]) == 2
    assert "WIDTHxHEIGHT" in capsys.readouterr().err


def test_the_core_commands_still_work_and_load_no_qt() -> None:
    code = ("import sys\nimport ui.cli\nimport kiosk.cli\n"
            "parser = kiosk.cli.build_parser(['ui.cli'])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip() == "[]"


def test_role_options_reach_the_run_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(cli.ROLES, "counter", cli.Role(
        None, "counter terminal", options=(cli.Option(("--counter",), {"type": int}),)))
    import kiosk.cli

    parser = kiosk.cli.build_parser(["ui.cli"])
    args = parser.parse_args(["run", "--role", "counter", "--counter", "4", "--screen", "1"])
    assert (args.role, args.counter, args.screen) == ("counter", 4, 1)


@pytest.mark.slow
def test_kiosk_run_fills_the_screen_and_stops_on_ctrl_c(xvfb: VirtualDisplay,
                                                         tmp_path: Path) -> None:
    env = xvfb.env()
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    env["HOME"] = str(tmp_path)
    with subprocess.Popen([sys.executable, "-m", "ui.cli", "--db",
                           f"sqlite:///{tmp_path / 'k.db'}", "run", "--role", "gallery"],
                          cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True) as kiosk:
        try:
            found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name",
                                    "^Lobby Kiosk$"], env=env, capture_output=True, text=True,
                                   timeout=60, check=True)
            window = found.stdout.split()[0]
            info = subprocess.run(["xwininfo", "-id", window], env=env, capture_output=True,
                                  text=True, timeout=30, check=True).stdout
            assert re.search(r"Width: 1920\b", info)
            assert re.search(r"Height: 1080\b", info)
            kiosk.send_signal(signal.SIGINT)
            assert kiosk.wait(timeout=30) == 0
        finally:
            if kiosk.poll() is None:
                kiosk.kill()
