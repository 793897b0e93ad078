"""The espeak-ng engine, run as a program: one whole phrase in, one WAV out.

Whole phrases, not joined word clips: espeak-ng places the pauses and the tones of a
sentence itself, and a sentence rendered at once is shorter and smoother than the same
words joined (docs/voice.md). Rendering takes a few tens of milliseconds, so a phrase is
rendered when it is needed and the caller caches it.

Facts about espeak-ng 1.51 (Debian 12) this driver relies on: ``-w FILE`` writes the
WAV (``--stdout`` writes an empty header); the exit status stays 0 when the file
cannot be written, so the file itself is checked; a voice name it does not know exactly
may be matched loosely (``no-such-voice`` speaks Norwegian), so the name is checked
against ``--voices`` first.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from printers.errors import DeviceError
from printers.speech.wav import Pcm, from_wav

PROGRAM = "espeak-ng"
HINT = "install espeak-ng (bash scripts/setup.sh) and check `espeak-ng --voices=cmn`"


@dataclass(frozen=True)
class Voice:
    """An espeak-ng voice and how it speaks: words per minute and pitch (0..99)."""

    name: str
    speed: int = 150
    pitch: int = 50


class Espeak:
    """Runs ``espeak-ng``; every failure is a :class:`DeviceError` naming the engine."""

    def __init__(self, program: str = PROGRAM, *, timeout_s: float = 20.0) -> None:
        self.program = program
        self.timeout_s = timeout_s
        self._voices: frozenset[str] | None = None

    def available(self) -> bool:
        return shutil.which(self.program) is not None

    def version(self) -> str:
        """The engine's version line (part of a cache key: a new engine sounds different)."""
        out = self._run(["--version"])
        return out.stdout.decode("utf-8", "replace").strip()

    def voices(self) -> frozenset[str]:
        """The voice (language) names this engine has, as ``-v`` takes them."""
        if self._voices is None:
            listing = self._run(["--voices"]).stdout.decode("utf-8", "replace")
            self._voices = frozenset(line.split()[1] for line in listing.splitlines()[1:]
                                     if len(line.split()) > 1)
        return self._voices

    def render(self, text: str, voice: Voice) -> Pcm:
        """``text`` spoken by ``voice``, as 16-bit mono PCM."""
        if not text.strip():
            raise ValueError("nothing to say")
        if voice.name.split("+")[0] not in self.voices():
            raise self._error(f"语音引擎没有 {voice.name} 语音", f"the speech engine has no "
                              f"voice {voice.name!r}")
        with tempfile.TemporaryDirectory(prefix="kiosk-voice-") as tmp:
            target = Path(tmp) / "phrase.wav"
            # The text as the last argument, not on stdin: with stdin espeak-ng 1.51 falls
            # back to its default (English) voice for an unknown voice and exits 0. A
            # leading space keeps text starting with "-" from reading as an option.
            self._run(["-b", "1", "-v", voice.name, "-s", str(voice.speed),
                       "-p", str(voice.pitch), "-w", str(target), " " + text])
            try:
                data = target.read_bytes()
            except OSError as exc:
                raise self._error("语音引擎没有输出音频", "the speech engine wrote no audio",
                                  detail=str(exc)) from exc
        pcm = from_wav(data, source=f"{self.program} -v {voice.name}")
        if pcm.frames == 0:
            raise self._error("语音引擎输出为空", "the speech engine wrote an empty WAV",
                              detail=f"voice {voice.name}")
        return pcm

    def _run(self, args: list[str]) -> subprocess.CompletedProcess[bytes]:
        try:
            result = subprocess.run(
                [self.program, *args], stdin=subprocess.DEVNULL, capture_output=True,
                timeout=self.timeout_s, check=False,
                env={**os.environ, "LC_ALL": "C.UTF-8"})
        except FileNotFoundError as exc:
            raise self._error("未安装语音引擎 espeak-ng", "the speech engine espeak-ng is not "
                              "installed", detail=str(exc)) from exc
        except subprocess.TimeoutExpired as exc:
            raise self._error("语音引擎无响应", f"the speech engine did not finish within "
                              f"{self.timeout_s:g} s") from exc
        except OSError as exc:
            raise self._error("无法启动语音引擎", "cannot start the speech engine",
                              detail=str(exc)) from exc
        if result.returncode != 0:
            reason = result.stderr.decode("utf-8", "replace").strip()
            raise self._error("语音引擎出错", "the speech engine failed", detail=reason)
        return result

    def _error(self, zh: str, en: str, *, detail: str = "") -> DeviceError:
        if detail:
            en = f"{en}: {detail}"
        return DeviceError(zh, en, port=self.program, hint=HINT, code="speech_engine")
