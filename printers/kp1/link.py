"""The host side of one KP1 serial port, below the bus master: bytes, then exchanges.

- :class:`SerialLine` only moves bytes (pyserial ``serial_for_url``, so a device path,
  a pty, ``socket://`` or ``spy://`` all work) and turns every pyserial/OS failure into
  a :class:`~printers.errors.DeviceError` naming the port and what to check;
- :class:`Kp1Link` does one request/reply exchange at a time: SEQ per keypad, 50 ms
  reply timeout, 2 retries with the same SEQ, 4 ms inter-byte gap, NAKs.

Both are usable alone (``kiosk keypad ping``, a technician's ``set-address``); the poll
cycle over every keypad is :class:`printers.kp1.bus.BusMaster`.
"""

from __future__ import annotations

import contextlib
import random
import termios
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import serial

from printers.env import seconds_from_env
from printers.errors import DeviceError
from printers.kp1 import codec as kp1
from printers.kp1.codec import Command, Frame, FrameHunter, KeyEvent, KeypadInfo, NakCode, PollReply

# Bytes a read waits for at most before the loop looks at its deadlines again.
_READ_SLICE_S = 0.002

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


REPLY_WAIT_ENV = "KIOSK_KP1_REPLY_TIMEOUT_S"


def reply_wait_s() -> float:
    """How long a link waits for each reply: the spec's :data:`~printers.kp1.codec.
    REPLY_TIMEOUT_S`, or ``KIOSK_KP1_REPLY_TIMEOUT_S`` where keypads answer later than a
    microcontroller does: behind a slow USB adapter, or simulated by a thread of a
    busy process (the test suite sets it). Keep it under a third of
    :data:`~printers.kp1.presses.REDELIVERY_SLACK_S`: a retried reply is that late."""
    return seconds_from_env(REPLY_WAIT_ENV, kp1.REPLY_TIMEOUT_S)


class Kp1Link:
    """Request/reply exchanges with the keypads on one line, one at a time."""

    def __init__(self, line: SerialLine, *, reply_timeout_s: float | None = None,
                 retries: int = kp1.RETRIES) -> None:
        self.line = line
        self.reply_timeout_s = reply_wait_s() if reply_timeout_s is None else reply_timeout_s
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


__all__ = ["Kp1Link", "LineFailure", "LinkStats", "Nak", "NoReply", "SerialLine"]
