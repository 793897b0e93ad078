"""Plays one WAV at a time through QtMultimedia (``QSoundEffect``), and knows whether
there is anywhere to play it.

Facts this relies on (docs/voice.md, measured on Debian 12 with PySide6 6.11):
- With no sound server ``QMediaDevices.audioOutputs()`` is empty and a ``QSoundEffect``
  goes to ``Error`` at once; with one, it plays. QtTextToSpeech is never used: with no
  sound server it stays "Speaking" forever.
- ``QSoundEffect`` reports the end of a sound about a second after the last sample is
  heard; a watchdog (the sound's length + :data:`WATCHDOG_MARGIN_S`) ends a play that
  never reports its end, so one stuck sound cannot hold up every later call.
- On Linux Qt first looks for PipeWire and logs two warnings when it is absent before
  using PulseAudio; those two categories are silenced here (harmless, every start).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QLoggingCategory, QObject, QTimer, QUrl, Signal

# Before QtMultimedia loads: it probes for PipeWire at load time.
QLoggingCategory.setFilterRules("qt.multimedia.symbolsresolver.warning=false")

from PySide6.QtMultimedia import QMediaDevices, QSoundEffect  # noqa: E402

log = logging.getLogger(__name__)

WATCHDOG_MARGIN_S = 5.0


def audio_outputs() -> list[str]:
    """Descriptions of the audio outputs Qt can use now (empty: no device/server)."""
    return [device.description() for device in QMediaDevices.audioOutputs()]


class WavPlayer(QObject):
    """One sound at a time. ``play(wav, seconds, volume)`` returns at once; ``finished``
    (played to the end, or stopped by the watchdog) or ``failed(reason)`` follows."""

    started = Signal()
    finished = Signal()
    failed = Signal(str)
    outputs_changed = Signal()
    """An audio device came or went (``audio_outputs()`` tells which remain)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._dir = Path(tempfile.mkdtemp(prefix="kiosk-voice-"))
        self._count = 0
        self._effect: QSoundEffect | None = None
        self._file: Path | None = None
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_watchdog)
        self._devices = QMediaDevices(self)
        self._devices.audioOutputsChanged.connect(self.outputs_changed)

    @property
    def busy(self) -> bool:
        return self._effect is not None

    def available(self) -> bool:
        return bool(QMediaDevices.audioOutputs())

    def play(self, wav: bytes, seconds: float, volume: float = 1.0) -> None:
        if self._effect is not None:
            raise RuntimeError("a sound is already playing; queue it (ui.voice.announcer)")
        if not self.available():
            self.failed.emit("no audio output device")
            return
        self._count += 1
        self._file = self._dir / f"sound-{self._count}.wav"
        self._file.write_bytes(wav)
        effect = QSoundEffect(self)
        effect.setVolume(max(0.0, min(1.0, volume)))
        effect.statusChanged.connect(self._on_status)
        effect.playingChanged.connect(self._on_playing)
        self._effect = effect
        self._watchdog.start(int((seconds + WATCHDOG_MARGIN_S) * 1000))
        effect.setSource(QUrl.fromLocalFile(str(self._file)))

    def stop(self) -> None:
        """Stop what plays now (``finished`` follows)."""
        if self._effect is not None:
            self._end(None)

    def close(self) -> None:
        """Stop, and remove the directory the sounds were written to."""
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)

    def _on_status(self) -> None:
        effect = self._effect
        if effect is None:
            return
        status = effect.status()
        if status == QSoundEffect.Status.Ready and not effect.isPlaying():
            effect.play()
        elif status == QSoundEffect.Status.Error:
            self._end("the audio device refused the sound")

    def _on_playing(self) -> None:
        effect = self._effect
        if effect is None:
            return
        if effect.isPlaying():
            self.started.emit()
        else:
            self._end(None)

    def _on_watchdog(self) -> None:
        log.warning("a sound did not report its end in time; stopped it")
        self._end(None)

    def _end(self, problem: str | None) -> None:
        effect, self._effect = self._effect, None
        self._watchdog.stop()
        if effect is not None:
            for signal in (effect.statusChanged, effect.playingChanged):
                signal.disconnect()
            effect.stop()
            effect.deleteLater()
        if self._file is not None:
            self._file.unlink(missing_ok=True)
            self._file = None
        if problem is None:
            self.finished.emit()
        else:
            self.failed.emit(problem)
