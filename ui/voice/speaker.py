"""The speaker process: ``python -m ui.voice.speaker`` plays the WAV files it is told
to, one at a time, through QtMultimedia, and says what happened.

Why a process of its own: Qt's PulseAudio connection is made once per process. Started
with no sound server, a process never sees one that starts later; with the server
restarted, it keeps listing the old device (measured, docs/voice.md). Restarting this
small process is how the kiosk gets its sound back without restarting the screen, and
whatever the audio stack does (hang, crash) cannot freeze the board.

Protocol, one JSON object per line. In on stdin: ``{"play": PATH, "seconds": S,
"volume": V}``. Out on stdout: ``{"ready": true, "outputs": [...]}`` once at start, then
per sound ``{"started": PATH}`` and ``{"finished": PATH}`` or ``{"failed": PATH,
"reason": "..."}``. The process ends when stdin closes (its parent is gone).
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ui.voice.player import WavPlayer, audio_outputs


class _Stdin(QObject):
    line = Signal(str)
    closed = Signal()

    def start(self) -> None:
        threading.Thread(target=self._read, name="speaker-stdin", daemon=True).start()

    def _read(self) -> None:
        for text in sys.stdin:
            self.line.emit(text)
        self.closed.emit()


def _say(**message: Any) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main() -> int:
    app = QCoreApplication(sys.argv[:1])
    player = WavPlayer()
    current: dict[str, str] = {}

    def on_line(text: str) -> None:
        try:
            order = json.loads(text)
            path = str(order["play"])
            seconds, volume = float(order["seconds"]), float(order["volume"])
        except (ValueError, KeyError, TypeError) as exc:
            _say(failed="", reason=f"bad order {text.strip()!r}: {exc}")
            return
        if player.busy:
            _say(failed=path, reason="busy: one sound at a time")
            return
        try:
            wav = open(path, "rb").read()  # noqa: SIM115 - small file, read at once
        except OSError as exc:
            _say(failed=path, reason=f"cannot read {path}: {exc.strerror}")
            return
        current["path"] = path
        player.play(wav, seconds, volume)

    player.started.connect(lambda: _say(started=current.get("path", "")))
    player.finished.connect(lambda: _say(finished=current.pop("path", "")))
    player.failed.connect(lambda reason: _say(failed=current.pop("path", ""), reason=reason))
    stdin = _Stdin()
    stdin.line.connect(on_line)
    stdin.closed.connect(app.quit)
    _say(ready=True, outputs=audio_outputs())
    stdin.start()
    code = app.exec()
    player.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
