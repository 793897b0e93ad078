"""The simulated keypad behaves as the spec says, on a clock the test controls."""

from __future__ import annotations

import os

import pytest

from printers.kp1 import codec as kp1
from printers.kp1.codec import Command, Frame, KeyEvent, KeypadState
from printers.kp1.link import LineFailure, SerialLine
from printers.simulators.keypad import SimulatedKeypad
from printers.simulators.keypad_bus import FakeKeypadBus, parse_key, run_line
from tests.keypad_support import keypads, no_thread_left

__all__ = ["keypads", "no_thread_left"]


def request(pad: SimulatedKeypad, command: int, seq: int, data: bytes = b"",
            now: float = 0.0) -> Frame:
    reply = pad.handle(Frame(pad.address, command, seq, data), now)
    assert reply is not None
    return reply


def events(pad: SimulatedKeypad) -> list[tuple[int, int]]:
    return [(e.session, e.key) for e in pad.events]


def test_rating_request_then_key_then_thanks_then_idle() -> None:
    pad = SimulatedKeypad(1, last_heard=0.0)
    request(pad, Command.REQUEST_RATING, 1, kp1.request_rating_data(77, 10), now=0.0)
    assert pad.state == KeypadState.WAITING
    pad.press(0x02, now=1.0)
    pad.press(0x01, now=1.5)  # a second rating key for the same session is ignored
    assert events(pad) == [(77, 0x02)]
    assert pad.state == KeypadState.THANKING
    pad.tick(4.1)
    assert pad.state == KeypadState.IDLE


def test_timeout_makes_a_no_rating_event_and_zero_means_thirty_seconds() -> None:
    pad = SimulatedKeypad(1, last_heard=0.0)
    request(pad, Command.REQUEST_RATING, 1, kp1.request_rating_data(9, 0), now=0.0)
    pad.last_heard = 29.0
    pad.tick(29.0)
    assert events(pad) == []
    pad.tick(30.0)
    assert events(pad) == [(9, kp1.KEY_NO_RATING)]
    assert pad.state == KeypadState.IDLE


def test_ten_seconds_without_a_frame_drops_the_request_without_an_event() -> None:
    pad = SimulatedKeypad(1, last_heard=0.0)
    request(pad, Command.REQUEST_RATING, 1, kp1.request_rating_data(9, 60), now=0.0)
    pad.tick(10.0)
    assert pad.state == KeypadState.IDLE
    assert events(pad) == []


def test_a_new_request_replaces_the_old_session() -> None:
    pad = SimulatedKeypad(1, last_heard=0.0)
    request(pad, Command.REQUEST_RATING, 1, kp1.request_rating_data(1, 5), now=0.0)
    request(pad, Command.REQUEST_RATING, 2, kp1.request_rating_data(2, 5), now=1.0)
    pad.tick(6.5)
    assert events(pad) == [(2, kp1.KEY_NO_RATING)]


def test_idle_keys_are_unsolicited_and_function_keys_carry_session_zero() -> None:
    pad = SimulatedKeypad(1)
    pad.press(0x03, now=0.0)
    request(pad, Command.REQUEST_RATING, 1, kp1.request_rating_data(5, 5), now=0.0)
    pad.press(0x10, now=0.1)
    assert events(pad) == [(0, 0x03), (0, 0x10)]
    assert pad.state == KeypadState.WAITING  # a function key does not answer the request


def test_same_seq_is_answered_again_without_acting_again() -> None:
    pad = SimulatedKeypad(1)
    pad.press(0x01, now=0.0)
    pad.press(0x02, now=0.0)
    first = request(pad, Command.ACK_EVENT, 7, kp1.ack_event_data(1))
    again = request(pad, Command.ACK_EVENT, 7, kp1.ack_event_data(1))
    assert first == again
    assert [e.event_id for e in pad.events] == [2]


def test_queue_is_sixteen_deep_and_drops_the_oldest() -> None:
    pad = SimulatedKeypad(1)
    for _ in range(18):
        pad.press(0x10, now=0.0)
    assert len(pad.events) == 16
    event = KeyEvent.decode(request(pad, Command.GET_EVENT, 1).data)
    assert event is not None
    assert event.event_id == 3


def test_naks_for_unknown_command_bad_length_and_unknown_event() -> None:
    pad = SimulatedKeypad(1)
    assert request(pad, 0x09, 1).nak_code == kp1.NakCode.UNKNOWN_COMMAND
    assert request(pad, Command.POLL, 2, b"\x00").nak_code == kp1.NakCode.BAD_LENGTH
    assert request(pad, Command.ACK_EVENT, 3, kp1.ack_event_data(99)).nak_code == \
        kp1.NakCode.UNKNOWN_EVENT


def test_set_addr_broadcast_moves_the_matching_keypad(keypads: FakeKeypadBus) -> None:
    from printers.kp1.link import Kp1Link

    line = SerialLine(keypads.path)
    line.open()
    try:
        link = Kp1Link(line)
        link.set_address("SN000003", 9)
        assert link.get_info(9).serial == "SN000003"
    finally:
        line.close()


def test_console_lines_press_keys_and_inject_faults(keypads: FakeKeypadBus) -> None:
    assert run_line(keypads, "2 key 1").startswith("2 key 0x01 very_satisfied")
    run_line(keypads, "2 key call_next  # staff calls")
    run_line(keypads, "3 voice on")
    run_line(keypads, "1 restart")
    assert keypads.state(2)["pending"] == 2
    assert keypads.state(3)["flags"] & kp1.FLAG_VOICE_FAULT
    assert parse_key("0x13") == kp1.KEY_FINISH


def test_unplugged_keypads_take_their_link_with_them(keypads: FakeKeypadBus) -> None:
    """A host that reopens the link after an unplug finds nothing, not the next pty
    given the freed /dev/pts number (another test worker's device)."""
    assert keypads.link is not None
    assert os.path.realpath(keypads.link) == keypads.path
    keypads.unplug()
    assert not os.path.lexists(keypads.link)
    with pytest.raises(LineFailure):
        SerialLine(str(keypads.link)).open()
