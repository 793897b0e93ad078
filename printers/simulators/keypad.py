"""One simulated KP1 keypad, as the spec describes it.

:class:`SimulatedKeypad` holds the state, the 16-deep event queue, the rating timeout,
3 s of thanks, 10 s of silence → idle, same-SEQ replay and the restart flag. It is pure
(no port, no thread) and driven by the clock you pass in, so tests step it exactly;
:class:`printers.simulators.keypad_bus.FakeKeypadBus` puts several of them on a pty.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field

from printers.kp1 import codec as kp1
from printers.kp1.codec import Command, Frame, KeyEvent, KeypadInfo, KeypadState, NakCode


@dataclass
class _Queued:
    event_id: int
    session: int
    key: int
    pressed_at: float


@dataclass
class SimulatedKeypad:
    """One keypad. Methods take ``now`` (a monotonic time) so tests control the clock."""

    address: int
    keys: int = 4
    serial: str = ""
    model: str = ""
    firmware: int = 0x0102
    state: int = KeypadState.IDLE
    session: int = 0
    prompt: int = kp1.Prompt.NONE
    flags: int = kp1.FLAG_RESTARTED  # a keypad just powered on has "restarted"
    events: deque[_Queued] = field(default_factory=lambda: deque(maxlen=kp1.MAX_QUEUE))
    next_event_id: int = 1
    wait_until: float = 0.0
    thanks_until: float = 0.0
    last_heard: float = field(default_factory=time.monotonic)
    last_seq: int | None = None
    last_reply: Frame | None = None
    # faults
    deaf_frames: int = 0
    deaf_command: int | None = None
    corrupt_replies: int = 0
    busy_replies: int = 0

    def __post_init__(self) -> None:
        self.serial = self.serial or f"SN{self.address:06d}"
        self.model = self.model or f"KP1-{self.keys}K"

    # ----- the customer and the staff -----------------------------------------------

    def press(self, key: int, now: float) -> None:
        """A key goes down. Rating keys answer a request, or are unsolicited when idle."""
        if key in kp1.RATING_NAMES and key != kp1.KEY_NO_RATING:
            if self.state == KeypadState.THANKING:
                return  # further rating keys for the same session are ignored
            session = self.session if self.state == KeypadState.WAITING else 0
            self._queue(session, key, now)
            if self.state == KeypadState.WAITING:
                self.state, self.session = KeypadState.THANKING, 0
                self.thanks_until = now + kp1.THANKS_S
                self.prompt = kp1.Prompt.THANK_YOU
            return
        self._queue(0, key, now)

    def _queue(self, session: int, key: int, now: float) -> None:
        self.events.append(_Queued(self.next_event_id, session, key, now))
        self.next_event_id = self.next_event_id % 0xFFFF + 1

    def tick(self, now: float) -> None:
        """Let time pass: rating timeout (key 0 event), end of thanks, 10 s silence."""
        if self.state == KeypadState.WAITING and now - self.last_heard >= kp1.KEYPAD_SILENCE_IDLE_S:
            self.state, self.session = KeypadState.IDLE, 0  # dropped without an event
        elif self.state == KeypadState.WAITING and now >= self.wait_until:
            self._queue(self.session, kp1.KEY_NO_RATING, now)
            self.state, self.session = KeypadState.IDLE, 0
        elif self.state == KeypadState.THANKING and now >= self.thanks_until:
            self.state = KeypadState.IDLE

    def restart(self) -> None:
        """Power cycle: the queue is lost, ids start again at 1, the flag is raised."""
        self.state, self.session = KeypadState.IDLE, 0
        self.events.clear()
        self.next_event_id = 1
        self.flags |= kp1.FLAG_RESTARTED
        self.last_seq, self.last_reply = None, None

    # ----- the host --------------------------------------------------------------

    def handle(self, frame: Frame, now: float) -> Frame | None:
        """Act on a frame addressed to this keypad (or broadcast); the reply or None."""
        if self.deaf_frames and self.deaf_command in (None, frame.command):
            self.deaf_frames -= 1
            return None
        self.last_heard = now
        if frame.address == kp1.BROADCAST:
            return self._broadcast(frame)
        if self.busy_replies:
            self.busy_replies -= 1
            return frame.nak(NakCode.BUSY)  # nothing done; the host tries next cycle
        if frame.seq == self.last_seq and self.last_reply is not None:
            return self.last_reply  # a retry: answer again, act not again
        reply = self._act(frame, now)
        self.last_seq, self.last_reply = frame.seq, reply
        return reply

    def _act(self, frame: Frame, now: float) -> Frame:
        if frame.command not in kp1.REQUEST_LENGTHS:
            return frame.nak(NakCode.UNKNOWN_COMMAND)
        if len(frame.data) != kp1.REQUEST_LENGTHS[frame.command]:
            return frame.nak(NakCode.BAD_LENGTH)
        command = Command(frame.command)
        if command == Command.POLL:
            reply = frame.reply(bytes((self.state, len(self.events), self.flags)))
            self.flags &= ~kp1.FLAG_RESTARTED
            return reply
        if command == Command.REQUEST_RATING:
            session, timeout_s, prompt = kp1.decode_request_rating(frame.data)
            self.state, self.session, self.prompt = KeypadState.WAITING, session, prompt
            self.wait_until = now + (timeout_s or kp1.DEFAULT_RATING_TIMEOUT_S)
            return frame.reply()
        if command == Command.IDLE:
            self.state, self.session, self.prompt = KeypadState.IDLE, 0, frame.data[0]
            return frame.reply()
        if command == Command.GET_EVENT:
            if not self.events:
                return frame.reply()
            head = self.events[0]
            age = int((now - head.pressed_at) * 1000)
            return frame.reply(KeyEvent(head.event_id, head.session, head.key, age).encode())
        if command == Command.ACK_EVENT:
            event_id = kp1.decode_ack_event(frame.data)
            for queued in list(self.events):
                if queued.event_id == event_id:
                    self.events.remove(queued)
                    return frame.reply()
            return frame.nak(NakCode.UNKNOWN_EVENT)
        if command == Command.GET_INFO:
            return frame.reply(self.info().encode())
        return frame.nak(NakCode.UNKNOWN_COMMAND)  # SET_ADDR only comes as a broadcast

    def _broadcast(self, frame: Frame) -> Frame | None:
        if frame.command == Command.IDLE and len(frame.data) == 1:
            self.state, self.session, self.prompt = KeypadState.IDLE, 0, frame.data[0]
        elif frame.command == Command.SET_ADDR and len(frame.data) == 9:
            serial = frame.data[:8].decode("ascii", "replace").rstrip()
            if serial == self.serial:
                self.address = frame.data[8]
                return Frame(self.address, frame.command | kp1.REPLY, frame.seq)
        return None

    def info(self) -> KeypadInfo:
        return KeypadInfo(self.model, self.firmware, self.serial, self.keys)


__all__ = ["SimulatedKeypad"]
