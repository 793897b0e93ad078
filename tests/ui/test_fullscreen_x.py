"""Full screen on a real X server with no window manager (Xvfb): the window must
cover the whole chosen screen (``showFullScreen()`` alone leaves it at its natural
size there) and no keyboard shortcut may close it. Checked with the X server's own
view of the window (xwininfo), not Qt's."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parents[2]


def x_geometry(window: int, env: dict[str, str]) -> dict[str, object]:
    out = subprocess.run(["xwininfo", "-id", str(window)], env=env, check=True,
                         capture_output=True, text=True, timeout=30).stdout

    def field(label: str) -> str:
        match = re.search(rf"{label}:\s+(\S+)", out)
        assert match, f"{label} missing from xwininfo output:\n{out}"
        return match.group(1)

    return {"x": int(field("Absolute upper-left X")), "y": int(field("Absolute upper-left Y")),
            "width": int(field("Width")), "height": int(field("Height")),
            "map_state": field("Map State")}


@contextmanager
def kiosk_window(display: VirtualDisplay, tmp_path: Path,
                 *args: str) -> Iterator[tuple[int, dict[str, str], subprocess.Popen[str]]]:
    env = display.env()
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    with subprocess.Popen([sys.executable, "-m", "tests.ui.x_fullscreen", *args],
                          cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            assert process.stdin is not None
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else "no output"
            yield json.loads(line)["window"], env, process
            process.stdin.close()
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()


@pytest.mark.slow
def test_the_window_covers_the_whole_screen_without_a_window_manager(
        xvfb: VirtualDisplay, tmp_path: Path) -> None:
    with kiosk_window(xvfb, tmp_path) as (window, env, process):
        assert x_geometry(window, env) == {"x": 0, "y": 0, "width": 1920, "height": 1080,
                                           "map_state": "IsViewable"}
        subprocess.run(["xdotool", "key", "--window", str(window),
                        "Escape", "alt+F4", "ctrl+q", "ctrl+w", "F12"], env=env, check=True,
                       timeout=30)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "F12"  # every key before it was handled
        assert process.poll() is None
        assert x_geometry(window, env) == {"x": 0, "y": 0, "width": 1920, "height": 1080,
                                           "map_state": "IsViewable"}


@pytest.mark.slow
def test_screen_n_puts_the_window_on_the_second_monitor(tmp_path: Path) -> None:
    with VirtualDisplay(1280, 800, screens=2) as display, \
            kiosk_window(display, tmp_path, "--screen", "1") as (window, env, _):
        assert x_geometry(window, env) == {"x": 1280, "y": 0, "width": 1280, "height": 800,
                                           "map_state": "IsViewable"}
