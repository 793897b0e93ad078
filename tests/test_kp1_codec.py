"""The KP1 codec against the spec: CRC check value, the example frames, hunting."""

from __future__ import annotations

import random
import struct

import pytest

from printers.kp1 import codec as kp1
from printers.kp1.codec import Frame, FrameHunter, KeyEvent, KeypadInfo, PollReply


def test_crc_check_value_is_that_of_the_spec() -> None:
    assert kp1.crc16_modbus(b"123456789") == 0x4B37


def test_poll_to_keypad_3_encodes_as_the_spec_example() -> None:
    assert Frame(3, kp1.Command.POLL, 0x10).encode() == kp1.parse_hex("A5 03 01 10 00 5C 60")


def test_idle_poll_reply_encodes_and_decodes_as_the_spec_example() -> None:
    wire = kp1.parse_hex("A5 03 81 10 03 00 00 00 F7 96")
    assert Frame(3, 0x81, 0x10, PollReply(0, 0, 0).encode()).encode() == wire
    (frame,) = FrameHunter().feed(wire)
    assert (frame.address, frame.command, frame.seq) == (3, 0x81, 0x10)
    assert PollReply.decode(frame.data) == PollReply(state=0, pending=0, flags=0)


def test_hunter_skips_garbage_and_finds_both_example_frames() -> None:
    hunter = FrameHunter()
    stream = kp1.parse_hex("00 13 FF A5 03 01 10 00 5C 60 77 A5 03 81 10 03 00 00 00 F7 96")
    frames = hunter.feed(stream)
    assert [f.command for f in frames] == [0x01, 0x81]
    assert not hunter.partial


def test_bad_crc_drops_only_the_start_byte() -> None:
    good = Frame(3, kp1.Command.POLL, 0x11).encode()
    broken = bytearray(Frame(3, kp1.Command.POLL, 0x10).encode())
    broken[-1] ^= 0x01
    hunter = FrameHunter()
    assert hunter.feed(bytes(broken) + good) == [Frame(3, 1, 0x11)]
    assert hunter.bad_crc == 1


def test_length_over_32_is_a_framing_error() -> None:
    hunter = FrameHunter()
    good = Frame(2, kp1.Command.POLL, 5).encode()
    frames = hunter.feed(bytes((0xA5, 0x02, 0x01, 0x05, 33)) + good)
    assert frames == [Frame(2, 1, 5)]
    assert hunter.framing_errors == 1


def test_partial_frame_is_discarded_after_silence_and_the_next_frame_still_parses() -> None:
    hunter = FrameHunter()
    wire = Frame(3, 0x81, 0x10, b"\x00\x00\x00").encode()
    assert hunter.feed(wire[:6]) == []
    assert hunter.partial
    assert hunter.silence() == []
    assert not hunter.partial
    assert hunter.feed(wire) == [Frame(3, 0x81, 0x10, b"\x00\x00\x00")]


def with_good_crc(frame: Frame) -> bytes:
    """The frame's bytes on the wire with the CRC the spec gives them (computed here,
    not by the codec under test, which would refuse a bad address)."""
    body = bytes((frame.address, frame.command, frame.seq, len(frame.data))) + frame.data
    return bytes((0xA5,)) + body + struct.pack("<H", kp1.crc16_modbus(body))


def test_random_noise_never_raises_and_never_yields_a_frame_with_a_bad_crc() -> None:
    """Every frame the hunter yields out of noise must have been on the wire with its
    correct CRC: the frame's bytes followed by the CRC computed here occur in what was
    fed (a frame hunted from bytes with a wrong CRC would give bytes never sent).
    Valid frames planted in the noise make sure frames do come out, so the check runs
    on real output."""
    rng = random.Random(4)
    hunter = FrameHunter()
    stream = bytearray()
    found: list[Frame] = []
    planted: list[Frame] = []
    for i in range(300):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40)))
        if i % 10 == 0:
            frame = Frame(rng.randrange(1, 32), kp1.Command.POLL, i % 256)
            planted.append(frame)
            noise += frame.encode()
        stream += noise
        found += hunter.feed(noise) + (hunter.silence() if rng.random() < 0.3 else [])
    for frame in found:
        assert with_good_crc(frame) in stream, f"{frame} was hunted from bytes with a bad CRC"
    assert all(frame in found for frame in planted), "the planted frames must come out"
    assert hunter.bad_crc > 0  # the noise did hold candidate frames with a wrong CRC


def test_event_and_info_round_trip() -> None:
    event = KeyEvent(event_id=513, session=0xDEADBEEF, key=0x02, age_ms=70000)
    decoded = KeyEvent.decode(event.encode())
    assert decoded == KeyEvent(513, 0xDEADBEEF, 2, 0xFFFF)  # age capped at 65535
    assert decoded.key_name == "satisfied"
    assert KeyEvent.decode(b"") is None
    info = KeypadInfo("KP1-4K", 0x0102, "SN000007", 4)
    assert KeypadInfo.decode(info.encode()) == info


def test_reply_with_the_wrong_length_is_a_protocol_error() -> None:
    with pytest.raises(kp1.ProtocolError):
        PollReply.decode(b"\x00\x01")
    with pytest.raises(kp1.ProtocolError):
        KeyEvent.decode(b"\x01\x00")
