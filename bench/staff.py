"""Staff PIN benchmarks: the hash alone (slow on purpose, at least 50 ms) and a whole
PIN login through the application layer (read, hash, record, audit; at most 500 ms).

Run: .venv/bin/python bench/staff.py [--runs 30]

The login runs against a SQLite file made for the run (the kiosk's own set-up); the
hash figure is the cost of one ``verify_pin`` against a stored hash.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.app import AppContext  # noqa: E402
from kiosk.app import staff as staff_app  # noqa: E402
from kiosk.staff.pins import hash_pin, verify_pin  # noqa: E402


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"min {min(values) * 1000:6.1f} ms  p50 {statistics.median(values) * 1000:6.1f} ms"
            f"  p99 {p99 * 1000:6.1f} ms  max {max(values) * 1000:6.1f} ms  (n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs

    stored = hash_pin("2580")
    hashing = []
    for _ in range(runs):
        start = time.perf_counter()
        verify_pin("2580", stored)
        hashing.append(time.perf_counter() - start)

    with tempfile.TemporaryDirectory() as folder:
        app = AppContext.open(f"sqlite:///{folder}/bench.db", station="bench")
        staff_app.add_staff(app, staff_app.console(app), "S0401", "王小明", "counter", "2580")
        logins, refusals = [], []
        for _ in range(runs):
            start = time.perf_counter()
            staff_app.login(app, "S0401", "2580")
            logins.append(time.perf_counter() - start)
        # Wrong PINs, each followed by the right one so the account never locks.
        for _ in range(runs // 2):
            start = time.perf_counter()
            try:
                staff_app.login(app, "S0401", "9999")
            except staff_app.LoginRefused:
                refusals.append(time.perf_counter() - start)
            staff_app.login(app, "S0401", "2580")
        app.close()

    print(f"PIN hash (scrypt verify)   {_ms(hashing)}   target: min >= 50 ms")
    print(f"PIN login, right PIN       {_ms(logins)}   target: max <= 500 ms")
    print(f"PIN login, wrong PIN       {_ms(refusals)}   target: max <= 500 ms")
    ok = min(hashing) >= 0.050 and max(logins + refusals) <= 0.500
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
