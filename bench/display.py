"""Lobby display benchmarks (issue 13): call -> visible across processes on SQLite and
PostgreSQL, the idle CPU of ``kiosk run --role display``, call -> first sound.

    .venv/bin/python bench/display.py [--calls 100] [--idle-s 60] [--sounds 15]
                                      [--skip-postgres]

1. **Call -> visible.** The display (``LobbyDisplay``, offscreen) runs in this process
   on the branch database; a caller process takes and calls tickets (one unit of work
   each, as a counter terminal does, 0.3-1.0 s apart) and prints each call's commit
   time. Visible = the large number label painted with that number (an event filter
   sees its Paint event). Target p99 <= 1 s on both backends.
2. **Idle CPU.** ``kiosk run --role display --windowed`` as its own process on a
   virtual X display (Xvfb, the xcb platform as on the TV), with the speaker process a
   sound server gives it; CPU time of both over ``--idle-s`` with no calls, from
   /proc. With no notice, and with a notice scrolling at 1920x1080 and 3840x2160.
   Target <= 5 % of one core.
3. **Call -> first sound.** The display in this process with a private PulseAudio
   null sink; ``parec`` streams what it plays into this process, each chunk stamped on
   arrival (the sample clock is fitted to those stamps); a caller process calls one
   number at a time; first sound = the first 10 ms above silence after the commit
   (the chime). Target <= 1.5 s.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from bench.feed import percentile, summary  # noqa: E402
from kiosk.app import AppContext  # noqa: E402
from kiosk.app.counters import open_counter  # noqa: E402
from kiosk.app.display import set_display_notice  # noqa: E402
from kiosk.app.staff import console  # noqa: E402
from kiosk.branch.info import load_branch  # noqa: E402
from kiosk.branch.settings import apply_config  # noqa: E402
from kiosk.branch.values import set_setting  # noqa: E402
from kiosk.db import unit_of_work  # noqa: E402
from tests.conftest import open_all_hours  # noqa: E402
from tests.pg import PostgresServer  # noqa: E402
from tests.voice_support import VOICED_RMS, PulseServer  # noqa: E402
from ui.display import VirtualDisplay  # noqa: E402
from ui.lobby.window import LobbyDisplay  # noqa: E402
from ui.voice.announcer import Announcer  # noqa: E402

CALLER = """
import json, random, sys, time
from kiosk.app import AppContext
from kiosk.app.counters import call_next
from kiosk.app.staff import console
from kiosk.app.tickets import take_ticket
app = AppContext.open(sys.argv[1])
staff = console(app)
rng = random.Random(1)
for _ in range(int(sys.argv[2])):
    take_ticket(app, "enquiry")
    view = call_next(app, staff, 1)
    print(json.dumps({"number": view.ticket.number, "t": time.time()}), flush=True)
    time.sleep(rng.uniform(float(sys.argv[3]), float(sys.argv[4])))
"""


def prepare(url: str, *, notice: str = "") -> None:
    """Open round the clock, counter 1 open, calls said once in Mandarin (the chime
    first: the first sound), the notice."""
    with AppContext.open(url) as app:
        with unit_of_work(app.engine, write=True) as session:
            apply_config(session, open_all_hours())
        with unit_of_work(app.engine, write=True) as session:
            branch = load_branch(session).id
            set_setting(session, branch, "voice_languages", ["zh"])
            set_setting(session, branch, "voice_repeat", 1)
        open_counter(app, console(app), 1, "S1")
        set_display_notice(app, notice)


class Painted(QObject):
    """Records when the large number label first paints each number."""

    def __init__(self, window: LobbyDisplay) -> None:
        super().__init__()
        self.label = window.board.hero.number
        self.seen: dict[str, float] = {}
        self.label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.seen.setdefault(self.label.text(), time.time())
        return False


def caller(url: str, calls: int, low: float, high: float) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", CALLER, url, str(calls), str(low),
                             str(high)], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def pump_until(app: QApplication, done: object, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step did not finish")
        app.processEvents()
        time.sleep(0.002)


def start_display(app: QApplication, url: str) -> LobbyDisplay:
    """The display as ``kiosk run --role display`` makes it, its announcer speaking with
    the board's voice settings (as the display's own does), with a lock file of its own
    (tests running on this machine use the default one)."""
    shown: list[LobbyDisplay] = []
    announcer = Announcer(settings=lambda: shown[0].voice,
                          lock_path=Path(tempfile.mkdtemp()) / "audio.lock")
    window = LobbyDisplay(AppContext.open(url, station="bench-tv"), announcer=announcer)
    shown.append(window)
    window.resize(1920, 1080)
    window.show()
    pump_until(app, lambda: window.feed is not None and window.feed.running, 60)
    return window


def close_display(app: QApplication, window: LobbyDisplay) -> None:
    window.allow_close = True
    window.close()
    pump_until(app, lambda: True, 1)
    window.app.close()


def call_to_visible(app: QApplication, url: str, calls: int) -> list[float]:
    prepare(url)
    os.environ["PULSE_SERVER"] = "unix:/nonexistent"  # silent: only the board counts
    window = start_display(app, url)
    painted = Painted(window)
    committed: dict[str, float] = {}
    proc = caller(url, calls, 0.3, 1.0)
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: [committed.__setitem__(
        (m := json.loads(line))["number"], m["t"]) for line in proc.stdout])
    reader.start()
    try:
        pump_until(app, lambda: len(committed) == calls and all(
            n in painted.seen for n in committed), 60 + calls * 2.0)
    finally:
        proc.wait(60)
        reader.join()
        close_display(app, window)
    return [(painted.seen[n] - t) * 1000 for n, t in committed.items()]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def idle_cpu(url: str, size: tuple[int, int], notice: str, seconds: float,
             pulse: PulseServer) -> float:
    prepare(url, notice=notice)
    with VirtualDisplay(*size) as display:
        env = {**display.env(), **pulse.env(), "XDG_STATE_HOME": tempfile.mkdtemp()}
        proc = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "--db", url, "run", "--role", "display",
             "--windowed", "--size", f"{size[0]}x{size[1]}"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(15)  # start-up, first board, speaker process up: not the figure
            pids = [proc.pid, *children(proc.pid)]
            before = sum(cpu_seconds(p) for p in pids)
            time.sleep(seconds)
            used = sum(cpu_seconds(p) for p in pids) - before
        finally:
            proc.terminate()
            proc.wait(30)
    return used / seconds * 100


class Recorder:
    """``parec`` raw samples into this process; sample n's wall time fitted from the
    arrival stamps of the chunks."""

    RATE = 22050

    def __init__(self, pulse: PulseServer) -> None:
        self.samples = array("h")
        self.stamps: list[tuple[int, float]] = []
        self.proc = subprocess.Popen(
            ["parec", "-d", "speakers.monitor", "--raw", f"--rate={self.RATE}",
             "--channels=1", "--format=s16le", "--latency-msec=10"],
            env={**os.environ, **pulse.env()}, stdout=subprocess.PIPE)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while chunk := self.proc.stdout.read1(4096):  # type: ignore[attr-defined]
            now = time.time()
            self.samples.frombytes(chunk[:len(chunk) // 2 * 2])
            self.stamps.append((len(self.samples), now))

    def _clock(self) -> tuple[list[int], list[float]]:
        """Per chunk: samples so far, and the lowest ``arrival - samples / rate`` of it
        and every later chunk (a chunk arrives late, never early: the lowest offset is
        the best estimate of when the stream's sample 0 was played)."""
        ends = [n for n, _ in self.stamps]
        offsets = [t - n / self.RATE for n, t in self.stamps]
        for i in range(len(offsets) - 2, -1, -1):
            offsets[i] = min(offsets[i], offsets[i + 1])
        return ends, offsets

    def first_sound_after(self, when: float) -> float | None:
        ends, offsets = self._clock()
        step = self.RATE // 100
        for start in range(0, len(self.samples) - step, step):
            chunk = bisect.bisect_left(ends, start + 1)
            if chunk >= len(ends):
                return None
            wall = offsets[chunk] + start / self.RATE
            if wall < when:
                continue
            frame = self.samples[start:start + step]
            if (sum(v * v for v in frame) / step) ** 0.5 > VOICED_RMS:
                return wall
        return None

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def call_to_sound(app: QApplication, url: str, sounds: int,
                  pulse: PulseServer) -> list[float]:
    prepare(url)
    os.environ.update(pulse.env())
    window = start_display(app, url)
    pump_until(app, lambda: window.announcer.available is True, 60)
    recorder = Recorder(pulse)
    pump_until(app, lambda: len(recorder.samples) > Recorder.RATE, 30)
    committed: dict[str, float] = {}
    proc = caller(url, sounds, 7.0, 7.5)  # one call said (chime + Mandarin) at a time
    assert proc.stdout is not None
    reader = threading.Thread(target=lambda: [committed.__setitem__(
        (m := json.loads(line))["number"], m["t"]) for line in proc.stdout])
    reader.start()
    try:
        pump_until(app, lambda: proc.poll() is not None, 60 + sounds * 10)
        pump_until(app, lambda: window.announcer.idle, 60)
    finally:
        reader.join()
        recorder.stop()
        close_display(app, window)
    out = []
    for t in sorted(committed.values()):
        heard = recorder.first_sound_after(t)
        if heard is not None:
            out.append((heard - t) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--idle-s", type=float, default=60.0)
    parser.add_argument("--sounds", type=int, default=15)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--only", choices=["visible", "sound", "idle"],
                        help="run one of the three measures")
    args = parser.parse_args()
    os.environ["KIOSK_NOW"] = "2026-11-23T10:00:00+08:00"
    from ui.app import create_app

    app = create_app(keyboard=False)
    work = Path(tempfile.mkdtemp(prefix="bench-display-"))
    pulse = PulseServer(work / "pulse").start()
    server = None
    try:
        backends = [("SQLite", lambda name: f"sqlite:///{work / name}.db")]
        if not args.skip_postgres:
            server = PostgresServer()
            server.start()
            backends.append(("PostgreSQL", lambda _name: server.create_database()))
        for name, new in backends if args.only in (None, "visible") else ():
            latency = call_to_visible(app, new("visible"), args.calls)
            print(f"call -> visible, {name}: {summary(latency)}  "
                  f"(p99 {'<=' if percentile(latency, 99) <= 1000 else '>'} 1 s)")
        if args.only in (None, "sound"):
            sound = call_to_sound(app, backends[0][1]("sound"), args.sounds, pulse)
            print(f"call -> first sound, SQLite: {summary(sound)}  "
                  f"(p99 {'<=' if percentile(sound, 99) <= 1500 else '>'} 1.5 s)")
        for size, notice in (((1920, 1080), ""), ((1920, 1080), "long"),
                             ((3840, 2160), "long")) if args.only in (None, "idle") else ():
            text = "。".join(["今日下午 15:00 后理赔业务暂停受理 · Claims close at 3 pm"] * 4) \
                if notice else ""
            cpu = idle_cpu(backends[0][1](f"idle-{size[0]}-{notice}"), size, text,
                           args.idle_s, pulse)
            label = "notice scrolling" if notice else "no notice"
            print(f"idle CPU, {size[0]}x{size[1]}, {label}: {cpu:.1f} % of one core")
    finally:
        pulse.stop()
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
