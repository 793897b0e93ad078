"""Which key events the host has already handled: re-delivery versus a new press.

KP1 delivers events at least once: an event whose ACK is lost comes back at the next
GET_EVENT, and the host must not act on it twice. Event ids alone cannot say so, because
they start again at 1 when the keypad restarts, and the restart flag that announces it
is cleared once the keypad has *sent* its POLL reply, whether or not the host heard it.
A re-delivered event is the same press: same id, same session, same key, and the same
press instant (the host's clock at the reply minus ``age_ms``), give or take the delay
of one reply. :class:`PressMemory` remembers the last presses of one keypad and answers
exactly that question.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from printers.kp1.codec import KeyEvent

# Presses remembered per keypad; a redelivery follows a lost ACK within a cycle or two,
# and ids wrap at 65535, so a short window is right.
SEEN_WINDOW = 64
# ``age_ms`` is capped at this value: an event that old was pressed at least that long ago.
AGE_CAP_MS = 0xFFFF
# How far two readings of one press instant can lie apart: a reply is held back by at
# most its retries (each try waits REPLY_TIMEOUT_S, and a retry with the same SEQ gets
# the keypad's first reply again, with its first age) plus the bytes on the line and
# the host's scheduling: 3 x 50 ms + a few ms, doubled for a loaded host. Two presses
# of one key on one keypad with a restart between them are seconds apart, so half a
# second never takes a new press for an old one.
REDELIVERY_SLACK_S = 0.5


@dataclass(frozen=True)
class Press:
    """One key event the host handled, and when it was pressed as far as the host can
    tell: between ``earliest`` and ``latest`` on the host's monotonic clock."""

    event_id: int
    session: int
    key: int
    earliest: float
    latest: float

    @classmethod
    def received(cls, event: KeyEvent, at: float) -> Press:
        """``event`` read from a reply that arrived at monotonic time ``at``."""
        instant = at - event.age_ms / 1000
        earliest = -math.inf if event.age_ms >= AGE_CAP_MS else instant
        return cls(event.event_id, event.session, event.key, earliest, instant)

    @classmethod
    def stored(cls, event_id: int, session: int, key: int, latest: float) -> Press:
        """A press a previous host stored at monotonic time ``latest`` (it was pressed
        then or before): what a restarted host knows from its database."""
        return cls(event_id, session, key, -math.inf, latest)

    def same_press(self, other: Press, slack_s: float) -> bool:
        """True if ``other`` is this press delivered again."""
        return ((self.event_id, self.session, self.key)
                == (other.event_id, other.session, other.key)
                and other.earliest - slack_s <= self.latest
                and self.earliest - slack_s <= other.latest)


class PressMemory:
    """The last :data:`SEEN_WINDOW` presses handled for one keypad."""

    def __init__(self) -> None:
        self._presses: deque[Press] = deque(maxlen=SEEN_WINDOW)

    def remember(self, press: Press) -> None:
        self._presses.append(press)

    def forget(self) -> None:
        """The keypad restarted: its ids start again at 1."""
        self._presses.clear()

    def judge(self, press: Press, slack_s: float) -> str:
        """``new``, ``redelivery`` (the same press again: drop it), or ``restarted``
        (its id was handled before for another press: the keypad restarted unseen)."""
        for seen in reversed(self._presses):
            if seen.event_id == press.event_id:
                return "redelivery" if seen.same_press(press, slack_s) else "restarted"
        return "new"


__all__ = ["AGE_CAP_MS", "REDELIVERY_SLACK_S", "SEEN_WINDOW", "Press", "PressMemory"]
