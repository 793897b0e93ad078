"""Does a port carry KP1 keypads? ``GET_INFO`` to every address at each baud rate.

A keypad answers only when addressed, within 20 ms, and only at the rate it is set
to (a request at another rate arrives as noise and is dropped by its CRC check), so
the probe asks addresses 1-31 at 9600 and then at 19200 baud and keeps the first
rate at which any keypad answered. ``GET_INFO`` changes nothing in a keypad.

A silent address costs the reply timeout per try: with one retry (a bus with line
noise still finds every keypad) a silent port takes 31 x 2 x 50 ms per rate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from printers.kp1 import codec as kp1
from printers.kp1.codec import KeypadInfo, ProtocolError
from printers.kp1.link import Kp1Link, Nak, NoReply, SerialLine

KEYPAD_BAUDS: tuple[int, ...] = (9600, 19200)
ADDRESSES: tuple[int, ...] = tuple(range(1, kp1.MAX_ADDRESS + 1))


@dataclass(frozen=True)
class KeypadAnswer:
    """One keypad that answered ``GET_INFO``."""

    address: int
    info: KeypadInfo


@dataclass(frozen=True)
class Kp1Answer:
    """The keypads found on ``port`` at ``baud``."""

    port: str
    baud: int
    keypads: tuple[KeypadAnswer, ...]


def probe_kp1(port: str, bauds: Sequence[int] = KEYPAD_BAUDS,
              addresses: Sequence[int] = ADDRESSES, *, retries: int = 1,
              cancel: threading.Event | None = None,
              on_step: Callable[[int, int], None] | None = None) -> Kp1Answer | None:
    """The keypads on ``port`` at the first rate where any answered; None if none did
    (or ``cancel`` was set). ``on_step(baud, address)`` is told before each request.

    Raises:
        DeviceError: the port cannot be opened or fails (``LineFailure``).
    """
    for baud in bauds:
        line = SerialLine(port, baud)
        line.open()
        try:
            # The spec's reply wait, whatever the configured links wait: a scan tries
            # every address, and a silent one costs that wait on every try.
            link = Kp1Link(line, reply_timeout_s=kp1.REPLY_TIMEOUT_S, retries=retries)
            found: list[KeypadAnswer] = []
            for address in addresses:
                if cancel is not None and cancel.is_set():
                    return None
                if on_step is not None:
                    on_step(baud, address)
                try:
                    found.append(KeypadAnswer(address, link.get_info(address)))
                except (NoReply, Nak, ProtocolError):
                    continue
            if found:
                return Kp1Answer(port, baud, tuple(found))
        finally:
            line.close()
    return None


__all__ = ["ADDRESSES", "KEYPAD_BAUDS", "KeypadAnswer", "Kp1Answer", "probe_kp1"]
