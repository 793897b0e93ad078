"""``bash scripts/demo.sh``: the real screens on a fresh demo database, with a simulated
receipt printer and rating keypads, and optionally simulated customers.

Every role registered in :data:`ui.cli.ROLES` that is built and takes part in the demo
(``Role.demo``) runs as its own ``kiosk run --role NAME`` process, as on a branch PC:
the customer touchscreen now, the lobby display and a counter terminal as they land.
On a desktop each opens in a window; on a machine with no display the demo says so,
starts a virtual screen (Xvfb, one monitor per role), runs the same screens full screen
there and writes screenshots of every screen to a folder it names: the live monitors,
and the screenshot tours of those roles.

Ctrl-C, closing a window or the end of ``--steps`` stops everything it started: the
screens, the simulated customers, the fake printer and keypads, the virtual screen.

    python -m ui.demo [--steps N] [--customers] [--pace S] [--out DIR] [--db URL]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from types import FrameType

from kiosk.app import AppContext
from kiosk.db import default_url
from kiosk.demo import prepare_branch, simulate_step, simulated_devices
from ui.cli import ROLES
from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parent.parent
STATION = "DEMO-K1"
WINDOW_SIZE = "1280x800"
SCREEN = (1920, 1080)
WINDOW_TITLE = "^Lobby Kiosk$"
START_TIMEOUT_S = 90.0
STOP_S = 15.0  # how long the screens together may take to close before they are killed

Say = Callable[[str], None]


def demo_roles() -> list[str]:
    """The roles the demo starts: built and meant for a branch (not the gallery)."""
    return [name for name, role in ROLES.items() if role.target and role.demo]


def fresh_database(url: str | None) -> str:
    """``url``, or the demo's own SQLite file, emptied (a fresh demo every time)."""
    if url:
        return url
    demo = default_url().replace("kiosk.db", "demo.db")
    path = Path(demo.removeprefix("sqlite:///"))
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return demo


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "lobby-kiosk"


class Stop(Exception):
    """SIGTERM: leave the way Ctrl-C does."""


class Screens:
    """The role processes: started, watched, stopped (SIGTERM, then kill)."""

    def __init__(self, url: str, roles: Sequence[str], display: VirtualDisplay | None,
                 logs: Path) -> None:
        self.url, self.roles, self.display, self.logs = url, list(roles), display, logs
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def start(self) -> None:
        self.logs.mkdir(parents=True, exist_ok=True)
        env = self.display.env() if self.display is not None else dict(os.environ)
        env["KIOSK_STATION"] = STATION
        for index, name in enumerate(self.roles):
            place = ["--screen", str(index)] if self.display is not None else [
                "--windowed", "--size", WINDOW_SIZE]
            command = [sys.executable, "-m", "ui.cli", "--db", self.url, "run", "--role", name,
                       *ROLES[name].demo_args, *place]
            with (self.logs / f"demo-{name}.log").open("wb") as log:
                self.processes[name] = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT)

    def ended(self) -> tuple[str, int] | None:
        """The first screen that stopped (a window closed), with its exit code."""
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None:
                return name, code
        return None

    def stop(self, say: Say) -> None:
        """SIGTERM to every screen at once, then one shared wait of :data:`STOP_S`
        (not one per screen: five screens each closing slowly on a loaded machine
        would add up to minutes); a screen still running then is killed, and said."""
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()  # kiosk run quits on SIGTERM like on Ctrl-C
        deadline = time.monotonic() + STOP_S
        for name, process in self.processes.items():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"  the {name} screen did not close within {STOP_S:.0f} s: killed")
                process.kill()
                process.wait(timeout=STOP_S)

    def wait_for_windows(self) -> bool:
        """On the virtual screen: True once every role's window is showing."""
        assert self.display is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.ended() is not None:
                return False
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name",
                                    WINDOW_TITLE], env=self.display.env(),
                                   capture_output=True, text=True, timeout=30)
            if len(found.stdout.split()) >= len(self.roles):
                return True
            time.sleep(0.5)
        return False


class Customers(threading.Thread):
    """Simulated customers: take tickets, counters call, keypads rate; ``steps`` of them
    (0: until stopped). They do not print: the fake printer is the screens' own."""

    def __init__(self, app: AppContext, counters: list[int], keypads: object, steps: int,
                 pace_s: float, say: Say) -> None:
        super().__init__(name="demo-customers", daemon=False)
        self.app, self.counters, self.keypads = app, counters, keypads
        self.steps, self.pace_s, self.say = steps, pace_s, say
        self.stopping = threading.Event()
        self.done = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        rng = random.Random(7)
        try:
            while not self.stopping.is_set() and (self.steps == 0 or self.done < self.steps):
                simulate_step(self.app, self.counters, self.keypads, rng,  # type: ignore[arg-type]
                              self.say)
                self.done += 1
                self.stopping.wait(self.pace_s)
        except BaseException as exc:  # noqa: BLE001 - reported by the demo, which stops
            self.error = exc

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=30)


def write_screenshots(display: VirtualDisplay, roles: Sequence[str], out: Path, say: Say) -> None:
    """The live monitors of the virtual screen, then every role's screenshot tour."""
    out.mkdir(parents=True, exist_ok=True)
    grab = subprocess.run([sys.executable, "-m", "ui.demo", "grab", str(out), *roles],
                          cwd=ROOT, env=display.env(), capture_output=True, text=True,
                          timeout=120)
    if grab.returncode != 0:
        say(f"  live screenshots failed: {grab.stderr.strip()[-500:]}")
    from ui.screenshots import TOURS

    tours = [name for name in roles if name in TOURS]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-m", "ui.demo", "tours", str(out), *tours],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if run.returncode != 0:
        say(f"  screenshot tours failed: {run.stderr.strip()[-500:]}")
    shots = sorted(out.glob("*.png"))
    say(f"Screenshots of every screen ({len(shots)} files) are in {out}")


def run_demo(args: argparse.Namespace, say: Say) -> int:
    roles = demo_roles()
    url = fresh_database(args.db)
    app = AppContext.open(url, station=STATION)
    counters = prepare_branch(app)
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    steps = args.steps or 0
    failed = 0
    with contextlib.ExitStack() as stack:
        stack.callback(app.close)
        display = None
        if headless:
            say("No display here: the demo runs on a virtual screen (Xvfb), one monitor per "
                "screen, and writes screenshots of every screen to a folder.")
            display = stack.enter_context(VirtualDisplay(*SCREEN, screens=max(1, len(roles))))
            say(f"  virtual screen {display.name}: {len(roles)} x {SCREEN[0]}x{SCREEN[1]}")
        printer, keypads = stack.enter_context(simulated_devices(app, counters))
        say(f"  simulated printer on {printer.path}, keypads 1-{len(counters)} on one KP1 bus")
        screens = Screens(url, roles, display, state_dir())
        stack.callback(screens.stop, say)
        screens.start()
        say(f"  screens: {', '.join(roles)} (logs in {state_dir()}/demo-<role>.log)")
        customers = None
        if args.customers or steps:
            customers = Customers(app, counters, keypads, steps, args.pace, say)
            stack.callback(customers.stop)
            customers.start()
        if display is not None:
            if not screens.wait_for_windows():
                say("The screens did not open on the virtual screen; see their logs.")
                return 1
            out = args.out or state_dir() / f"demo-screenshots-{datetime.now():%Y%m%d-%H%M%S}"
            write_screenshots(display, roles, Path(out), say)
        say("Demo running: Ctrl-C or close a window to stop." if not steps else
            f"Demo running until {steps} simulated customers have come.")
        while True:
            ended = screens.ended()
            if ended is not None:
                name, code = ended
                say(f"The {name} screen closed (exit {code}): stopping the demo.")
                failed = 0 if code == 0 else 1
                break
            if customers is not None and not customers.is_alive():
                if customers.error is not None:
                    say(f"Simulated customers stopped: {customers.error!r}")
                    failed = 1
                break
            time.sleep(0.2)
    say("Demo stopped: screens, simulated customers and devices"
        + (", virtual screen" if headless else "") + " are closed.")
    return failed


# ----- helpers run in a process of their own ------------------------------------------


def grab_screens(out: Path, roles: Sequence[str]) -> int:
    """Save each monitor of the X display as ``live-<role>.png`` (xcb platform)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["lobby-kiosk-grab"])
    screens = app.screens()
    for index, name in enumerate(roles):
        if index >= len(screens):
            break
        if not screens[index].grabWindow(0).save(str(out / f"live-{name}.png")):
            print(f"could not save live-{name}.png", file=sys.stderr)
            return 1
    return 0


def render_tours(out: Path, tours: Sequence[str]) -> int:
    """The screenshot tours in Chinese and English at 1920x1080 (offscreen)."""
    from ui.app import create_app
    from ui.screenshots import VARIANTS, run_tours

    create_app(keyboard=False)
    variants = [v for v in VARIANTS if (v.width, v.height) == SCREEN and not v.large]
    result = run_tours(list(tours), out, variants)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 0


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Ctrl-C (SIGINT) and SIGTERM stop the demo. Ctrl-C is taken even if the demo was
    started with SIGINT ignored, as a shell without job control starts a background
    command (``bash -c 'scripts/demo.sh &'``), and Python then leaves it ignored."""
    def raise_stop(signum: int, frame: FrameType | None) -> None:
        raise Stop

    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, raise_stop),
                signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == ["grab"]:
        return grab_screens(Path(words[1]), words[2:])
    if words[:1] == ["tours"]:
        return render_tours(Path(words[1]), words[2:])
    parser = argparse.ArgumentParser(prog="scripts/demo.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=0, metavar="N",
                        help="stop after N simulated customers (implies --customers)")
    parser.add_argument("--customers", action="store_true",
                        help="simulated customers arrive, are called and rate the service")
    parser.add_argument("--pace", type=float, default=2.0, metavar="S",
                        help="seconds between simulated customers (default 2)")
    parser.add_argument("--out", type=Path, help="folder for the screenshots on a machine "
                                                 "with no display (default: a new one)")
    parser.add_argument("--db", metavar="URL", help="database (default: a fresh demo.db)")
    args = parser.parse_args(words)
    if args.steps < 0 or args.pace < 0:
        parser.error("--steps and --pace must not be negative")
    if not demo_roles():
        print("no screen is built yet: nothing to show", file=sys.stderr)
        return 2
    if shutil.which("Xvfb") is None and not os.environ.get("DISPLAY"):
        print("No display and no Xvfb: run scripts/setup.sh first", file=sys.stderr)
        return 2

    def say(line: str) -> None:
        print(line, flush=True)

    try:
        with stop_on_signals():
            return run_demo(args, say)
    except (KeyboardInterrupt, Stop):
        say("Demo stopped.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
