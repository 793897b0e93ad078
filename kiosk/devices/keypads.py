"""The keypad service: what the branch does with its rating keypads while they run.

The configuration (ports, addresses, counters) is :mod:`kiosk.devices.keypad_ports`.

Data flow (one :class:`KeypadService` process is the only one touching the ports):

1. the queue engine writes a ``finish`` :class:`TicketEvent` whenever a counter
   finishes a ticket (CLI, terminal, keypad, or ``call_next`` finishing the previous
   customer). After every poll cycle the :class:`KeypadDesk` of a port reads the new
   ones for its counters from the call feed (:mod:`kiosk.queue.feed`), opens a
   :class:`RatingRequest` (its id is the KP1 session) and queues REQUEST_RATING
   (prompt 2, the port's timeout) on the bus master;
2. the bus master (:mod:`printers.kp1.bus`) hands every new key event to the desk,
   which stores it (``keypad_event``) and, in the same unit of work, either answers
   the request, stores an unsolicited rating, or runs the counter: 0x10 call next,
   0x11 recall, 0x12 pause/resume, 0x13 finish, through :class:`kiosk.queue.lobby.Lobby`;
3. a rule refusal (the pause rule, nobody to recall…) is recorded as a ``refused``
   keypad event and the bus goes on; device events (offline, restarted, voice fault,
   stuck key) are stored the same way and update the keypad's row.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.db import unit_of_work
from kiosk.devices.keypad_ports import PortConfig, port_configs
from kiosk.errors import KioskError, UsageError
from kiosk.feedback import ratings
from kiosk.models import Keypad, KeypadEvent, KeypadPort, RatingRequest, TicketEvent
from kiosk.queue import feed
from kiosk.queue.lobby import Lobby
from printers.kp1 import codec as kp1
from printers.kp1.bus import BusMaster
from printers.kp1.codec import Frame, KeyEvent
from printers.kp1.link import SerialLine
from printers.kp1.presses import SEEN_WINDOW, Press

log = logging.getLogger(__name__)

# Device faults a misbehaving keypad or line repeats every poll cycle, and how often
# one of them is stored per keypad.
REPEATING_FAULTS = frozenset({"nak", "bad_reply", "port_lost"})
FAULT_RECORD_EVERY_S = 60.0

# Finishes older than this when the service starts are not asked about any more: the
# customer has long left the counter.
STARTUP_LOOKBACK_S = 60
SWEEP_INTERVAL_S = 0.2
KEY_KINDS = ("key", "refused")


class KeypadDesk:
    """The bus listener of one port: turns KP1 events into branch records.

    Every key press is one unit of work (``write=True``), as a button press is."""

    def __init__(self, engine: Engine, port: PortConfig,
                 now: Callable[[], datetime] = clock.now) -> None:
        self.engine = engine
        self.port = port
        self.now = now
        self._position: int | None = None  # in the call feed (kiosk.queue.feed)
        self._last_sweep = 0.0
        self._fault_recorded_at: dict[tuple[int, str], float] = {}
        self._faults_left_out: dict[tuple[int, str], int] = {}
        with unit_of_work(engine) as session:
            self.branch_id = load_branch(session).id
            self._keypad_ids = {k.address: k.id for k in self._keypads(session)}

    def _keypads(self, session: Session) -> list[Keypad]:
        return list(session.scalars(select(Keypad).join(
            KeypadPort, KeypadPort.id == Keypad.port_id).where(
            KeypadPort.branch_id == self.branch_id,
            KeypadPort.url == self.port.url)))

    def _keypad(self, session: Session, address: int, lock: bool = False) -> Keypad | None:
        keypad_id = self._keypad_ids.get(address)
        if keypad_id is None:
            return None
        return session.get(Keypad, keypad_id, with_for_update=lock)

    def seen_presses(self) -> dict[int, list[Press]]:
        """Presses already stored per address in the keypad's current boot, each
        pressed at the latest when it was stored (on this host's monotonic clock)."""
        seen: dict[int, list[Press]] = {}
        with unit_of_work(self.engine) as session:
            now, mono_now = self.now(), time.monotonic()
            for keypad in self._keypads(session):
                rows = session.execute(select(
                    KeypadEvent.event_id, KeypadEvent.session, KeypadEvent.key,
                    KeypadEvent.at).where(
                    KeypadEvent.keypad_id == keypad.id, KeypadEvent.boot == keypad.boot,
                    KeypadEvent.kind.in_(KEY_KINDS), KeypadEvent.event_id.is_not(None))
                    .order_by(KeypadEvent.id.desc()).limit(SEEN_WINDOW)).all()
                seen[keypad.address] = [
                    Press.stored(event_id, session_id or 0, key or 0,
                                 mono_now - max(0.0, (now - at).total_seconds()))
                    for event_id, session_id, key, at in reversed(rows)
                    if event_id is not None]
        return seen

    # ----- BusListener -------------------------------------------------------------

    def key_pressed(self, address: int, event: KeyEvent) -> None:
        """Store the key and act on it; a refused function key is recorded, not raised."""
        at = self.now()
        pressed_at = at - timedelta(milliseconds=event.age_ms)
        try:
            with unit_of_work(self.engine, write=True) as session:
                branch = load_branch(session, self.branch_id)
                keypad = self._keypad(session, address)
                detail = self._act(session, branch, keypad, event, pressed_at)
                self._record(session, keypad, address, "key", at, event, detail)
        except KioskError as exc:
            with unit_of_work(self.engine, write=True) as session:
                keypad = self._keypad(session, address)
                self._record(session, keypad, address, "refused", at, event, exc.bilingual())
            log.info("keypad %s key 0x%02x refused: %s", address, event.key, exc.en)

    def device_event(self, address: int, kind: str, detail: str = "") -> None:
        """Store a device event and keep the keypad's row (online, boot) current.

        A fault that repeats every cycle (a keypad answering busy or garbage, a lost
        port) is stored once a minute per keypad, with the count of the repeats
        left out, instead of up to ten rows a second."""
        if kind == "duplicate":
            return  # expected after a lost ACK; counted by the link, not worth a row
        if kind in REPEATING_FAULTS:
            key, clock_now = (address, kind), time.monotonic()
            last = self._fault_recorded_at.get(key)
            if last is not None and clock_now - last < FAULT_RECORD_EVERY_S:
                self._faults_left_out[key] = self._faults_left_out.get(key, 0) + 1
                return
            self._fault_recorded_at[key] = clock_now
            left_out = self._faults_left_out.pop(key, 0)
            if left_out:
                detail = f"{detail} (+{left_out} more since the last record)"
        with unit_of_work(self.engine, write=True) as session:
            keypad = self._keypad(session, address, lock=True)
            at = self.now()
            if keypad is not None:
                if kind in ("online", "back_online", "restarted"):
                    keypad.online, keypad.last_seen_at = True, at
                elif kind == "offline":
                    keypad.online = False
                if kind == "restarted":
                    keypad.boot += 1  # event ids start again at 1
            self._record(session, keypad, address, kind, at, None, detail)

    def _record(self, session: Session, keypad: Keypad | None, address: int, kind: str,
                at: datetime, event: KeyEvent | None, detail: str) -> None:
        session.add(KeypadEvent(
            branch_id=self.branch_id, keypad_id=keypad.id if keypad else None,
            port_url=self.port.url, address=address,
            counter_number=keypad.counter_number if keypad else None, at=at, kind=kind,
            boot=keypad.boot if keypad else None,
            event_id=event.event_id if event else None,
            session=event.session if event else None, key=event.key if event else None,
            detail=detail[:300]))
        if keypad is not None and event is not None:
            keypad.last_seen_at = at

    def _act(self, session: Session, branch: BranchInfo, keypad: Keypad | None,
             event: KeyEvent, pressed_at: datetime) -> str:
        if keypad is None:
            return "no counter mapped to this address"
        counter = keypad.counter_number
        if event.is_rating:
            value = ratings.VALUE_OF_KEY[event.key]
            scale = int(branch.setting("rating_scale"))
            note = ""
            if event.key and event.key not in ratings.SCALE_KEYS[scale]:
                note = f"; key outside the {scale}-key scale"
            if event.session:
                rating = ratings.answer_request(session, branch, event.session, value,
                                                at=pressed_at)
                return (f"session {event.session}: {value}{note}" if rating
                        else f"session {event.session} closed already: {value} ignored")
            if event.key == kp1.KEY_NO_RATING:
                return "no-rating event without a session ignored"
            ratings.record_unsolicited(session, branch, counter, value, at=pressed_at)
            return f"unsolicited {value}{note}"
        if event.is_function:
            return _run_counter(Lobby(session, branch), counter, event.key)
        return f"unknown key 0x{event.key:02x} ignored"

    # ----- the rating outbox -------------------------------------------------------

    def sweep(self, force: bool = False) -> list[tuple[int, int, int]]:
        """Open rating requests for new finishes at this port's counters.

        Returns (address, session, timeout_s) of every request to send; also closes
        requests that were never answered as "not rated"."""
        if not force and time.monotonic() - self._last_sweep < SWEEP_INTERVAL_S:
            return []
        self._last_sweep = time.monotonic()
        address_of = {c: a for a, c in self.port.counters.items()}
        to_send: dict[int, tuple[int, int, int]] = {}
        with unit_of_work(self.engine, write=True) as session:
            branch = load_branch(session, self.branch_id)
            now = self.now()
            since = now - timedelta(seconds=STARTUP_LOOKBACK_S)
            start = self._position
            if start is None:
                start = feed.position_before(session, since, branch_id=branch.id)
            # The call feed never skips an event that commits late (kiosk.queue.feed);
            # the anti-join keeps a finish that already has a request (another
            # service process, a restart within the look-back) from being asked twice.
            finishes, position = feed.events_since(
                session, start, branch_id=branch.id, kinds=("finish",))
            wanted = [e.row_id for e in finishes
                      if e.counter in address_of and e.at >= since]
            asked = select(RatingRequest.id).where(
                RatingRequest.finish_event_id == TicketEvent.id).exists()
            rows = session.scalars(select(TicketEvent).where(
                TicketEvent.id.in_(wanted), ~asked)).all() if wanted else []
            for finish in sorted(rows, key=lambda row: wanted.index(row.id)):
                assert finish.counter_number is not None
                address = address_of[finish.counter_number]
                request = ratings.open_request(
                    session, branch, finish, timeout_s=self.port.rating_timeout_s, now=now,
                    keypad_id=self._keypad_ids.get(address))
                if request.status == "pending":
                    to_send[address] = (address, request.id, self.port.rating_timeout_s)
            ratings.expire_requests(session, branch, now)
        self._position = position  # committed: these finishes are done with
        return list(to_send.values())

    def request_sent(self, session_id: int, error: BaseException | None) -> None:
        """The bus master reports whether REQUEST_RATING reached the keypad."""
        with unit_of_work(self.engine, write=True) as session:
            request = session.get(RatingRequest, session_id, with_for_update=True)
            if request is None or request.status != "pending":
                return
            if error is None:
                request.status = "sent"
            else:
                request.status, request.closed_at = "failed", self.now()


def _run_counter(lobby: Lobby, counter: int, key: int) -> str:
    """A function key on counter ``counter``'s keypad; RuleRefused propagates."""
    if key == kp1.KEY_CALL_NEXT:
        ticket = lobby.call_next(counter)
        return f"called {ticket.number}" if ticket else "nobody waiting"
    if key == kp1.KEY_RECALL:
        return f"recalled {lobby.recall(counter).number}"
    if key == kp1.KEY_PAUSE_RESUME:
        if lobby.counter(counter).status == "paused":
            lobby.resume_counter(counter)
            return "resumed"
        lobby.pause_counter(counter)
        return "paused"
    return f"finished {lobby.finish(counter).number}"


class KeypadService:
    """Every configured port's bus master with its desk, as one start/stop unit.

    ``kiosk keypad serve`` runs one; tests start it and always stop it. While it runs,
    a watcher compares the stored keypad configuration every ``config_check_s``
    seconds and rebuilds the bus masters when a technician has changed it with
    ``kiosk devices set keypad`` (a keypad moved to another counter, a new address,
    another port), so a remapped keypad never acts for its old counter."""

    def __init__(self, engine: Engine, *, cycle_s: float = 0.1,
                 now: Callable[[], datetime] = clock.now, config_check_s: float = 2.0,
                 station: str | None = None) -> None:
        self.engine, self.cycle_s, self.now = engine, cycle_s, now
        self.config_check_s = config_check_s
        self.station = station  # None: this process's station
        with unit_of_work(engine) as session:
            self.configs = port_configs(session, station)
        if not self.configs:
            raise UsageError("尚未配置评价器：kiosk devices set keypad --port URL --map 1=1",
                             "no keypads configured: kiosk devices set keypad --port URL "
                             "--map ADDRESS=COUNTER")
        self.desks: list[KeypadDesk] = []
        self.masters: list[BusMaster] = []
        self._build()
        self._stop_watching = threading.Event()
        self._watcher: threading.Thread | None = None

    def _build(self) -> None:
        self.desks, self.masters = [], []
        for config in self.configs:
            desk = KeypadDesk(self.engine, config, self.now)
            master = BusMaster(SerialLine(config.url, config.baud), config.counters, desk,
                               seen=desk.seen_presses(), cycle_s=self.cycle_s)
            master.after_cycle = _dispatcher(desk, master)
            self.desks.append(desk)
            self.masters.append(master)

    def start(self) -> None:
        for master in self.masters:
            master.start()
        self._stop_watching.clear()
        self._watcher = threading.Thread(target=self._watch, name="keypad-config-watch",
                                         daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stop_watching.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None
        for master in self.masters:
            master.stop()

    def reload_if_changed(self) -> bool:
        """Rebuild the bus masters if the stored configuration changed; True if so."""
        with unit_of_work(self.engine) as session:
            configs = port_configs(session, self.station)
        if configs == self.configs:
            return False
        log.info("keypad configuration changed: restarting the bus masters")
        for master in self.masters:
            master.stop()
        self.configs = configs
        self._build()
        for master in self.masters:
            master.start()
        return True

    def _watch(self) -> None:
        while not self._stop_watching.wait(self.config_check_s):
            try:
                self.reload_if_changed()
            except Exception:  # the database may be briefly unavailable: next check
                log.exception("keypad configuration check failed")


def _dispatcher(desk: KeypadDesk, master: BusMaster) -> Callable[[], None]:
    def after_cycle() -> None:
        try:
            requests = desk.sweep()
        except Exception:  # the database may be briefly unavailable: try next cycle
            log.exception("rating sweep failed")
            return
        for address, session_id, timeout_s in requests:
            future = master.request_rating(address, session_id, timeout_s)
            future.add_done_callback(_report_sent(desk, session_id))
    return after_cycle


def _report_sent(desk: KeypadDesk, session_id: int) -> Callable[[Future[Frame]], None]:
    def done(future: Future[Frame]) -> None:
        desk.request_sent(session_id, future.exception())
    return done


__all__ = ["KeypadDesk", "KeypadService"]
