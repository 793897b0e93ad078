"""``kiosk voice say D007 --counter 3 [--recall] [--wav FILE]``: speak one call through
the speakers (QtMultimedia, hence a command of the screens' layer), or only render it
to a WAV file. For technicians checking the speakers, and for tests."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import DeviceError, KioskError, UsageError

if TYPE_CHECKING:
    from kiosk.cli import Commands, Context
    from kiosk.devices.voice import Announcement, VoiceSettings

# The kiosk script imports this module for every command it runs: what ``say`` needs
# is imported when it runs.

NO_DEVICE_HINT = ("start the sound server (pulseaudio --start, or pipewire-pulse) in the "
                  "kiosk's session, and check the speakers are plugged in and not muted")


def register(commands: Commands) -> None:
    voice = commands.group("voice", help="calling numbers aloud")
    p = commands.add(voice, "say", cmd_say,
                     "speak one call through the speakers, or render it with --wav")
    p.add_argument("number", help="ticket number, e.g. D007")
    p.add_argument("--counter", type=int, required=True, help="counter number")
    p.add_argument("--recall", action="store_true", help="say it as a recall")
    p.add_argument("--wav", type=Path, help="write the audio to this WAV file instead")


def branch_voice_settings(ctx: Context) -> VoiceSettings:
    """The branch's voice settings; the defaults, with a note, when the database cannot
    be reached (a technician checking speakers should not need it)."""
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.branch.info import load_branch
    from kiosk.db import unit_of_work
    from kiosk.devices.voice import VoiceSettings

    try:
        with unit_of_work(ctx.engine) as session:
            return VoiceSettings.of(load_branch(session))
    except (KioskError, SQLAlchemyError) as exc:
        reason = exc.en if isinstance(exc, KioskError) else type(exc).__name__
        print(f"数据库不可用，使用默认语音设置 / database unavailable, using the default "
              f"voice settings ({reason})", file=sys.stderr)
        return VoiceSettings()


def cmd_say(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.devices.voice import call_announcement
    from kiosk.devices.voice_render import VoiceRenderer

    settings = branch_voice_settings(ctx)
    announcement = call_announcement(args.number, args.counter, settings, recall=args.recall)
    summary = {"number": announcement.number, "counter": announcement.counter,
               "kind": announcement.kind, "text": announcement.text,
               "repeat": announcement.repeat, "volume": announcement.volume}
    if args.wav is not None:
        audio = VoiceRenderer().render(announcement)
        try:
            args.wav.write_bytes(audio.to_wav())
        except OSError as exc:
            raise UsageError(f"无法写入 {args.wav}：{exc.strerror}",
                             f"cannot write {args.wav}: {exc.strerror}", code="wav_path") from exc
        ctx.emit({**summary, "seconds": round(audio.seconds, 2), "wav": str(args.wav)},
                 f"{announcement.text} -> {args.wav} ({audio.seconds:.1f} s)")
        return
    seconds = play(announcement)
    ctx.emit({**summary, "seconds": round(seconds, 2), "played": True},
             f"{announcement.text} ({seconds:.1f} s)")


def play(announcement: Announcement) -> float:
    """Play through the process's announcer and wait for the end; the seconds heard.
    No audio device (or the engine failing) is a DeviceError naming what to check."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    from ui.voice.announcer import Announcer

    _app = QCoreApplication.instance() or QCoreApplication(["kiosk-voice"])
    announcer = Announcer()
    outcome: dict[str, object] = {}
    loop = QEventLoop()

    def done(key: str, value: object) -> None:
        outcome[key] = value
        loop.quit()

    announcer.finished.connect(lambda a: done("finished", a))
    announcer.dropped.connect(lambda a, reason: done("dropped", reason))
    announcer.device_problem.connect(lambda reason: done("dropped", reason))
    try:
        if not announcer.announce(announcement):
            raise _no_sound(announcer.problem or "no audio output device")
        if not outcome:
            loop.exec()
        if "dropped" in outcome:
            raise _no_sound(str(outcome["dropped"]))
        return announcer.last_seconds
    finally:
        announcer.close()
        del _app


def _no_sound(reason: str) -> DeviceError:
    return DeviceError("无法播放语音", f"cannot play the announcement: {reason}",
                       port="audio", hint=NO_DEVICE_HINT, code="no_audio")
