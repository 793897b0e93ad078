"""The keypad commands of the CLI, against fake keypads on a pty."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from printers.kp1 import codec as kp1
from printers.kp1.link import Kp1Link, SerialLine
from printers.simulators.keypad_bus import FakeKeypadBus
from tests.keypad_support import keypads, no_thread_left, wait_until

__all__ = ["keypads", "no_thread_left"]


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, object]:
    status = main(list(argv))
    out = capsys.readouterr().out.strip().splitlines()
    return status, json.loads(out[-1]) if out else None


@pytest.fixture
def db(sqlite_url: str) -> str:
    return sqlite_url


def test_scan_lists_every_keypad(keypads: FakeKeypadBus,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    status, found = run_json(capsys, "keypad", "scan", "--port", keypads.path,
                             "--addresses", "1-4", "--json")
    assert status == 0
    # One JSON object, the list inside (issue 9 item 12).
    assert found == {"keypads": [{"address": a, "model": "KP1-4K", "serial": f"SN00000{a}",
                                  "firmware": 0x0102, "keys": 4} for a in (1, 2, 3)]}


@pytest.fixture
def presser(keypads: FakeKeypadBus) -> Iterator[list[int]]:
    """Presses the keys put in the list on keypad 2 once it waits for a rating."""
    keys: list[int] = []
    stop = threading.Event()

    def press_when_asked() -> None:
        while not stop.is_set():
            if keypads.state(2)["state"] == kp1.KeypadState.WAITING and keys:
                keypads.press(2, keys.pop(0))
            stop.wait(0.01)

    thread = threading.Thread(target=press_when_asked)
    thread.start()
    yield keys
    stop.set()
    thread.join()


def test_rate_waits_for_the_key(keypads: FakeKeypadBus, presser: list[int],
                                capsys: pytest.CaptureFixture[str]) -> None:
    presser.append(0x01)
    status, result = run_json(capsys, "keypad", "rate", "--port", keypads.path,
                              "--address", "2", "--timeout", "10", "--json")
    assert (status, result) == (0, {"address": 2, "key": 1, "rating": "very_satisfied"})


def test_rate_with_a_silent_keypad_is_a_device_error(keypads: FakeKeypadBus,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    status, result = run_json(capsys, "keypad", "rate", "--port", keypads.path,
                              "--address", "9", "--timeout", "1", "--json")
    assert status == 4
    assert isinstance(result, dict)
    assert result["port"] == keypads.path
    assert result["error"] == "keypad_silent"


@pytest.mark.parametrize("address", ["0", "32", "40"])
def test_rate_at_an_address_outside_1_to_31_is_a_usage_error(
        keypads: FakeKeypadBus, capsys: pytest.CaptureFixture[str], address: str) -> None:
    status, result = run_json(capsys, "keypad", "rate", "--port", keypads.path,
                              "--address", address, "--timeout", "1", "--json")
    assert status == 2
    assert isinstance(result, dict)
    assert "1-31" in result["message_en"]
    assert "1–31" in result["message_zh"]
    assert keypads.received == deque()  # nothing went onto the bus


def test_listen_prints_one_json_line_per_event(keypads: FakeKeypadBus,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    keypads.press(1, kp1.KEY_FINISH)
    assert main(["keypad", "listen", "--port", keypads.path, "--addresses", "1",
                 "--seconds", "0.5", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["event"] for line in lines] == ["online", "restarted", "key"]
    assert lines[2]["name"] == "finish"


def test_unplugged_port_exits_4_without_a_traceback(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["keypad", "listen", "--port", str(tmp_path / "ttyUSB7"),
                   "--addresses", "1", "--seconds", "0.1"])
    err = capsys.readouterr().err
    assert status == 4
    assert "Traceback" not in err
    assert "无法打开评价器串口" in err
    assert "dialout" in err


def test_devices_set_keypad_then_ratings_report(db: str, keypads: FakeKeypadBus,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    status, config = run_json(capsys, "--db", db, "devices", "set", "keypad", "--port",
                              keypads.path, "--map", "1=1,2=4", "--timeout", "15", "--json")
    assert status == 0
    assert config == {"port": keypads.path, "baud": 9600, "rating_timeout_s": 15,
                      "keypads": [{"address": 1, "counter": 1}, {"address": 2, "counter": 4}]}
    status, _ = run_json(capsys, "--db", db, "devices", "set", "keypad", "--port",
                         keypads.path, "--map", "1=1,2=1", "--json")
    assert status == 2  # two keypads on one counter
    status, report = run_json(capsys, "--db", db, "ratings", "--from", "2026-11-23", "--json")
    assert status == 0
    assert isinstance(report, dict)
    assert (report["given"], report["satisfaction_rate"]) == (0, None)
    status, _ = run_json(capsys, "--db", db, "rate", "A001", "satisfied", "--json")
    assert status == 2  # no such ticket today


@pytest.mark.parametrize("script", ["missing.txt", "latin1.txt"])
def test_simulate_keypad_with_an_unreadable_script_is_a_usage_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], no_thread_left: None,
        script: str) -> None:
    (tmp_path / "latin1.txt").write_bytes(b"2 key 1 # caf\xe9\n")
    status = main(["simulate", "keypad", "--addresses", "2", "--script",
                   str(tmp_path / script), "--seconds", "0.1", "--json"])
    captured = capsys.readouterr()
    assert status == 2
    (line,) = captured.out.splitlines()  # the error only: no pty was opened
    error = json.loads(line)
    assert script in error["message_en"]
    assert "脚本" in error["message_zh"]
    assert "Traceback" not in captured.err


def test_simulate_keypad_prints_its_pty_and_runs_a_script(tmp_path: Path,
                                                         no_thread_left: None) -> None:
    script = tmp_path / "keys.txt"
    script.write_text("# a customer, then staff\n2 key satisfied\n2 key call_next\n3 voice on\n",
                      encoding="utf-8")
    with subprocess.Popen(
            [sys.executable, "-m", "kiosk", "simulate", "keypad", "--addresses", "2,3",
             "--script", str(script), "--seconds", "20"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True) as sim:
        try:
            assert sim.stdout is not None
            line = SerialLine(sim.stdout.readline().strip())
            line.open()
            link = Kp1Link(line)
            try:
                wait_until(lambda: link.poll(2).pending == 2)
                assert link.poll(3).voice_fault
            finally:
                line.close()
        finally:
            sim.terminate()
