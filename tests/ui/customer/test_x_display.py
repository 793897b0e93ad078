"""The customer screen on a real X display with no window manager (Xvfb): ``kiosk run
--role customer`` fills the screen and stops on Ctrl-C, and feedback is typed on the
virtual keyboard in Pinyin and English and stored as typed."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app import AppContext
from kiosk.demo import prepare_branch
from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parents[3]


def demo_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'branch.db'}"
    with AppContext.open(url) as app:
        prepare_branch(app)
    return url


@pytest.mark.slow
def test_kiosk_run_customer_fills_the_screen_and_stops_on_ctrl_c(
        xvfb: VirtualDisplay, tmp_path: Path) -> None:
    env = xvfb.env()
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    env["HOME"] = str(tmp_path)
    with subprocess.Popen([sys.executable, "-m", "ui.cli", "--db", demo_database(tmp_path),
                           "run", "--role", "customer"], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as kiosk:
        try:
            found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--name",
                                    "^Lobby Kiosk$"], env=env, capture_output=True, text=True,
                                   timeout=60, check=True)
            info = subprocess.run(["xwininfo", "-id", found.stdout.split()[0]], env=env,
                                  capture_output=True, text=True, timeout=30,
                                  check=True).stdout
            assert re.search(r"Width: 1920\b", info)
            assert re.search(r"Height: 1080\b", info)
            assert re.search(r"Absolute upper-left X:\s+0\b", info)
            kiosk.send_signal(signal.SIGINT)
            _, err = kiosk.communicate(timeout=30)
            assert kiosk.returncode == 0, err[-2000:]
            assert "Traceback" not in err
        finally:
            if kiosk.poll() is None:
                kiosk.kill()


@pytest.mark.slow
def test_feedback_is_typed_on_the_virtual_keyboard_in_pinyin_and_english(
        xvfb: VirtualDisplay, tmp_path: Path) -> None:
    env = xvfb.env()
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    env["HOME"] = str(tmp_path)  # the keyboard writes ~/.config/qtvirtualkeyboard
    done = subprocess.run([sys.executable, "-m", "tests.ui.customer.x_feedback",
                           demo_database(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in seen, (seen, done.stderr[-2000:])
    assert seen["field_above_keyboard"] is True
    assert seen["first_candidate"] == "你好"
    assert seen["after_pinyin"] == "你好"
    assert seen["after_english"].rstrip().lower() == "你好hi"
    assert [text.lower() for text in seen["stored"]] == [seen["after_english"].strip().lower()]
