"""The screen's side of the speaker process (:mod:`ui.voice.speaker`): start it, hand it
one sound at a time, notice when it has no device, hangs or dies, and start it again
later, so sound comes back by itself when the speakers or the sound server do.

While the sound server's socket is missing no process is started at all (a ``stat`` per
retry), so a kiosk without sound costs nothing while it waits.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

log = logging.getLogger(__name__)

RETRY_S = (5.0, 15.0, 30.0, 60.0, 120.0)  # waits before each new try; the last repeats
START_TIMEOUT_S = 20.0   # the speaker process must say "ready" within this
WATCHDOG_MARGIN_S = 10.0  # beyond a sound's length before the process is deemed hung


def sound_server_socket() -> Path | None:
    """Where the PulseAudio (or PipeWire-pulse) server listens, when it is a local
    socket; None when it cannot be told (a TCP server: just try)."""
    server = os.environ.get("PULSE_SERVER", "").split()
    if server:
        first = server[0]
        if first.startswith("unix:"):
            return Path(first[5:])
        return Path(first) if first.startswith("/") else None
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime) / "pulse" / "native" if runtime else None


class Speaker(QObject):
    availability = Signal(bool, str)
    """The speakers can play (True, "") or cannot (False, the reason); on each change."""
    started = Signal()
    finished = Signal()
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, *,
                 retry_s: tuple[float, ...] = RETRY_S) -> None:
        super().__init__(parent)
        self.retry_s = retry_s
        self._tries = 0
        self._proc: QProcess | None = None
        self._ending: set[QProcess] = set()  # told to end, not ended yet
        self._state = "down"  # down | starting | ready | playing
        self._available: bool | None = None
        self._buffer = b""
        self._dir = Path(tempfile.mkdtemp(prefix="kiosk-speaker-"))
        self._count = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.start)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_hung)

    @property
    def state(self) -> str:
        return self._state

    @property
    def available(self) -> bool | None:
        """True: can play; False: cannot (reason signalled); None: not known yet."""
        return self._available

    @property
    def busy(self) -> bool:
        return self._state == "playing"

    def start(self) -> None:
        """Start the speaker process (again); a missing sound server socket is "down"
        at once, without starting anything."""
        if self._state in ("starting", "ready", "playing"):
            return
        socket = sound_server_socket()
        if socket is not None and not socket.exists():
            self._down(f"no sound server (no socket at {socket})")
            return
        self._state = "starting"
        self._buffer = b""
        proc = QProcess(self)
        proc.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        proc.readyReadStandardOutput.connect(self._on_output)
        proc.finished.connect(self._on_exit)
        proc.errorOccurred.connect(self._on_process_error)
        self._proc = proc
        self._watchdog.start(int(START_TIMEOUT_S * 1000))
        proc.start(sys.executable, ["-m", "ui.voice.speaker"])

    def play(self, wav: bytes, seconds: float, volume: float) -> None:
        if self._state != "ready" or self._proc is None:
            raise RuntimeError(f"the speaker cannot play now ({self._state})")
        self._count += 1
        path = self._dir / f"sound-{self._count}.wav"
        path.write_bytes(wav)
        for old in self._dir.glob("sound-*.wav"):
            if old != path:
                old.unlink(missing_ok=True)
        self._state = "playing"
        self._watchdog.start(int((seconds + WATCHDOG_MARGIN_S) * 1000))
        order = {"play": str(path), "seconds": seconds, "volume": volume}
        self._proc.write((json.dumps(order) + "\n").encode())

    def close(self) -> None:
        self._retry.stop()
        self._watchdog.stop()
        self._stop_process(wait=True)
        self._reap()
        self._state = "down"
        shutil.rmtree(self._dir, ignore_errors=True)

    # ----- the process -------------------------------------------------------------

    def _on_output(self) -> None:
        if self._proc is None:
            return
        self._buffer += bytes(self._proc.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                log.info("speaker said: %r", line)
                continue
            self._on_message(message)

    def _on_message(self, message: dict[str, object]) -> None:
        if "ready" in message:
            self._watchdog.stop()
            outputs = message.get("outputs") or []
            if outputs:
                self._state = "ready"
                self._tries = 0
                self._set_available(True, "")
            else:
                self._down("no audio output device")
        elif "started" in message:
            self.started.emit()
        elif "finished" in message:
            self._watchdog.stop()
            self._state = "ready"
            self.finished.emit()
        elif "failed" in message:
            self._watchdog.stop()
            reason = str(message.get("reason", "the sound failed"))
            was_playing = self._state == "playing"
            self._down(reason)
            if was_playing:
                self.failed.emit(reason)

    def _on_hung(self) -> None:
        was_playing = self._state == "playing"
        reason = ("the speaker process did not finish a sound in time" if was_playing
                  else "the speaker process did not start in time")
        self._down(reason)
        if was_playing:
            self.failed.emit(reason)

    def _on_exit(self, *_args: object) -> None:
        if self._state in ("starting", "ready", "playing"):
            was_playing = self._state == "playing"
            self._down("the speaker process ended")
            if was_playing:
                self.failed.emit("the speaker process ended")

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._down("the speaker process could not start")

    def _stop_process(self, *, wait: bool = False) -> None:
        """End the process: its stdin closed (it quits), killed if it lingers. Never
        waits on the GUI thread unless ``wait`` (closing the announcer at exit)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for signal in (proc.readyReadStandardOutput, proc.finished, proc.errorOccurred):
            signal.disconnect()
        if proc.state() == QProcess.ProcessState.NotRunning:
            proc.deleteLater()
            return
        proc.finished.connect(proc.deleteLater)
        proc.finished.connect(lambda *_: self._ending.discard(proc))
        self._ending.add(proc)
        proc.closeWriteChannel()
        if wait:
            self._reap()
        else:
            QTimer.singleShot(2000, proc, proc.kill)  # a hung speaker ignores its stdin

    def _reap(self) -> None:
        """Wait for every process told to end (at close, when blocking is fine)."""
        for proc in list(self._ending):
            if not proc.waitForFinished(2000):
                proc.kill()
                proc.waitForFinished(2000)
            self._ending.discard(proc)

    def _down(self, reason: str) -> None:
        self._watchdog.stop()
        self._stop_process()
        self._state = "down"
        self._set_available(False, reason)
        wait = self.retry_s[min(self._tries, len(self.retry_s) - 1)]
        self._tries += 1
        self._retry.start(int(wait * 1000))

    def _set_available(self, available: bool, reason: str) -> None:
        if available != self._available:
            self._available = available
            self.availability.emit(available, reason)
