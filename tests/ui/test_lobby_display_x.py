"""``kiosk run --role display --screen 1`` on a real X server with no window manager:
the lobby TV as the PC's second monitor, covered whole, and the role stops cleanly
when asked (SIGTERM, as the session ends)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.db import make_engine
from kiosk.migrate import ensure_ready
from tests.ui.test_fullscreen_x import x_geometry
from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parents[2]
START_S = 60.0


def visible_windows(env: dict[str, str]) -> list[int]:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "Lobby Kiosk"],
                           env=env, capture_output=True, text=True, timeout=30)
    return [int(w) for w in found.stdout.split()]


@pytest.mark.slow
def test_the_display_role_fills_the_second_monitor_and_stops_on_sigterm(
        sqlite_url: str, tmp_path: Path) -> None:
    ensure_ready(make_engine(sqlite_url))
    with VirtualDisplay(1920, 1080, screens=2) as display:
        env = display.env()
        env.update(XDG_STATE_HOME=str(tmp_path / "state"),
                   XDG_RUNTIME_DIR=str(tmp_path), PULSE_SERVER=f"unix:{tmp_path / 'none'}")
        env.pop("KIOSK_NOW", None)
        with subprocess.Popen([sys.executable, "-m", "ui.cli", "--db", sqlite_url, "run",
                               "--role", "display", "--screen", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True) as process:
            try:
                deadline = time.monotonic() + START_S
                windows: list[int] = []
                while not windows and process.poll() is None and time.monotonic() < deadline:
                    windows = visible_windows(env)
                    if not windows:
                        time.sleep(0.2)  # polling the X server: no event to wait on
                assert windows, process.communicate(timeout=30)[0] if process.poll() \
                    is not None else "no window within a minute"
                assert x_geometry(windows[0], env) == {
                    "x": 1920, "y": 0, "width": 1920, "height": 1080,
                    "map_state": "IsViewable"}
                os.kill(process.pid, signal.SIGTERM)
                assert process.wait(timeout=60) == 0
                output = process.stdout.read() if process.stdout else ""
                assert "Traceback" not in output, output
            finally:
                if process.poll() is None:
                    process.kill()
