"""The announcer: announcements queue, one plays at a time, nothing blocks a screen.

Every screen of a process shares one (:func:`shared_announcer`); the lobby display
feeds it calls and recalls, the customer screen's "read aloud / 语音播报" button reads a
ticket (docs/ui.md "Voice")::

    from ui.voice.announcer import branch_announcer
    branch_announcer(app).read_ticket("D007", "理赔", "Claims", ahead=3)

- Text and audio are made on a worker (:mod:`ui.tasks`): the branch's voice settings
  (from the loader given to :func:`configure`), the phrases, the WAV. The GUI thread
  only queues and starts sounds.
- In order, never overlapping: one sound at a time in this process, and across the
  processes of one PC (the customer kiosk and the lobby display on one computer) a
  file lock held while a sound plays (:class:`AudioLock`).
- A number already waiting to be said is not queued twice; when more than
  ``backlog`` announcements wait, the later ones are said once instead of
  ``voice_repeat`` times, so the lobby hears every number soon.
- Sounds play in the speaker process (:mod:`ui.voice.speaker_link`), so a sound stack
  that fails or hangs never touches the screen, and a sound server that comes back is
  found again.
- No audio device (no sound server, unplugged speakers): nothing is queued, the board
  carries on, and the problem is logged once and reported once by ``device_problem``
  (the display records it as its device health), until a device is back
  (``availability_changed(True)``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.app import AppContext
from kiosk.devices.voice import (
    Announcement,
    VoiceSettings,
    call_announcement,
    ticket_announcement,
)
from kiosk.devices.voice_render import VoiceRenderer
from kiosk.errors import KioskError
from ui.tasks import Failure, Task, run_task
from ui.voice.speaker_link import RETRY_S, Speaker

log = logging.getLogger(__name__)

LOCK_RETRY_MS = 200
SettingsLoader = Callable[[], VoiceSettings]


def default_lock_path() -> Path:
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / "lobby-kiosk-audio.lock"


class AudioLock:
    """An advisory lock on a file, held while a sound plays, so two kiosk processes on
    one PC take turns at the speakers. Never waits: :meth:`try_acquire` says yes or no."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        handle = self.path.open("ab")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


@dataclass(eq=False)
class _Item:
    key: tuple[object, ...]
    announcement: Announcement | None = None
    wav: bytes | None = None
    seconds: float = 0.0
    task: Task | None = None


class Announcer(QObject):
    queued = Signal(object)
    """An :class:`Announcement` was queued."""
    started = Signal(object)
    """It is heard now."""
    finished = Signal(object)
    """It was played to the end."""
    dropped = Signal(object, str)
    """It will not be heard (no device, the engine failed); the reason in English."""
    device_problem = Signal(str)
    """Sound stopped working (once per outage); the reason, for logs and device health."""
    availability_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, renderer: VoiceRenderer | None = None,
                 settings: SettingsLoader | None = None, lock_path: Path | None = None,
                 backlog: int = 2, retry_s: tuple[float, ...] = RETRY_S) -> None:
        super().__init__(parent)
        self.renderer = renderer or VoiceRenderer()
        self._loader = settings
        self.settings = VoiceSettings()
        self.backlog = backlog
        self._lock = AudioLock(lock_path or default_lock_path())
        self._queue: list[_Item] = []
        self._playing: _Item | None = None
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._pump)
        self._reported: str | None = None
        self.last_seconds = 0.0
        """Length of the last sound started (seconds)."""
        self._speaker = Speaker(self, retry_s=retry_s)
        self._speaker.finished.connect(self._on_finished)
        self._speaker.failed.connect(self._on_player_failed)
        self._speaker.availability.connect(self._on_availability)
        self._speaker.start()

    # ----- what screens call ---------------------------------------------------------

    @property
    def available(self) -> bool | None:
        """True: calls are heard; False: no sound (see :attr:`problem`); None: the
        speaker process is still starting (calls wait for it)."""
        return self._speaker.available

    @property
    def waiting_for_speakers(self) -> bool:
        """The next sound is ready but another kiosk process is speaking."""
        return self._retry.isActive()

    @property
    def idle(self) -> bool:
        return self._playing is None and not self._queue

    @property
    def problem(self) -> str | None:
        """Why calls are not heard now (None while sound works)."""
        return self._reported

    def waiting(self) -> list[tuple[object, ...]]:
        """The keys (number, counter) of what waits to be said, in order."""
        return [item.key for item in self._queue]

    def announce_call(self, number: str, counter: int, *, recall: bool = False) -> bool:
        """Say a call (a recall says it again). False when it will not be heard."""
        return self._enqueue(lambda s: call_announcement(number, counter, s, recall=recall),
                             key=(number, counter))

    def read_ticket(self, number: str, service_zh: str, service_en: str, ahead: int) -> bool:
        """Read a ticket aloud: number, service, people ahead, where to wait."""
        return self._enqueue(
            lambda s: ticket_announcement(number, service_zh, service_en, ahead, s),
            key=("ticket", number))

    def announce(self, announcement: Announcement) -> bool:
        """Queue an announcement made by the caller."""
        return self._enqueue(lambda _s: announcement,
                             key=(announcement.kind, announcement.number, announcement.counter))

    def clear(self) -> None:
        """Forget what waits (what plays now ends normally)."""
        for item in self._queue:
            if item.task is not None:
                item.task.cancel()
        self._queue.clear()

    def close(self) -> None:
        self.clear()
        self._retry.stop()
        self._speaker.close()
        self._lock.release()

    # ----- the queue -----------------------------------------------------------------

    def _enqueue(self, compose: Callable[[VoiceSettings], Announcement],
                 key: tuple[object, ...]) -> bool:
        if self._speaker.available is False:
            log.debug("not announced (%s): %s", self._reported, key)
            return False
        if any(item.key == key for item in self._queue):
            return True  # said soon anyway: a double press or a recall of a waiting call
        busy = len(self._queue) >= self.backlog
        item = _Item(key)
        self._queue.append(item)

        def work() -> tuple[Announcement, bytes, float]:
            settings = self._load_settings()
            announcement = compose(settings)
            if busy:
                announcement = replace(announcement, repeat=1)
            audio = self.renderer.render(announcement, apply_volume=False)
            return announcement, audio.to_wav(), audio.seconds

        item.task = run_task(work, owner=self, name="render announcement",
                             on_result=lambda value: self._rendered(item, value),
                             on_error=lambda failure: self._render_failed(item, failure))
        return True

    def _load_settings(self) -> VoiceSettings:
        """The branch's voice settings (worker thread); the last known ones when the
        loader fails (the database may be away: calls still get said)."""
        if self._loader is not None:
            try:
                self.settings = self._loader()
            except Exception as exc:  # noqa: BLE001 - any failure: keep the last settings
                log.info("voice settings not reloaded (%s); using the last ones", exc)
        return self.settings

    def _rendered(self, item: _Item, value: tuple[Announcement, bytes, float]) -> None:
        item.announcement, item.wav, item.seconds = value
        if item not in self._queue:
            return
        if item.announcement is not None and item.announcement.volume <= 0:
            self._queue.remove(item)
            self.dropped.emit(item.announcement, "volume is 0")
        else:
            self.queued.emit(item.announcement)
        self._pump()

    def _render_failed(self, item: _Item, failure: Failure) -> None:
        if item in self._queue:
            self._queue.remove(item)
        reason = failure.error.en if isinstance(failure.error, KioskError) else str(failure.error)
        self.dropped.emit(item.announcement, reason)
        if isinstance(failure.error, KioskError):  # the engine itself (missing, broken)
            self._report(reason)
        self._pump()

    def _pump(self) -> None:
        if self._playing is not None or not self._queue or self._speaker.state != "ready":
            return
        head = self._queue[0]
        if head.wav is None:
            return  # still rendering; _rendered pumps again
        if not self._lock.try_acquire():
            self._retry.start(LOCK_RETRY_MS)  # another kiosk process is speaking
            return
        self._queue.pop(0)
        self._playing = head
        self.last_seconds = head.seconds
        self.started.emit(head.announcement)
        volume = head.announcement.volume if head.announcement is not None else 100
        self._speaker.play(head.wav, head.seconds, volume / 100)

    def _on_finished(self) -> None:
        item, self._playing = self._playing, None
        self._lock.release()
        if item is not None:
            self.finished.emit(item.announcement)
        self._pump()

    def _on_player_failed(self, reason: str) -> None:
        item, self._playing = self._playing, None
        self._lock.release()
        if item is not None:
            self.dropped.emit(item.announcement, reason)

    # ----- the device ----------------------------------------------------------------

    def _on_availability(self, available: bool, reason: str) -> None:
        if available:
            if self._reported is not None:
                log.info("calls are spoken again")
            self._reported = None
            self.availability_changed.emit(True)
            self._pump()
            return
        for item in list(self._queue):
            self.dropped.emit(item.announcement, reason)
        self.clear()
        self._report(reason)
        self.availability_changed.emit(False)

    def _report(self, reason: str) -> None:
        """Log and signal a sound problem once until sound works again."""
        if self._reported is not None:
            return
        self._reported = reason
        log.warning("calls are not spoken: %s; the board carries on", reason)
        self.device_problem.emit(reason)


_shared: Announcer | None = None


def configure(settings: SettingsLoader | None = None, **kwargs: object) -> Announcer:
    """Make the process's announcer (the role's start-up calls it once)."""
    global _shared
    if _shared is not None:
        _shared.close()
    _shared = Announcer(settings=settings, **kwargs)  # type: ignore[arg-type]
    return _shared


def branch_announcer(app: AppContext, **kwargs: object) -> Announcer:
    """Make the process's announcer with the branch's voice settings, read (on the
    announcer's worker) before each announcement, so a settings change is heard at
    once; the last ones read while the database is away."""
    from kiosk.app.display import voice_settings

    return configure(settings=lambda: voice_settings(app).settings(), **kwargs)


def shared_announcer() -> Announcer:
    """The process's announcer (made with defaults if the role did not configure one)."""
    return _shared if _shared is not None else configure()
