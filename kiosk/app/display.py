"""The lobby display and calling by voice, as the screens and the CLI use them.

``display_board`` is a documented sequence of two read units of work: first the call
feed position, the branch (names, notice, voice settings) and the last calls up to that
position; then the lobby board (:func:`kiosk.app.board.lobby_board`). Reading the
position first means a call committed in between is in the board *and* comes from the
feed after the position: shown twice is harmless, missed would not be. A display shows
the calls of the board silently and announces only what the feed brings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from kiosk import clock
from kiosk.app.board import CounterLine, ServiceLine, lobby_board
from kiosk.app.context import AppContext
from kiosk.app.errors import DatabaseUnreachable
from kiosk.app.results import Result
from kiosk.branch.info import load_branch
from kiosk.branch.values import set_setting
from kiosk.devices.voice import Language, VoiceSettings
from kiosk.errors import UsageError
from kiosk.models import Ticket, TicketEvent
from kiosk.queue.feed import latest_id

CALL_EVENTS = ("call", "call_specific", "recall")
RECENT_CALLS = 7  # the newest, shown large, and six before it
NOTICE_MAX = 300


@dataclass(frozen=True)
class CallLine(Result):
    """A call of today: ``kind`` is "call" or "recall"; ``at`` ISO with the offset."""

    number: str
    counter: int
    kind: str
    service: str
    at: str
    position: int


@dataclass(frozen=True)
class VoiceConfig(Result):
    """The branch's voice settings (``[settings]`` voice_* and wait_area_*)."""

    languages: tuple[str, ...]
    repeat: int
    volume: int
    chime: bool
    wait_area_zh: str
    wait_area_en: str

    @classmethod
    def of(cls, settings: VoiceSettings) -> VoiceConfig:
        return cls(tuple(settings.languages), settings.repeat, settings.volume,
                   settings.chime, settings.wait_area_zh, settings.wait_area_en)

    def settings(self) -> VoiceSettings:
        languages: list[Language] = [lang for lang in ("zh", "en") if lang in self.languages]
        languages.sort(key=self.languages.index)
        return VoiceSettings(tuple(languages) or ("zh",), self.repeat, self.volume,
                             self.chime, self.wait_area_zh, self.wait_area_en)


@dataclass(frozen=True)
class DisplayBoard(Result):
    """Everything the lobby display shows, and the feed position it includes."""

    branch: str
    name_zh: str
    name_en: str
    timezone: str
    business_date: str
    at: str
    notice: str
    services: tuple[ServiceLine, ...]
    counters: tuple[CounterLine, ...]
    calls: tuple[CallLine, ...]  # newest first
    feed_position: int
    voice: VoiceConfig


def _sqlite_file_present(app: AppContext) -> None:
    """A display reads for hours: if the branch's SQLite file has gone (a disk
    unplugged, a restore under way), say so instead of letting a new connection create
    an empty database in its place."""
    url = app.engine.url
    path = url.database or ""
    if url.get_backend_name() == "sqlite" and path not in ("", ":memory:") \
            and not Path(path).exists():
        raise DatabaseUnreachable(
            f"数据库文件不存在：{app.database}", f"the database file is missing: "
            f"{app.database}", code="database", where=app.database)


def display_board(app: AppContext, *, recent: int = RECENT_CALLS) -> DisplayBoard:
    """The lobby display's whole board (see the module's note on the order of reads).

    Raises:
        DatabaseError: the database cannot be read (the display keeps its last board).
    """
    _sqlite_file_present(app)
    with app.read() as session:
        branch = load_branch(session)
        position = latest_id(session, branch.id)
        today = branch.business_date(clock.now())
        rows = session.execute(
            select(Ticket.number, TicketEvent.counter_number, TicketEvent.kind,
                   Ticket.service_code, TicketEvent.at, TicketEvent.feed_pos)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(TicketEvent.branch_id == branch.id, Ticket.business_date == today,
                   TicketEvent.kind.in_(CALL_EVENTS), TicketEvent.counter_number.is_not(None),
                   TicketEvent.feed_pos <= position)
            .order_by(TicketEvent.feed_pos.desc()).limit(recent)).all()
        calls = tuple(CallLine(
            number=number, counter=int(counter or 0),
            kind="recall" if kind == "recall" else "call", service=service,
            at=branch.iso(at), position=int(pos or 0))
            for number, counter, kind, service, at, pos in rows)
        notice = str(branch.setting("display_notice"))
        voice = VoiceConfig.of(VoiceSettings.of(branch))
        names = (branch.id, branch.name_zh, branch.name_en, branch.timezone)
    board = lobby_board(app)
    return DisplayBoard(
        branch=names[0], name_zh=names[1], name_en=names[2], timezone=names[3],
        business_date=board.business_date, at=board.at, notice=notice,
        services=board.services, counters=board.counters, calls=calls,
        feed_position=position, voice=voice)


def voice_settings(app: AppContext) -> VoiceConfig:
    """The branch's voice settings (the "read aloud" button, ``kiosk voice say``)."""
    with app.read() as session:
        return VoiceConfig.of(VoiceSettings.of(load_branch(session)))


def display_notice(app: AppContext) -> str:
    with app.read() as session:
        return str(load_branch(session).setting("display_notice"))


def set_display_notice(app: AppContext, notice: str) -> str:
    """Set the display's scrolling notice ("" clears it); one line, as it scrolls.
    Every display shows it at its next refresh (settings_rev moves)."""
    line = " ".join("".join(c for c in notice if c.isspace() or c.isprintable()).split())
    if len(line) > NOTICE_MAX:
        raise UsageError(f"通知最多 {NOTICE_MAX} 个字（收到 {len(line)} 个）",
                         f"the notice is at most {NOTICE_MAX} characters, got {len(line)}",
                         code="too_long")
    with app.write() as session:
        set_setting(session, load_branch(session).id, "display_notice", line)
    return line


SOUND_DEVICE = "speakers"


def report_sound(app: AppContext, problem: str | None) -> bool:
    """Record this station's speakers in the device health the admin board shows:
    ``problem`` (English, from the announcer) or None when sound works again. Written
    only when the state changes (or as the health heartbeat); True if written."""
    from kiosk.devices.health import record_health

    if problem is None:
        return record_health(app.engine, app.station, SOUND_DEVICE, "ok")
    return record_health(app.engine, app.station, SOUND_DEVICE, "problem",
                         ("叫号语音无法播放", f"calls are not spoken: {problem}"),
                         detail="audio output")


__all__ = ["CallLine", "DisplayBoard", "VoiceConfig", "display_board", "display_notice",
           "report_sound", "set_display_notice", "voice_settings"]
