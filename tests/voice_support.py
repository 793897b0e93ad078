"""Ears for the voice tests: measures of rendered or recorded audio (how long it is
voiced, its pitch over time, where the sounds are), and a private PulseAudio sound
server with a null sink whose monitor ``parec`` records (the platform notes: tests can
hear with pulseaudio + null sink + parec)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

from printers.speech.wav import Pcm, from_wav

VOICED_RMS = 600  # 16-bit RMS over 10 ms above which a frame counts as sound


def frame_rms(pcm: Pcm, ms: int = 10) -> list[float]:
    data = array("h", pcm.samples)
    n = pcm.rate * ms // 1000
    return [(sum(v * v for v in data[i:i + n]) / n) ** 0.5
            for i in range(0, len(data) - n + 1, n)]


def voiced_seconds(pcm: Pcm, threshold: float = VOICED_RMS) -> float:
    """How long the audio is sound, not silence (10 ms frames)."""
    return sum(1 for r in frame_rms(pcm) if r > threshold) / 100


def sound_spans(pcm: Pcm, *, gap_s: float = 0.25,
                threshold: float = VOICED_RMS) -> list[tuple[float, float]]:
    """(start, end) seconds of each stretch of sound; silences shorter than ``gap_s``
    do not split a stretch."""
    spans: list[tuple[float, float]] = []
    for i, r in enumerate(frame_rms(pcm)):
        if r <= threshold:
            continue
        t = i / 100
        if spans and t - spans[-1][1] <= gap_s:
            spans[-1] = (spans[-1][0], t + 0.01)
        else:
            spans.append((t, t + 0.01))
    return spans


def pitch_track(pcm: Pcm, *, fmin: float = 70, fmax: float = 400,
                threshold: float = VOICED_RMS) -> list[float]:
    """The fundamental frequency (Hz) of each voiced 10 ms step, by autocorrelation
    over 30 ms windows of the audio at half its rate (enough below 400 Hz)."""
    data = array("h", pcm.samples)[::2]
    rate = pcm.rate // 2
    win, hop = rate * 30 // 1000, rate * 10 // 1000
    lo, hi = int(rate / fmax), int(rate / fmin)
    track = []
    for start in range(0, len(data) - win - hi, hop):
        frame = data[start:start + win]
        energy = sum(v * v for v in frame)
        if (energy / win) ** 0.5 < threshold:
            continue
        best, best_lag = 0.0, 0
        for lag in range(lo, hi):
            c = sum(a * b for a, b in zip(frame, data[start + lag:start + lag + win],
                                          strict=True))
            if c > best:
                best, best_lag = c, lag
        if best > 0.5 * energy:  # clearly periodic: a voiced sound
            track.append(rate / best_lag)
    if not track:
        return track
    # Drop octave errors (a consonant's burst read as 400 Hz): far from the median.
    median = sorted(track)[len(track) // 2]
    return [f for f in track if 0.67 * median <= f <= 1.5 * median]


def wait_for(condition: Callable[[], bool], timeout_s: float = 20.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what or condition}")
        time.sleep(0.02)


class PulseServer:
    """A PulseAudio server of the test's own (its runtime directory, its socket), with
    one null sink, ``speakers``, and nothing else. ``env()`` points a client at it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = root / "native"
        self._process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def installed() -> bool:
        return all(shutil.which(p) for p in ("pulseaudio", "pactl", "parec"))

    def env(self) -> dict[str, str]:
        return {"PULSE_SERVER": f"unix:{self.socket}"}

    def _own_env(self) -> dict[str, str]:
        return {**os.environ, "HOME": str(self.root), "XDG_RUNTIME_DIR": str(self.root),
                "XDG_CONFIG_HOME": str(self.root / "config"), **self.env()}

    def start(self) -> PulseServer:
        self.root.mkdir(parents=True, exist_ok=True)
        log = (self.root / "pulseaudio.log").open("wb")
        self._process = subprocess.Popen(
            ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disable-shm=yes",
             "--use-pid-file=no", "--log-target=stderr", "--system=no",
             f"--load=module-native-protocol-unix socket={self.socket} auth-anonymous=1",
             "--load=module-null-sink sink_name=speakers"],
            env=self._own_env(), stdout=log, stderr=log, start_new_session=True)
        log.close()
        wait_for(self._answers, what="the test's PulseAudio server")
        return self

    def _answers(self) -> bool:
        assert self._process is not None
        if self._process.poll() is not None:
            raise RuntimeError("pulseaudio exited: "
                               + (self.root / "pulseaudio.log").read_text(errors="replace"))
        return subprocess.run(["pactl", "info"], env=self._own_env(), capture_output=True,
                              check=False).returncode == 0

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def recorders(self) -> int:
        out = subprocess.run(["pactl", "list", "short", "source-outputs"],
                             env=self._own_env(), capture_output=True, text=True, check=True)
        return len(out.stdout.splitlines())

    @contextlib.contextmanager
    def record(self, path: Path, rate: int = 22050) -> Iterator[Path]:
        """Record what the speakers play into ``path`` (mono 16-bit WAV) while the
        block runs; samples are already flowing into the file when the block starts
        (parec connects, then takes most of a second before its first samples)."""
        proc = subprocess.Popen(
            ["parec", "-d", "speakers.monitor", "--file-format=wav", f"--rate={rate}",
             "--channels=1", "--format=s16le", "--latency-msec=20", str(path)],
            env=self._own_env())
        try:
            wait_for(lambda: path.exists() and path.stat().st_size > 1024,
                     what="parec to record")
            yield path
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(10)

    def read(self, path: Path) -> Pcm:
        return from_wav(path.read_bytes(), source=str(path))
