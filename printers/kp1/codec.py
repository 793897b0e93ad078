"""KP1, the serial protocol of the counter rating keypads: a pure codec.

Bytes in, frames out and back; no port, no clock, no thread. The bus master
(:mod:`printers.kp1.bus`) and the fake keypad (:mod:`printers.simulators.keypad`) both
build on it, so host and simulator cannot disagree about the wire format.

Frame: ``A5 ADDR CMD SEQ LEN DATA… CRC16`` where the CRC is CRC-16/MODBUS over
ADDR..DATA, low byte first (see ``shared/hardware/keypad-protocol-KP1.md``).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import IntEnum

START = 0xA5
BROADCAST = 0x00
MAX_ADDRESS = 0x1F
MAX_DATA = 32
REPLY = 0x80
NAK = 0xFF
HEADER_LEN = 5  # start, address, command, seq, length
MAX_QUEUE = 16

# Line timing the host and the keypad agree on.
REPLY_TIMEOUT_S = 0.050
RETRIES = 2
INTER_BYTE_GAP_S = 0.004
OFFLINE_AFTER_MISSED_CYCLES = 3
KEYPAD_SILENCE_IDLE_S = 10.0
THANKS_S = 3.0
DEFAULT_RATING_TIMEOUT_S = 30


class Command(IntEnum):
    POLL = 0x01
    REQUEST_RATING = 0x02
    IDLE = 0x03
    GET_EVENT = 0x04
    ACK_EVENT = 0x05
    GET_INFO = 0x07
    SET_ADDR = 0x08


class NakCode(IntEnum):
    BAD_CRC = 1
    UNKNOWN_COMMAND = 2
    BAD_LENGTH = 3
    BUSY = 4
    UNKNOWN_EVENT = 5


class KeypadState(IntEnum):
    IDLE = 0
    WAITING = 1
    THANKING = 2


class Prompt(IntEnum):
    NONE = 0
    WELCOME = 1  # 您好，欢迎光临
    PLEASE_RATE = 2  # 请您对本次服务进行评价
    THANK_YOU = 3  # 谢谢您的评价


FLAG_RESTARTED = 0x01
FLAG_VOICE_FAULT = 0x02
FLAG_KEY_STUCK = 0x04

KEY_NO_RATING = 0x00
KEY_CALL_NEXT = 0x10
KEY_RECALL = 0x11
KEY_PAUSE_RESUME = 0x12
KEY_FINISH = 0x13

# Rating keys and the names the CLI, the database and the reports use.
RATING_NAMES: dict[int, str] = {
    0x00: "none",
    0x01: "very_satisfied",
    0x02: "satisfied",
    0x03: "neutral",
    0x04: "dissatisfied",
    0x05: "very_dissatisfied",
}
FUNCTION_NAMES: dict[int, str] = {
    KEY_CALL_NEXT: "call_next",
    KEY_RECALL: "recall",
    KEY_PAUSE_RESUME: "pause_resume",
    KEY_FINISH: "finish",
}
KEY_NAMES: dict[int, str] = {**RATING_NAMES, **FUNCTION_NAMES}

# The DATA length each command carries (requests), checked by both ends.
REQUEST_LENGTHS: dict[int, int] = {
    Command.POLL: 0, Command.REQUEST_RATING: 6, Command.IDLE: 1, Command.GET_EVENT: 0,
    Command.ACK_EVENT: 2, Command.GET_INFO: 0, Command.SET_ADDR: 9,
}


class ProtocolError(ValueError):
    """A reply that is a well-formed frame but not what the command promises."""


def crc16_modbus(data: bytes) -> int:
    """CRC-16/MODBUS: reflected poly 0xA001, init 0xFFFF (``b"123456789"`` → 0x4B37)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@dataclass(frozen=True)
class Frame:
    """One KP1 frame. ``command`` is the raw byte (a reply has bit 7 set, NAK is 0xFF)."""

    address: int
    command: int
    seq: int
    data: bytes = b""

    def encode(self) -> bytes:
        """The frame on the wire, CRC included."""
        if not 0 <= self.address <= MAX_ADDRESS:
            raise ValueError(f"address {self.address} outside 0..{MAX_ADDRESS}")
        if len(self.data) > MAX_DATA:
            raise ValueError(f"{len(self.data)} data bytes; at most {MAX_DATA}")
        body = bytes((self.address, self.command & 0xFF, self.seq & 0xFF, len(self.data)))
        body += self.data
        return bytes((START,)) + body + struct.pack("<H", crc16_modbus(body))

    @property
    def is_nak(self) -> bool:
        return self.command == NAK

    @property
    def nak_code(self) -> int | None:
        """The error byte of a NAK (None for any other frame)."""
        return self.data[0] if self.is_nak and self.data else None

    def reply(self, data: bytes = b"") -> Frame:
        """The keypad's answer to this request (same address and SEQ)."""
        return Frame(self.address, self.command | REPLY, self.seq, data)

    def nak(self, code: int) -> Frame:
        return Frame(self.address, NAK, self.seq, bytes((code,)))


class FrameHunter:
    """Turns a byte stream into frames, as a receiver on the bus must.

    Skips bytes until 0xA5; a frame whose CRC is wrong or whose LEN is over 32 loses
    only its 0xA5 and hunting goes on from the next byte, so a real frame hidden
    behind garbage is still found. The owner calls :meth:`silence` after 4 ms without
    a byte: a partial frame is then discarded (the clock is the transport's).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.bad_crc = 0
        self.framing_errors = 0
        self.skipped_bytes = 0
        self.discarded_partials = 0

    @property
    def partial(self) -> bool:
        """True while bytes of an unfinished frame are held."""
        return bool(self._buffer)

    def feed(self, data: bytes) -> list[Frame]:
        """Add received bytes; return every complete, CRC-checked frame in order."""
        self._buffer += data
        frames: list[Frame] = []
        while True:
            start = self._buffer.find(START)
            if start < 0:
                self.skipped_bytes += len(self._buffer)
                self._buffer.clear()
                return frames
            if start:
                self.skipped_bytes += start
                del self._buffer[:start]
            if len(self._buffer) < HEADER_LEN:
                return frames
            length = self._buffer[4]
            if length > MAX_DATA:
                self.framing_errors += 1
                del self._buffer[:1]
                continue
            total = HEADER_LEN + length + 2
            if len(self._buffer) < total:
                return frames
            body = bytes(self._buffer[1:HEADER_LEN + length])
            (crc,) = struct.unpack_from("<H", self._buffer, HEADER_LEN + length)
            if crc != crc16_modbus(body):
                self.bad_crc += 1
                del self._buffer[:1]
                continue
            del self._buffer[:total]
            frames.append(Frame(body[0], body[1], body[2], body[4:]))

    def silence(self) -> list[Frame]:
        """4 ms passed without a byte: drop the partial frame.

        Bytes after a false 0xA5 may still hold a whole frame, so the held bytes are
        hunted once more without that 0xA5 before they go."""
        if not self._buffer:
            return []
        held = bytes(self._buffer[1:])
        self._buffer.clear()
        self.discarded_partials += 1
        frames = self.feed(held)
        if self._buffer:
            self._buffer.clear()
        return frames


# ----- DATA of each command ----------------------------------------------------------


@dataclass(frozen=True)
class PollReply:
    state: int
    pending: int
    flags: int

    @property
    def restarted(self) -> bool:
        return bool(self.flags & FLAG_RESTARTED)

    @property
    def voice_fault(self) -> bool:
        return bool(self.flags & FLAG_VOICE_FAULT)

    @property
    def key_stuck(self) -> bool:
        return bool(self.flags & FLAG_KEY_STUCK)

    def encode(self) -> bytes:
        return bytes((self.state, self.pending, self.flags))

    @classmethod
    def decode(cls, data: bytes) -> PollReply:
        _expect_length("POLL", data, 3)
        return cls(data[0], data[1], data[2])


@dataclass(frozen=True)
class KeyEvent:
    """A key press as the keypad reports it. ``session`` 0: nobody asked for it."""

    event_id: int
    session: int
    key: int
    age_ms: int

    @property
    def key_name(self) -> str:
        return KEY_NAMES.get(self.key, f"unknown_0x{self.key:02x}")

    @property
    def is_rating(self) -> bool:
        return self.key in RATING_NAMES

    @property
    def is_function(self) -> bool:
        return self.key in FUNCTION_NAMES

    def encode(self) -> bytes:
        return struct.pack("<HIBH", self.event_id, self.session, self.key,
                           min(self.age_ms, 0xFFFF))

    @classmethod
    def decode(cls, data: bytes) -> KeyEvent | None:
        """The event of a GET_EVENT reply; None when the keypad had none."""
        if not data:
            return None
        _expect_length("GET_EVENT", data, 9)
        event_id, session, key, age_ms = struct.unpack("<HIBH", data)
        return cls(event_id, session, key, age_ms)


@dataclass(frozen=True)
class KeypadInfo:
    model: str
    firmware: int
    serial: str
    keys: int

    def encode(self) -> bytes:
        return (_ascii8(self.model) + struct.pack("<H", self.firmware)
                + _ascii8(self.serial) + bytes((self.keys,)))

    @classmethod
    def decode(cls, data: bytes) -> KeypadInfo:
        _expect_length("GET_INFO", data, 19)
        model = data[0:8].decode("ascii", "replace").rstrip()
        (firmware,) = struct.unpack_from("<H", data, 8)
        serial = data[10:18].decode("ascii", "replace").rstrip()
        return cls(model, firmware, serial, data[18])


def request_rating_data(session: int, timeout_s: int, prompt: int = Prompt.PLEASE_RATE) -> bytes:
    """DATA of REQUEST_RATING: session u32, timeout u8 (0 = 30 s), prompt u8."""
    if not 0 < session <= 0xFFFFFFFF:
        raise ValueError(f"session {session} outside 1..2^32-1")
    return struct.pack("<IBB", session, max(0, min(timeout_s, 255)), prompt)


def decode_request_rating(data: bytes) -> tuple[int, int, int]:
    """(session, timeout_s, prompt) of a REQUEST_RATING."""
    session, timeout_s, prompt = struct.unpack("<IBB", data)
    return session, timeout_s, prompt


def ack_event_data(event_id: int) -> bytes:
    return struct.pack("<H", event_id)


def decode_ack_event(data: bytes) -> int:
    (event_id,) = struct.unpack("<H", data)
    return int(event_id)


def set_addr_data(serial: str, new_address: int) -> bytes:
    return _ascii8(serial) + bytes((new_address,))


def _ascii8(text: str) -> bytes:
    return text.encode("ascii", "replace")[:8].ljust(8, b" ")


def _expect_length(name: str, data: bytes, length: int) -> None:
    if len(data) != length:
        raise ProtocolError(f"{name} reply has {len(data)} data bytes, expected {length}")


def hex_bytes(data: bytes) -> str:
    """``A5 03 01 …`` as the spec writes frames (for logs and diagnostics)."""
    return " ".join(f"{b:02X}" for b in data)


def parse_hex(text: str) -> bytes:
    """Inverse of :func:`hex_bytes`; spaces optional."""
    return bytes.fromhex(text.replace(" ", ""))
