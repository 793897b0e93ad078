"""The KP1 bus master: the poll cycle over every keypad of one serial port.

:class:`BusMaster` serves every configured address in turn through a
:class:`~printers.kp1.link.Kp1Link`: online and offline (3 missed cycles),
restart/voice/stuck flags, at-least-once events with re-deliveries dropped (same id,
session, key and press instant: :mod:`printers.kp1.presses`), and commands other
threads queue for a keypad (REQUEST_RATING, IDLE). It reopens a lost port with a growing backoff.

What a key press *means* (a rating, a call-next) is not decided here: the master hands
events to a :class:`BusListener` (``kiosk.devices.keypads`` for the branch service, a JSON
printer for ``kiosk keypad listen``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Protocol

from printers.errors import DeviceError
from printers.kp1 import codec as kp1
from printers.kp1.codec import Command, Frame, KeyEvent, NakCode, PollReply
from printers.kp1.link import Kp1Link, LineFailure, Nak, NoReply, SerialLine
from printers.kp1.presses import REDELIVERY_SLACK_S, Press, PressMemory

log = logging.getLogger(__name__)

# Events fetched from one keypad per cycle, so one busy keypad cannot starve the rest.
EVENTS_PER_CYCLE = 4
# Cycles a queued command is tried again after NAK 4 (busy: "try again next cycle")
# before it fails; a rating request goes stale long before a keypad stops being busy.
BUSY_RETRY_CYCLES = 3
DEFAULT_CYCLE_S = 0.1
_REOPEN_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)


class BusListener(Protocol):
    """What the bus master reports. Called on the bus thread; keep it short."""

    def key_pressed(self, address: int, event: KeyEvent) -> None:
        """A new (not duplicate) key event. Raise to leave it unacknowledged: the
        keypad keeps it and it is offered again next cycle."""

    def device_event(self, address: int, kind: str, detail: str = "") -> None:
        """``online``, ``offline``, ``back_online``, ``restarted``, ``voice_fault``,
        ``voice_ok``, ``key_stuck``, ``key_released``, ``nak``, ``bad_reply``,
        ``port_lost``, ``port_back``, ``duplicate`` (address 0: the port itself)."""


@dataclass
class KeypadLine:
    """What the master knows of one keypad."""

    address: int
    online: bool | None = None  # None until it first answers or is first counted offline
    missed: int = 0
    last_poll: PollReply | None = None
    seen: PressMemory = field(default_factory=PressMemory)
    outbox: deque[tuple[int, bytes, Future[Frame]]] = field(default_factory=deque)
    busy_cycles: int = 0  # cycles the head of the outbox was refused busy


class BusMaster:
    """Polls every keypad of one port in turn, on its own thread or cycle by cycle.

    Args:
        line: the port (opened by the master).
        addresses: keypad addresses on this port.
        listener: receives key events and device events.
        seen: presses already handled per address since the keypad's last restart
            (from the database, :meth:`Press.stored`), so a restarted host does not
            take a redelivery as new.
        cycle_s: shortest time between the starts of two cycles.
    """

    def __init__(self, line: SerialLine, addresses: Iterable[int], listener: BusListener, *,
                 seen: Mapping[int, Iterable[Press]] | None = None,
                 cycle_s: float = DEFAULT_CYCLE_S,
                 after_cycle: Callable[[], None] | None = None) -> None:
        self.line = line
        self.link = Kp1Link(line)
        self.listener = listener
        self.cycle_s = cycle_s
        self.after_cycle = after_cycle
        self.keypads = {a: KeypadLine(a) for a in sorted(set(addresses))}
        for address, presses in (seen or {}).items():
            if address in self.keypads:
                for press in presses:
                    self.keypads[address].seen.remember(press)
        self.cycles = 0
        self.last_cycle_s = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # ----- commands from other threads -----------------------------------------------

    def submit(self, address: int, command: int, data: bytes = b"") -> Future[Frame]:
        """Queue a command for ``address``; sent at its turn in the next cycle."""
        future: Future[Frame] = Future()
        if address not in self.keypads:
            future.set_exception(KeyError(address))
            return future
        with self._lock:
            self.keypads[address].outbox.append((command, data, future))
        return future

    def request_rating(self, address: int, session: int, timeout_s: int,
                       prompt: int = kp1.Prompt.PLEASE_RATE) -> Future[Frame]:
        return self.submit(address, Command.REQUEST_RATING,
                           kp1.request_rating_data(session, timeout_s, prompt))

    # ----- the cycle -------------------------------------------------------------

    def cycle(self) -> None:
        """Serve every keypad once. Raises :class:`LineFailure` if the port fails."""
        if not self.line.is_open:
            self.line.open()
        started = time.monotonic()
        for keypad in self.keypads.values():
            self._serve(keypad)
        self.cycles += 1
        self.last_cycle_s = time.monotonic() - started

    def _serve(self, keypad: KeypadLine) -> None:
        self._send_outbox(keypad)
        try:
            poll = self.link.poll(keypad.address)
        except NoReply:
            self._missed(keypad)
            return
        except Nak as exc:
            self._answered(keypad)
            self._tell(keypad.address, "nak", exc.en)
            return
        except kp1.ProtocolError as exc:
            self._tell(keypad.address, "bad_reply", str(exc))
            return
        self._answered(keypad)
        self._flags(keypad, poll)
        if poll.pending:
            self._fetch_events(keypad, min(poll.pending, EVENTS_PER_CYCLE))

    def _send_outbox(self, keypad: KeypadLine) -> None:
        while True:
            with self._lock:
                if not keypad.outbox:
                    return
                command, data, future = keypad.outbox.popleft()
            if not future.running() and not future.set_running_or_notify_cancel():
                continue
            try:
                reply = self.link.exchange(keypad.address, command, data)
            except Nak as exc:
                if exc.nak_code == NakCode.BUSY and keypad.busy_cycles < BUSY_RETRY_CYCLES:
                    # not acted on: the same command again at the keypad's next turn
                    keypad.busy_cycles += 1
                    with self._lock:
                        keypad.outbox.appendleft((command, data, future))
                    return
                keypad.busy_cycles = 0
                future.set_exception(exc)
            except DeviceError as exc:
                keypad.busy_cycles = 0
                future.set_exception(exc)
                if isinstance(exc, LineFailure):
                    raise
            else:
                keypad.busy_cycles = 0
                future.set_result(reply)

    def _answered(self, keypad: KeypadLine) -> None:
        if keypad.online is False:
            self._tell(keypad.address, "back_online")
        elif keypad.online is None:
            self._tell(keypad.address, "online")
        keypad.online, keypad.missed = True, 0

    def _missed(self, keypad: KeypadLine) -> None:
        keypad.missed += 1
        if keypad.missed >= kp1.OFFLINE_AFTER_MISSED_CYCLES and keypad.online is not False:
            keypad.online = False
            self._tell(keypad.address, "offline",
                                       f"no answer in {keypad.missed} cycles")

    def _flags(self, keypad: KeypadLine, poll: PollReply) -> None:
        before = keypad.last_poll
        keypad.last_poll = poll
        if poll.restarted:
            self._restarted(keypad)
        if poll.voice_fault != (before.voice_fault if before else False):
            self._tell(keypad.address,
                                       "voice_fault" if poll.voice_fault else "voice_ok")
        if poll.key_stuck != (before.key_stuck if before else False):
            self._tell(keypad.address,
                                       "key_stuck" if poll.key_stuck else "key_released")

    def _restarted(self, keypad: KeypadLine, detail: str = "") -> None:
        keypad.seen.forget()  # event ids start again at 1: an old id is no longer a duplicate
        self._tell(keypad.address, "restarted", detail)

    def redelivery_slack_s(self) -> float:
        """How far apart two readings of one press instant may lie: the delay of one
        reply (:data:`REDELIVERY_SLACK_S`), or a whole poll cycle when cycles run long."""
        return max(REDELIVERY_SLACK_S, self.last_cycle_s)

    def _fetch_events(self, keypad: KeypadLine, count: int) -> None:
        for _ in range(count):
            try:
                event = self.link.get_event(keypad.address)
            except (NoReply, Nak, kp1.ProtocolError) as exc:
                self._tell(keypad.address, "bad_reply", _text(exc))
                return
            if event is None:
                return
            press = Press.received(event, time.monotonic())
            verdict = keypad.seen.judge(press, self.redelivery_slack_s())
            if verdict == "restarted":
                # The POLL reply carrying the restart flag was lost: the id is reused.
                self._restarted(keypad, f"not reported: event {event.event_id} is a new press")
            if verdict == "redelivery":
                self._tell(keypad.address, "duplicate",
                                           f"event {event.event_id} again (ACK lost)")
            else:
                try:
                    self.listener.key_pressed(keypad.address, event)
                except LineFailure:
                    raise
                except Exception as exc:  # the listener could not keep it: no ACK
                    log.exception("keypad %s event %s not recorded", keypad.address,
                                  event.event_id)
                    self._tell(keypad.address, "not_recorded", _text(exc))
                    return
                keypad.seen.remember(press)
            try:
                self.link.ack_event(keypad.address, event.event_id)
            except (NoReply, Nak) as exc:
                # Unacknowledged: it comes back next cycle and is dropped as a duplicate.
                self._tell(keypad.address, "bad_reply", exc.en)
                return

    def _line_lost(self, exc: DeviceError) -> None:
        self.line.close()
        self._tell(0, "port_lost", exc.en)
        for keypad in self.keypads.values():
            with self._lock:
                pending, keypad.outbox = list(keypad.outbox), deque()
            keypad.busy_cycles = 0
            for _command, _data, future in pending:
                if future.running() or future.set_running_or_notify_cancel():
                    future.set_exception(exc)
            if keypad.online is not False:
                keypad.online = False
                self._tell(keypad.address, "offline", "port lost")

    def _tell(self, address: int, kind: str, detail: str = "") -> None:
        """Report a device event; a listener failure (database down) is logged, never
        allowed to stop the bus."""
        try:
            self.listener.device_event(address, kind, detail)
        except Exception:
            log.exception("keypad %s: device event %s not recorded", address, kind)

    # ----- running ---------------------------------------------------------------

    def run(self, stop: threading.Event | None = None) -> None:
        """Cycle until ``stop`` (or :meth:`stop`); reopens a lost port with backoff."""
        stop = stop or self._stop
        failures = 0
        while not stop.is_set():
            started = time.monotonic()
            try:
                self.cycle()
                if failures:
                    self._tell(0, "port_back", self.line.url)
                failures = 0
            except LineFailure as exc:
                if failures == 0:
                    self._line_lost(exc)
                self.line.close()
                delay = _REOPEN_BACKOFF_S[min(failures, len(_REOPEN_BACKOFF_S) - 1)]
                failures += 1
                stop.wait(delay)
                continue
            except Exception:  # never let one bad cycle end the bus: log, go on
                log.exception("keypad bus %s: cycle failed", self.line.url)
            if self.after_cycle is not None:
                self.after_cycle()
            stop.wait(max(0.0, self.cycle_s - (time.monotonic() - started)))
        self.line.close()

    def start(self) -> None:
        """Run on a background thread until :meth:`stop`."""
        self._stop.clear()
        self._thread = threading.Thread(target=self.run, args=(self._stop,),
                                        name=f"kp1-bus {self.line.url}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and close the port; waits for the cycle in progress."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                raise RuntimeError(f"bus master of {self.line.url} did not stop")
            self._thread = None

    def online(self, address: int) -> bool | None:
        return self.keypads[address].online


def _text(exc: BaseException) -> str:
    return exc.en if isinstance(exc, DeviceError) else str(exc)


__all__ = ["BusListener", "BusMaster", "KeypadLine"]
