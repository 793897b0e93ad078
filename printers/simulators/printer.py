"""A receipt printer on the far end of a pseudo-terminal, for the demo and the tests.

The app opens :attr:`FakePrinter.path` exactly as it would open ``/dev/ttyUSB0``. A
reader thread decodes every byte with the ESC/POS tokenizer, answers ``DLE EOT``
according to :attr:`state`, and keeps what it printed as readable lines and as jobs
(from ``ESC @`` to the cut). Raster strips are saved as PNG when ``save_dir`` is set.

States: ``ok``; ``paper_out``, ``cover_open``, ``offline`` (answers status, prints
nothing: what it receives is counted in :attr:`discarded`); ``silent`` (answers
nothing, as a printer switched off behind a powered USB adapter).

:meth:`unplug` closes the master side (the app sees exactly what a pulled cable
gives) and, like udev, removes the stable :attr:`link` symlink (so is
:attr:`unplug_after`); :meth:`replug` opens a new pty and points the link at it.
Configure a host that outlives an unplug with :attr:`link`, not :attr:`path`: the
freed ``/dev/pts/N`` may soon be another simulated device's (see ``pty_link``).

In-process use::

    printer = FakePrinter(state="ok", link=tmp / "printer")
    printer.start()           # printer.path / printer.link: the port to open
    ...                       # print to it
    printer.wait_for(lambda p: len(p.jobs) == 1)
    printer.set_state("paper_out")
    printer.stop()
"""

from __future__ import annotations

import contextlib
import os
import select
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from printers.escpos.builder import status_reply_bytes
from printers.escpos.decode import Token, Tokenizer, readable, strip_image
from printers.simulators.keypad_bus import line_speed_matches
from printers.simulators.pty_link import point_link, remove_link

STATES = ("ok", "paper_out", "cover_open", "offline", "silent")
MODEL_NAME = 67  # GS I 67: the printer's model name, answered "_" + name + NUL


@dataclass
class PrintedJob:
    """What came out between an ``ESC @`` and a cut."""

    tokens: list[Token] = field(default_factory=list)
    cut: bool = False

    @property
    def lines(self) -> list[str]:
        return readable(self.tokens)

    @property
    def texts(self) -> list[str]:
        return [t.value for t in self.tokens if t.kind == "text"]

    @property
    def qr(self) -> list[str]:
        return [t.value for t in self.tokens if t.kind == "qr"]


class FakePrinter:
    """A decoded, state-switchable printer behind a pty (see the module docstring)."""

    def __init__(self, state: str = "ok", *, link: Path | None = None,
                 save_dir: Path | None = None,
                 on_line: Callable[[str], None] | None = None,
                 line_baud: int | None = None, model: str | None = None) -> None:
        self._check(state)
        self.model = model  # its answer to GS I 67 (None: a model that does not answer)
        self.state = state
        self.line_baud = line_baud  # set: it hears only a host at this rate (see keypad_bus)
        self.link = link
        self.save_dir = save_dir
        self.on_line = on_line
        self.jobs: list[PrintedJob] = []  # completed (cut) jobs
        self.current = PrintedJob()
        self.lines: list[str] = []
        self.status_queries = 0
        self.discarded = 0
        self.received = 0
        self.unplug_after: int | None = None  # close the master after this many bytes
        self.faults: list[str] = []  # errors the reader survived (a test asserts none)
        self._strips = 0
        self._master = self._slave = -1
        self._thread: threading.Thread | None = None
        self._stop_r, self._stop_w = -1, -1
        self._tokenizer = Tokenizer()
        self._cond = threading.Condition()
        self.path = ""

    @staticmethod
    def _check(state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown printer state {state!r} (one of {', '.join(STATES)})")

    # ----- life cycle ----------------------------------------------------------------

    def start(self) -> FakePrinter:
        """Open the pty and start the reader thread; returns self."""
        self._master, self._slave = os.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.path = os.ttyname(self._slave)
        if self.link is not None:
            point_link(self.link, self.path)
        self._stop_r, self._stop_w = os.pipe()
        self._tokenizer = Tokenizer()
        self._thread = threading.Thread(target=self._run, name="fake-printer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the reader thread and close every descriptor (idempotent)."""
        if self._thread is not None:
            os.write(self._stop_w, b"x")
            self._thread.join(timeout=5)
            self._thread = None
        for fd in (self._master, self._slave, self._stop_r, self._stop_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = self._stop_r = self._stop_w = -1

    def unplug(self) -> None:
        """Pull the cable: the master closes, the app's next I/O fails, the link goes."""
        self.stop()
        remove_link(self.link)

    def replug(self) -> None:
        """A new pty (a new device name), the ``link`` symlink moved to it; the printer
        lost whatever it was printing."""
        self.stop()
        self.current = PrintedJob()
        self.start()

    def __enter__(self) -> FakePrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def set_state(self, state: str) -> None:
        """Switch state while running (paper loaded, cover closed...)."""
        self._check(state)
        with self._cond:
            self.state = state
            self._cond.notify_all()

    def wait_for(self, condition: Callable[[FakePrinter], bool], timeout: float = 10) -> bool:
        """Block until ``condition(self)`` holds (checked on every change) or timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not condition(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # ----- the reader --------------------------------------------------------------

    def _run(self) -> None:
        master = self._master
        while True:
            ready, _, _ = select.select([master, self._stop_r], [], [], 1.0)
            if self._stop_r in ready:
                return
            if master not in ready:
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # the app side closed; keep listening until stopped
                time.sleep(0.01)
                continue
            if not data:
                continue
            if not line_speed_matches(master, self.line_baud):
                self.discarded += len(data)  # another rate: noise it cannot decode
                continue
            if self.unplug_after is not None and self.received + len(data) >= self.unplug_after:
                data = data[:max(0, self.unplug_after - self.received)]
                self._handle(data)
                self.unplug_after = None
                os.close(master)
                self._master = -1
                remove_link(self.link)
                with self._cond:
                    self._cond.notify_all()
                return
            self._handle(data)

    def _handle(self, data: bytes) -> None:
        with self._cond:
            self.received += len(data)
            try:
                for token in self._tokenizer.feed(data):
                    self._token(token)
            except Exception as exc:  # noqa: BLE001 - a device never dies of its input
                # Like a real printer, keep listening: forget the chunk, start decoding
                # afresh, and keep the fault for the tests to see.
                self.faults.append(f"{type(exc).__name__}: {exc}")
                self._tokenizer = Tokenizer(chinese=self._tokenizer.chinese)
            self._cond.notify_all()

    def _token(self, token: Token) -> None:
        if token.kind == "status_query":
            self.status_queries += 1
            if self.state != "silent":
                replies = status_reply_bytes(
                    online=self.state == "ok", cover_open=self.state == "cover_open",
                    paper="out" if self.state == "paper_out" else "ok")
                reply = replies.get(token.value)  # DLE EOT 5..255 do not exist: no reply
                if reply is not None:
                    os.write(self._master, bytes([reply]))
            return
        if token.kind == "printer_id":
            if token.value == MODEL_NAME and self.model and self.state != "silent":
                os.write(self._master, b"_" + self.model.encode("ascii") + b"\0")
            return
        if self.state != "ok":
            self.discarded += 1
            return
        if token.kind == "init":
            self.current = PrintedJob()
        self.current.tokens.append(token)
        # A token that shows as a line is described with the job's tokens so far, so
        # the alignment and size set before it appear on it.
        shown = readable(self.current.tokens)[-1:] if readable([token]) else []
        for line in shown:
            if token.kind == "raster" and self.save_dir is not None:
                self._strips += 1
                target = self.save_dir / f"strip-{self._strips:04d}.png"
                strip_image(token.value).save(target)
                line += f" -> {target}"
            self.lines.append(line)
            if self.on_line is not None:
                self.on_line(line)
        if token.kind == "cut":
            self.current.cut = True
            self.jobs.append(self.current)
            self.current = PrintedJob()


__all__ = ["STATES", "FakePrinter", "PrintedJob"]
