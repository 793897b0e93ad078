"""The KP1 bus master: the host side of the keypad protocol over one serial port.

Three layers, each usable alone:

- :class:`SerialLine` only moves bytes (pyserial ``serial_for_url``, so a device path,
  a pty, ``socket://`` or ``spy://`` all work) and turns every pyserial/OS failure into
  a :class:`~kiosk.errors.DeviceError` naming the port and what to check;
- :class:`Kp1Link` does one request/reply exchange at a time: SEQ per keypad, 50 ms
  reply timeout, 2 retries with the same SEQ, 4 ms inter-byte gap, NAKs;
- :class:`BusMaster` runs the poll cycle over every configured address: online and
  offline (3 missed cycles), restart/voice/stuck flags, at-least-once events with
  duplicates dropped by (address, event id) until the keypad restarts, and commands
  other threads queue for a keypad (REQUEST_RATING, IDLE).

What a key press *means* (a rating, a call-next) is not decided here: the master hands
events to a :class:`BusListener` (``kiosk.devices.keypads`` for the branch service, a JSON
printer for ``kiosk keypad listen``).
"""

from __future__ import annotations

import contextlib
import logging
import random
import termios
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, Protocol

import serial

from printers.errors import DeviceError
from printers.kp1 import codec as kp1
from printers.kp1.codec import Command, Frame, FrameHunter, KeyEvent, KeypadInfo, NakCode, PollReply

log = logging.getLogger(__name__)

# Bytes a read waits for at most before the loop looks at its deadlines again.
_READ_SLICE_S = 0.002
# Event ids remembered per keypad for duplicate removal; a redelivery follows a lost
# ACK within a cycle or two, and ids wrap at 65535, so a short window is right.
SEEN_WINDOW = 64
# Events fetched from one keypad per cycle, so one busy keypad cannot starve the rest.
EVENTS_PER_CYCLE = 4
# Cycles a queued command is tried again after NAK 4 (busy: "try again next cycle")
# before it fails; a rating request goes stale long before a keypad stops being busy.
BUSY_RETRY_CYCLES = 3
DEFAULT_CYCLE_S = 0.1
_REOPEN_BACKOFF_S = (0.2, 0.5, 1.0, 2.0, 5.0)

_PORT_HINT = ("check the cable and power of the keypads, that the port exists and that the "
              "kiosk user is in group dialout")


class LineFailure(DeviceError):
    """The serial port itself failed (unplugged, vanished, permission)."""


class NoReply(DeviceError):
    """The keypad did not answer after the retries."""


class Nak(DeviceError):
    """The keypad answered with a NAK; ``nak_code`` says why (see :class:`NakCode`)."""

    def __init__(self, zh: str, en: str, *, port: str, nak_code: int) -> None:
        super().__init__(zh, en, port=port, code="keypad_nak")
        self.nak_code = nak_code


class SerialLine:
    """Bytes to and from one serial port; nothing about KP1."""

    def __init__(self, url: str, baud: int = 9600) -> None:
        self.url = url
        self.baud = baud
        self._port: Any = None

    def open(self) -> None:
        try:
            self._port = serial.serial_for_url(
                self.url, baudrate=self.baud, bytesize=8, parity="N", stopbits=1,
                timeout=_READ_SLICE_S, write_timeout=0.5)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise LineFailure(f"无法打开评价器串口 {self.url}",
                              f"cannot open the keypad port {self.url}: {exc}",
                              port=self.url, hint=_PORT_HINT, code="port_open") from exc

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            # an unplugged port may fail to close; it is gone either way
            with contextlib.suppress(serial.SerialException, OSError, termios.error):
                port.close()

    def write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except (serial.SerialException, OSError, termios.error, AttributeError) as exc:
            raise self._lost(exc) from exc

    def read(self, max_wait_s: float) -> bytes:
        """Bytes that arrive within ``max_wait_s`` (returns as soon as any arrive)."""
        deadline = time.monotonic() + max(0.0, max_wait_s)
        try:
            while True:
                chunk: bytes = self._port.read(max(1, self._port.in_waiting))
                if chunk or time.monotonic() >= deadline:
                    return chunk
        except (serial.SerialException, OSError, termios.error, AttributeError) as exc:
            raise self._lost(exc) from exc

    def _lost(self, exc: BaseException) -> LineFailure:
        return LineFailure(f"评价器串口 {self.url} 中断", f"keypad port {self.url} failed: {exc}",
                           port=self.url, hint=_PORT_HINT, code="port_lost")


@dataclass
class LinkStats:
    requests: int = 0
    retries: int = 0
    no_replies: int = 0
    naks: int = 0
    stray_frames: int = 0


class Kp1Link:
    """Request/reply exchanges with the keypads on one line, one at a time."""

    def __init__(self, line: SerialLine, *, reply_timeout_s: float = kp1.REPLY_TIMEOUT_S,
                 retries: int = kp1.RETRIES) -> None:
        self.line = line
        self.reply_timeout_s = reply_timeout_s
        self.retries = retries
        self.hunter = FrameHunter()
        self.stats = LinkStats()
        # SEQ per keypad: one global counter could hand a keypad the very SEQ of its
        # previous request after 256 requests, and the keypad would take it as a retry.
        # A random start keeps a restarted host from repeating the last SEQ it sent.
        self._seq: dict[int, int] = {}

    def _next_seq(self, address: int) -> int:
        if address not in self._seq:
            self._seq[address] = random.randrange(256)
        seq = (self._seq[address] + 1) & 0xFF
        self._seq[address] = seq
        return seq

    def exchange(self, address: int, command: int, data: bytes = b"", *,
                 reply_from: int | None = None) -> Frame:
        """Send a request and return its reply; retries with the same SEQ on silence.

        ``reply_from`` is the address the answer comes from when it is not the one
        asked (SET_ADDR goes to broadcast and is answered from the new address).
        Raises :class:`NoReply` after the retries, :class:`Nak` on a NAK other than
        bad CRC (a keypad that saw a corrupted request has not acted: it is retried)."""
        request = Frame(address, command, self._next_seq(address), data)
        expected = Frame(address if reply_from is None else reply_from, command, request.seq)
        wire = request.encode()
        self.stats.requests += 1
        nak: Frame | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.stats.retries += 1
            self.hunter.silence()  # nothing before our request belongs to its reply
            self.line.write(wire)
            reply = self._await_reply(expected)
            if reply is None:
                continue
            if reply.is_nak and reply.nak_code == NakCode.BAD_CRC:
                nak = reply
                continue
            if reply.is_nak:
                self.stats.naks += 1
                raise _nak(self.line.url, address, command, reply.nak_code)
            return reply
        if nak is not None:
            self.stats.naks += 1
            raise _nak(self.line.url, address, command, nak.nak_code)
        self.stats.no_replies += 1
        raise NoReply(f"评价器 {address} 无应答", f"keypad {address} did not answer "
                      f"{_command_name(command)} after {self.retries + 1} tries",
                      port=self.line.url,
                      hint=f"check that a keypad with address {address} is on this bus, "
                           "powered, and set to the bus baud rate", code="keypad_silent")

    def broadcast(self, command: int, data: bytes = b"") -> None:
        """A request every keypad acts on and none answers."""
        self.line.write(Frame(kp1.BROADCAST, command, self._next_seq(kp1.BROADCAST),
                              data).encode())

    def _await_reply(self, request: Frame) -> Frame | None:
        deadline = time.monotonic() + self.reply_timeout_s
        # A reply begun before the deadline may finish after it, but no later than one
        # longest frame's line time: a line that babbles without a 4 ms gap must not
        # hold the exchange (and the whole bus) for as long as it babbles.
        longest_frame_s = (kp1.HEADER_LEN + kp1.MAX_DATA + 2) * 10 / self.line.baud
        hard_deadline = deadline + longest_frame_s
        last_byte = 0.0
        while True:
            now = time.monotonic()
            if now >= hard_deadline:
                return self._match(request, self.hunter.silence())
            if self.hunter.partial:
                gap_left = kp1.INTER_BYTE_GAP_S - (now - last_byte)
                if gap_left <= 0:
                    found = self._match(request, self.hunter.silence())
                    if found is not None:
                        return found
                    continue
                wait = min(gap_left, hard_deadline - now)
            else:
                if now >= deadline:
                    return None
                wait = deadline - now
            chunk = self.line.read(wait)
            if chunk:
                last_byte = time.monotonic()
                found = self._match(request, self.hunter.feed(chunk))
                if found is not None:
                    return found

    def _match(self, request: Frame, frames: Iterable[Frame]) -> Frame | None:
        for frame in frames:
            if (frame.address == request.address and frame.seq == request.seq
                    and frame.command in (request.command | kp1.REPLY, kp1.NAK)):
                return frame
            self.stats.stray_frames += 1
        return None

    # ----- the commands ----------------------------------------------------------

    def poll(self, address: int) -> PollReply:
        return PollReply.decode(self.exchange(address, Command.POLL).data)

    def get_event(self, address: int) -> KeyEvent | None:
        return KeyEvent.decode(self.exchange(address, Command.GET_EVENT).data)

    def ack_event(self, address: int, event_id: int) -> None:
        self.exchange(address, Command.ACK_EVENT, kp1.ack_event_data(event_id))

    def request_rating(self, address: int, session: int, timeout_s: int,
                       prompt: int = kp1.Prompt.PLEASE_RATE) -> None:
        self.exchange(address, Command.REQUEST_RATING,
                      kp1.request_rating_data(session, timeout_s, prompt))

    def idle(self, address: int, prompt: int = kp1.Prompt.NONE) -> None:
        self.exchange(address, Command.IDLE, bytes((prompt,)))

    def get_info(self, address: int) -> KeypadInfo:
        return KeypadInfo.decode(self.exchange(address, Command.GET_INFO).data)

    def set_address(self, serial_number: str, new_address: int) -> None:
        """Give the keypad with this serial number a new address (a technician's job)."""
        self.exchange(kp1.BROADCAST, Command.SET_ADDR,
                      kp1.set_addr_data(serial_number, new_address), reply_from=new_address)


def _command_name(command: int) -> str:
    try:
        return Command(command).name
    except ValueError:
        return f"0x{command:02X}"


def _nak(port: str, address: int, command: int, code: int | None) -> Nak:
    reasons: dict[int, tuple[str, str]] = {NakCode.BAD_CRC: ("校验错误", "bad CRC"),
               NakCode.UNKNOWN_COMMAND: ("未知命令", "unknown command"),
               NakCode.BAD_LENGTH: ("长度错误", "bad length"),
               NakCode.BUSY: ("忙", "busy"),
               NakCode.UNKNOWN_EVENT: ("未知事件号", "unknown event id")}
    zh, en = reasons.get(code or 0, ("未知错误", f"error {code}"))
    return Nak(f"评价器 {address} 拒绝命令 {_command_name(command)}：{zh}",
               f"keypad {address} refused {_command_name(command)}: {en}",
               port=port, nak_code=code or 0)


# ----- the bus master ------------------------------------------------------------------


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
    seen: deque[int] = field(default_factory=lambda: deque(maxlen=SEEN_WINDOW))
    outbox: deque[tuple[int, bytes, Future[Frame]]] = field(default_factory=deque)
    busy_cycles: int = 0  # cycles the head of the outbox was refused busy


class BusMaster:
    """Polls every keypad of one port in turn, on its own thread or cycle by cycle.

    Args:
        line: the port (opened by the master).
        addresses: keypad addresses on this port.
        listener: receives key events and device events.
        seen: event ids already handled per address since the keypad's last restart
            (from the database), so a restarted host does not take a redelivery as new.
        cycle_s: shortest time between the starts of two cycles.
    """

    def __init__(self, line: SerialLine, addresses: Iterable[int], listener: BusListener, *,
                 seen: Mapping[int, Iterable[int]] | None = None,
                 cycle_s: float = DEFAULT_CYCLE_S,
                 after_cycle: Callable[[], None] | None = None) -> None:
        self.line = line
        self.link = Kp1Link(line)
        self.listener = listener
        self.cycle_s = cycle_s
        self.after_cycle = after_cycle
        self.keypads = {a: KeypadLine(a) for a in sorted(set(addresses))}
        for address, ids in (seen or {}).items():
            if address in self.keypads:
                self.keypads[address].seen.extend(ids)
        self.cycles = 0
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
        for keypad in self.keypads.values():
            self._serve(keypad)
        self.cycles += 1

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
            # Event ids start again at 1: an old id is no longer a duplicate.
            keypad.seen.clear()
            self._tell(keypad.address, "restarted")
        if poll.voice_fault != (before.voice_fault if before else False):
            self._tell(keypad.address,
                                       "voice_fault" if poll.voice_fault else "voice_ok")
        if poll.key_stuck != (before.key_stuck if before else False):
            self._tell(keypad.address,
                                       "key_stuck" if poll.key_stuck else "key_released")

    def _fetch_events(self, keypad: KeypadLine, count: int) -> None:
        for _ in range(count):
            try:
                event = self.link.get_event(keypad.address)
            except (NoReply, Nak, kp1.ProtocolError) as exc:
                self._tell(keypad.address, "bad_reply", _text(exc))
                return
            if event is None:
                return
            if event.event_id in keypad.seen:
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
                keypad.seen.append(event.event_id)
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


__all__ = ["BusListener", "BusMaster", "KeypadLine", "Kp1Link", "LineFailure", "Nak", "NoReply",
           "SerialLine"]
