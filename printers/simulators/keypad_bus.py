"""Simulated KP1 keypads on a pseudo-terminal, for tests, demos and the field kit.

:class:`FakeKeypadBus` puts several :class:`~printers.simulators.keypad.SimulatedKeypad`
on one pty, as on an RS-485 bus: the host opens :attr:`FakeKeypadBus.path` like any
serial port, or its stable ``link`` (a symlink to the pty, removed by
:meth:`FakeKeypadBus.unplug`: see ``pty_link``). :func:`run_line` is the console and
script language of ``kiosk simulate keypad``.

In-process use (the demo, tests)::

    bus = FakeKeypadBus([1, 2, 3]); path = bus.start()
    bus.press(2, 0x01)       # customer presses 非常满意 on keypad 2
    bus.stop()

Faults: :meth:`FakeKeypadBus.deafen` (the keypad hears nothing for N frames, or only
loses frames of one command), :meth:`corrupt` (next replies with a bad CRC),
:meth:`busy` (NAK 4), :meth:`restart`, :meth:`garbage` (raw bytes on the line),
:meth:`set_voice_fault`, :meth:`set_key_stuck`, :meth:`unplug`.

A pty has no baud rate: with ``baud`` set, each exchange is held back by the time
its request and reply would take on a real line (10 bits a byte), so timing figures
measured against the fake are honest. A pty does carry the rate the host set
(``termios``, shared by both sides): with ``line_baud`` set, the keypads hear only a
host whose line runs at that rate, as a real bus at another rate hears noise.
"""

from __future__ import annotations

import contextlib
import os
import select
import termios
import threading
import time
import tty
from collections import deque
from pathlib import Path

from printers.kp1 import codec as kp1
from printers.kp1.codec import Command, Frame, FrameHunter
from printers.simulators.keypad import SimulatedKeypad
from printers.simulators.pty_link import point_link, remove_link


class FakeKeypadBus:
    """Keypads at ``addresses`` answering on one pty, served by a thread."""

    def __init__(self, addresses: list[int], *, keys: int = 4, baud: int | None = None,
                 reply_delay_s: float = 0.0, line_baud: int | None = None,
                 link: Path | None = None) -> None:
        self.keypads = {a: SimulatedKeypad(a, keys=keys) for a in addresses}
        self.baud = baud
        self.line_baud = line_baud
        self.reply_delay_s = reply_delay_s
        self.link = link
        self.hunter = FrameHunter()
        self.path = ""
        self._master = -1
        self._slave = -1
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._corrupt: dict[int, tuple[int, int | None]] = {}  # address: (replies, command)
        # every frame seen on the line, for tests that check what the host sent
        self.received: deque[Frame] = deque(maxlen=2000)

    # ----- life cycle --------------------------------------------------------------

    def start(self) -> str:
        """Open the pty and start answering; returns the path the host opens."""
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        if self.link is not None:
            point_link(self.link, self.path)
        self._stop.clear()
        self._thread = threading.Thread(target=self._serve, name=f"fake-keypads {self.path}",
                                        daemon=True)
        self._thread.start()
        return self.path

    def stop(self) -> None:
        """Stop the thread and close the pty (idempotent)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            if self._thread.is_alive():
                raise RuntimeError("fake keypad thread did not stop")
            self._thread = None
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1

    def __enter__(self) -> FakeKeypadBus:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def unplug(self) -> None:
        """Close the line as a pulled cable does; the host sees its port fail, and the
        link goes."""
        self.stop()
        remove_link(self.link)

    # ----- keys and faults (any thread) ---------------------------------------------

    def keypad(self, address: int) -> SimulatedKeypad:
        return self.keypads[address]

    def press(self, address: int, key: int, ago_s: float = 0.0) -> None:
        """A key goes down (``ago_s`` seconds ago: the event's age starts there)."""
        with self._lock:
            self.keypads[address].press(key, time.monotonic() - ago_s)

    def restart(self, address: int, lost_polls: int = 0) -> None:
        """Power-cycle the keypad; its next ``lost_polls`` POLL replies (the one that
        carries the restart flag, and its retries) reach the host corrupted."""
        with self._lock:
            self.keypads[address].restart()
            if lost_polls:
                self._corrupt[address] = (lost_polls, Command.POLL)

    def deafen(self, address: int, frames: int, command: int | None = None) -> None:
        """The keypad does not hear its next ``frames`` frames (of ``command`` only, if
        given): no action, no reply, as when noise eats them."""
        with self._lock:
            pad = self.keypads[address]
            pad.deaf_frames, pad.deaf_command = frames, command

    def corrupt(self, address: int, replies: int = 1, command: int | None = None) -> None:
        """The next ``replies`` replies of the keypad (to ``command`` only, if given)
        reach the host with a bad CRC."""
        with self._lock:
            self._corrupt[address] = (replies, command)

    def busy(self, address: int, replies: int = 1) -> None:
        """The next ``replies`` requests are answered NAK 4 (busy) and not acted on."""
        with self._lock:
            self.keypads[address].busy_replies = replies

    def set_voice_fault(self, address: int, on: bool) -> None:
        self._flag(address, kp1.FLAG_VOICE_FAULT, on)

    def set_key_stuck(self, address: int, on: bool) -> None:
        self._flag(address, kp1.FLAG_KEY_STUCK, on)

    def _flag(self, address: int, bit: int, on: bool) -> None:
        with self._lock:
            pad = self.keypads[address]
            pad.flags = pad.flags | bit if on else pad.flags & ~bit

    def garbage(self, data: bytes) -> None:
        """Write raw bytes onto the line (noise, a half frame)."""
        os.write(self._master, data)

    def state(self, address: int) -> dict[str, int]:
        with self._lock:
            pad = self.keypads[address]
            return {"address": address, "state": pad.state, "session": pad.session,
                    "pending": len(pad.events), "flags": pad.flags, "prompt": pad.prompt}

    # ----- the line ------------------------------------------------------------------

    def _serve(self) -> None:
        last_byte = 0.0
        while not self._stop.is_set():
            wait = 0.02
            if self.hunter.partial:
                wait = max(0.0, kp1.INTER_BYTE_GAP_S - (time.monotonic() - last_byte))
            try:
                ready, _, _ = select.select([self._master], [], [], wait)
            except (OSError, ValueError):
                return
            frames: list[Frame] = []
            if ready:
                try:
                    chunk = os.read(self._master, 256)
                except OSError:
                    return  # the slave side went away
                last_byte = time.monotonic()
                if not line_speed_matches(self._master, self.line_baud):
                    continue  # bytes at another rate are noise to a keypad
                frames = self.hunter.feed(chunk)
            elif self.hunter.partial:
                frames = self.hunter.silence()
            for frame in frames:
                self._answer(frame)
            with self._lock:
                now = time.monotonic()
                for pad in self.keypads.values():
                    pad.tick(now)

    def _answer(self, request: Frame) -> None:
        self.received.append(request)
        if request.command & kp1.REPLY:
            return  # a reply (our own, echoed by nothing on a pty) is not for us
        replies: list[Frame] = []
        with self._lock:
            now = time.monotonic()
            for pad in list(self.keypads.values()):
                if request.address in (pad.address, kp1.BROADCAST):
                    reply = pad.handle(request, now)
                    if reply is not None:
                        replies.append(reply)
                        # a SET_ADDR broadcast moves the keypad to its new address
                        self.keypads = {p.address: p for p in self.keypads.values()}
        for reply in replies:
            wire = reply.encode()
            with self._lock:
                left, command = self._corrupt.get(reply.address, (0, None))
                if left and command in (None, request.command):
                    self._corrupt[reply.address] = (left - 1, command)
                    wire = wire[:-1] + bytes((wire[-1] ^ 0xFF,))
            delay = self.reply_delay_s
            if self.baud:
                delay += (len(request.encode()) + len(wire)) * 10 / self.baud
            if delay:
                time.sleep(delay)  # the time the bytes would spend on a real line
            try:
                os.write(self._master, wire)
            except OSError:
                return


def line_speed_matches(master: int, baud: int | None) -> bool:
    """Whether the host set the pty (whose ``master`` side this is) to ``baud``
    (always, when ``baud`` is None)."""
    if baud is None:
        return True
    try:
        speed = termios.tcgetattr(master)[5]
    except termios.error:
        return False
    return bool(speed == getattr(termios, f"B{baud}", None))


def run_line(bus: FakeKeypadBus, line: str) -> str:
    """One command of the simulator's console or script; returns what happened.

    ``ADDR key K`` (K a number, hex ``0x10`` or a name: very_satisfied, satisfied,
    neutral, dissatisfied, very_dissatisfied, call_next, recall, pause_resume, finish);
    ``ADDR restart``; ``ADDR deaf N [COMMAND]``; ``ADDR badcrc N``; ``ADDR busy N``;
    ``ADDR voice on|off``; ``ADDR stuck on|off``; ``ADDR state``; ``garbage HEX…``;
    ``sleep SECONDS``. Blank lines and ``#`` comments are skipped.
    """
    words = line.split("#", 1)[0].split()
    if not words:
        return ""
    if words[0] == "garbage":
        bus.garbage(kp1.parse_hex("".join(words[1:])))
        return f"garbage {len(words) - 1} bytes"
    if words[0] == "sleep":
        time.sleep(float(words[1]))
        return ""
    address = int(words[0])
    if address not in bus.keypads:
        raise ValueError(f"no keypad {address} (have {sorted(bus.keypads)})")
    action, args = (words[1] if len(words) > 1 else "state"), words[2:]
    if action == "key":
        key = parse_key(args[0])
        bus.press(address, key)
        return f"{address} key 0x{key:02x} {kp1.KEY_NAMES.get(key, '?')}"
    if action == "restart":
        bus.restart(address)
    elif action == "deaf":
        command = Command[args[1].upper()] if len(args) > 1 else None
        bus.deafen(address, int(args[0]), command)
    elif action == "badcrc":
        bus.corrupt(address, int(args[0]) if args else 1)
    elif action == "busy":
        bus.busy(address, int(args[0]) if args else 1)
    elif action in ("voice", "stuck"):
        on = (args[0] if args else "on") == "on"
        (bus.set_voice_fault if action == "voice" else bus.set_key_stuck)(address, on)
    elif action != "state":
        raise ValueError(f"unknown action {action!r}")
    return " ".join(f"{k}={v}" for k, v in bus.state(address).items())


def parse_key(text: str) -> int:
    """A key code from ``1``, ``0x10`` or a name such as ``call_next``."""
    by_name = {name: code for code, name in kp1.KEY_NAMES.items()}
    if text in by_name:
        return by_name[text]
    return int(text, 0)


__all__ = ["FakeKeypadBus", "parse_key", "run_line"]
