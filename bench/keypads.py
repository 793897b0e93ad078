"""Keypad benchmarks: poll cycle time for 8 keypads at 9600 baud, and key press to
database latency.

Run: .venv/bin/python bench/keypads.py

A pty has no baud rate, so the fake keypads hold every exchange back by the time its
request and reply would spend on a 9600-baud line (10 bits a byte) plus a keypad
reaction time; the figures are therefore line-bound as on a real RS-485 bus.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from kiosk.branch.settings import apply_config, default_config  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.devices.keypad_ports import configure_port  # noqa: E402
from kiosk.devices.keypads import KeypadService  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from kiosk.models import Rating  # noqa: E402
from kiosk.queue.lobby import Lobby  # noqa: E402
from printers.kp1.bus import BusMaster  # noqa: E402
from printers.kp1.link import SerialLine  # noqa: E402
from printers.simulators.keypad_bus import FakeKeypadBus  # noqa: E402

BAUD = 9600
ADDRESSES = list(range(1, 9))


class _Quiet:
    def key_pressed(self, address: int, event: object) -> None:
        pass

    def device_event(self, address: int, kind: str, detail: str = "") -> None:
        pass


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return (f"mean {statistics.mean(values) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  "
            f"max {max(values) * 1000:6.1f} ms  (n={len(values)})")


def cycle_times(reply_delay_s: float, with_events: bool, cycles: int = 30) -> list[float]:
    with FakeKeypadBus(ADDRESSES, baud=BAUD, reply_delay_s=reply_delay_s) as bus:
        master = BusMaster(SerialLine(bus.path, BAUD), ADDRESSES, _Quiet())
        master.cycle()  # opens the port, takes the power-on restart flags
        times = []
        for _ in range(cycles):
            if with_events:
                for address in ADDRESSES:
                    bus.press(address, 0x02)
            start = time.perf_counter()
            master.cycle()
            times.append(time.perf_counter() - start)
        master.line.close()
    return times


def press_to_database(presses: int = 30) -> list[float]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        ensure_ready(engine)
        config = default_config()
        config = replace(config, hours=dict.fromkeys(range(7), (clock_time(0), clock_time(23, 59))),
                         holidays=frozenset(), workdays=frozenset())
        with FakeKeypadBus(ADDRESSES, baud=BAUD, reply_delay_s=0.005) as bus:
            with unit_of_work(engine, write=True) as session:
                apply_config(session, config)
                Lobby(session).open_counter(1, "S01")
                configure_port(session, bus.path, {a: min(a, 6) for a in ADDRESSES[:6]})
            service = KeypadService(engine)
            service.start()
            try:
                latencies = []
                for n in range(1, presses + 1):
                    time.sleep(0.037 * (n % 5))  # land presses at different points of the cycle
                    start = time.perf_counter()
                    bus.press(1, 0x01)
                    while True:
                        with unit_of_work(engine) as session:
                            count = session.scalar(select(func.count()).select_from(Rating))
                        if count == n:
                            break
                        time.sleep(0.002)
                    latencies.append(time.perf_counter() - start)
            finally:
                service.stop()
        engine.dispose()
    return latencies


def main() -> None:
    print(f"8 keypads, {BAUD} baud paced on a pty (request + reply bytes x 10 bits / baud)")
    for delay in (0.0, 0.005, 0.020):
        print(f"poll cycle, idle,          keypad reaction {delay * 1000:4.0f} ms: "
              f"{_ms(cycle_times(delay, with_events=False))}")
    print(f"poll cycle, 1 event each,  keypad reaction    5 ms: "
          f"{_ms(cycle_times(0.005, with_events=True, cycles=15))}")
    print(f"key press -> rating row in SQLite (service, 100 ms cycle floor): "
          f"{_ms(press_to_database())}")


if __name__ == "__main__":
    main()
