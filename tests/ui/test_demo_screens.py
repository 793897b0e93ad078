"""``bash scripts/demo.sh`` end to end on this machine, which has no display: it says
so, runs the screens on a virtual screen, writes screenshots of every screen to the
folder it names, and leaves nothing running when it ends (--steps, Ctrl-C, a screen
closed)."""

from __future__ import annotations

import os
import re
import signal
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parents[2]


def demo_env(tmp_path: Path, display: VirtualDisplay | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    if display is not None:
        env = display.env(env)
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_STATE_HOME=str(tmp_path / "state"),
               HOME=str(tmp_path))
    return env


def png_size(path: Path) -> tuple[int, int]:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def started_by(tmp_path: Path) -> list[str]:
    """Processes still running whose command line names this test's folder."""
    found = subprocess.run(["pgrep", "-af", str(tmp_path)], capture_output=True, text=True)
    return [line for line in found.stdout.splitlines() if "pgrep" not in line]


def display_gone(output: str, tmp_path: Path) -> bool:
    """The demo's virtual screen ended and took its socket with it. Tests run in
    parallel and Xvfb takes the lowest free number, so the number may already be
    another server's: then the live process its lock file names is not one the demo
    started (the demo's children carry this test's folder in their environment)."""
    match = re.search(r"virtual screen :(\d+)", output)
    assert match, output
    if not Path(f"/tmp/.X11-unix/X{match.group(1)}").exists():
        return True
    try:
        pid = int(Path(f"/tmp/.X{match.group(1)}-lock").read_text().strip())
        environ = Path(f"/proc/{pid}/environ").read_bytes()
    except (OSError, ValueError):  # no lock, or its server is dead: a socket left behind
        return False
    return f"{tmp_path}/".encode() not in environ


@contextmanager
def demo(tmp_path: Path, *args: str, display: VirtualDisplay | None = None,
         sigint_ignored: bool = False) -> Iterator[subprocess.Popen[str]]:
    """The demo as a process; ``sigint_ignored`` starts it the way a shell without job
    control starts a background command (``bash -c 'scripts/demo.sh &'``)."""
    def ignore_sigint() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    with subprocess.Popen([sys.executable, "-m", "ui.demo", *args], cwd=ROOT,
                          env=demo_env(tmp_path, display), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True,
                          preexec_fn=ignore_sigint if sigint_ignored else None) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                process.kill()


def read_until(process: subprocess.Popen[str], words: str) -> str:
    assert process.stdout is not None
    seen = ""
    for line in process.stdout:
        seen += line
        if words in line:
            return seen
    raise AssertionError(f"the demo ended before {words!r}:\n{seen}")


# A bound on a hang, not a measure: the demo's own waits when it stops (simulated
# customers 30 s, the screens together 15 s then killed, the keypads' last presses
# 10 s, each device and the virtual screen a few seconds) add up to less.
STOP_BOUND_S = 120


def stopped_output(process: subprocess.Popen[str], seen: str, tmp_path: Path) -> str:
    """What the demo printed until it ended; a demo still running after
    :data:`STOP_BOUND_S` fails the test with its output and what it left running."""
    try:
        rest, _ = process.communicate(timeout=STOP_BOUND_S)
    except subprocess.TimeoutExpired:
        left = started_by(tmp_path)
        process.kill()
        rest, _ = process.communicate()
        pytest.fail(f"the demo did not stop within {STOP_BOUND_S} s; still running: "
                    f"{left}\n{seen}{rest}")
    return str(rest)


@pytest.mark.slow
def test_the_demo_script_on_a_machine_with_no_display(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    done = subprocess.run(["bash", "scripts/demo.sh", "--steps", "3", "--pace", "0.2",
                           "--out", str(out)], cwd=ROOT, env=demo_env(tmp_path),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "No display here" in done.stdout
    assert f"are in {out}" in done.stdout
    assert done.stdout.count("取号 ") == 3  # three simulated customers
    assert png_size(out / "live-customer.png") == (1920, 1080)
    tour = sorted(p.name for p in out.glob("ui-customer-*.png"))
    assert "ui-customer-welcome-zh-normal-1920x1080.png" in tour
    assert "ui-customer-ticket-paper-out-en-normal-1920x1080.png" in tour
    assert len(tour) >= 40
    assert (tmp_path / "data" / "lobby-kiosk" / "demo.db").exists()
    assert started_by(tmp_path) == []
    assert display_gone(done.stdout, tmp_path)


@pytest.mark.slow
def test_ctrl_c_stops_everything_the_demo_started(tmp_path: Path) -> None:
    # Started with SIGINT ignored, as from a script's background job: Python then keeps
    # ignoring Ctrl-C unless the demo takes it itself (a run of the suite started that
    # way once waited 120 s here for a demo that never saw the signal).
    with demo(tmp_path, "--customers", "--pace", "0.2", "--out", str(tmp_path / "shots"),
              sigint_ignored=True) as process:
        seen = read_until(process, "Demo running")
        assert len(started_by(tmp_path)) >= 2  # the demo and its customer screen
        process.send_signal(signal.SIGINT)
        rest = stopped_output(process, seen, tmp_path)
    assert process.returncode == 0, seen + rest
    assert started_by(tmp_path) == []
    assert display_gone(seen, tmp_path)


@pytest.mark.slow
def test_a_screen_that_closes_on_a_desktop_stops_the_demo(
        tmp_path: Path, xvfb: VirtualDisplay) -> None:
    # With a display the screens open as windows; one ending ends the demo.
    with demo(tmp_path, "--customers", "--pace", "0.2", display=xvfb) as process:
        seen = read_until(process, "Demo running")
        assert "No display here" not in seen
        screen = [line for line in started_by(tmp_path) if "--role customer" in line]
        assert len(screen) == 1
        assert "--windowed" in screen[0]
        pid = screen[0].split()[0]
        # The customer's own window is up (and its program handles SIGTERM); by its
        # process, as the other roles' windows have the same title and may come first.
        subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", pid],
                       env=xvfb.env(), capture_output=True, timeout=90, check=True)
        os.kill(int(pid), signal.SIGTERM)
        rest = stopped_output(process, seen, tmp_path)
    assert "The customer screen closed (exit 0)" in rest
    assert process.returncode == 0, seen + rest
    assert started_by(tmp_path) == []
