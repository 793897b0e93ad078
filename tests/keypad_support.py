"""Helpers shared by the keypad tests: a listener that records what the bus master
reports, a condition poll with a deadline, and a guard against leaked threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from printers.kp1.codec import KeyEvent
from printers.simulators.keypad_bus import FakeKeypadBus


@dataclass
class Recorder:
    """A :class:`printers.kp1.bus.BusListener` that keeps everything it hears."""

    keys: list[tuple[int, KeyEvent]] = field(default_factory=list)
    devices: list[tuple[int, str]] = field(default_factory=list)
    refuse_next: int = 0
    devices_fail: bool = False

    def key_pressed(self, address: int, event: KeyEvent) -> None:
        if self.refuse_next:
            self.refuse_next -= 1
            raise RuntimeError("database unavailable")
        self.keys.append((address, event))

    def device_event(self, address: int, kind: str, detail: str = "") -> None:
        if self.devices_fail:
            raise RuntimeError("database unavailable")
        self.devices.append((address, kind))

    def kinds(self, address: int) -> list[str]:
        return [kind for a, kind in self.devices if a == address]


def wait_until(condition: Callable[[], object], timeout: float = 30.0,
               interval: float = 0.01) -> None:
    """Poll ``condition`` until true; fail the test at the deadline (a bound on a hang,
    not a measure: on a loaded machine, with the suite on several workers, the keypad
    service can take seconds to get there)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout} s")
        time.sleep(interval)


@pytest.fixture
def no_thread_left() -> Iterator[None]:
    """Fail a test that leaves a thread running."""
    before = set(threading.enumerate())
    yield
    left = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not left, f"threads left running: {[t.name for t in left]}"


@pytest.fixture
def keypads(no_thread_left: None, tmp_path: Path) -> Iterator[FakeKeypadBus]:
    """Keypads 1, 2 and 3 on a pty (keypad 1's power-on restart flag still set), also
    reachable by their ``link``, which an unplug removes."""
    bus = FakeKeypadBus([1, 2, 3], link=tmp_path / "keypads")
    bus.start()
    yield bus
    bus.stop()
