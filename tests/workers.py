"""Worker processes for the concurrency tests: each runs the real engine against the
database named on its command line and prints one line per committed action.

    python -m tests.workers take URL SERVICE COUNT NOW GO_FILE
    python -m tests.workers call URL COUNTER NOW GO_FILE
    python -m tests.workers take-forever URL SERVICE NOW
    python -m tests.workers first-use URL GO_FILE
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kiosk import clock
from kiosk.db import make_engine, unit_of_work
from kiosk.queue.lobby import Lobby


def wait_for(go_file: str) -> None:
    """Start together: every worker spins until the test creates the go file."""
    deadline = time.monotonic() + 60
    while not Path(go_file).exists():
        if time.monotonic() > deadline:
            raise SystemExit("go file never appeared")
        time.sleep(0.001)


def main(argv: list[str]) -> int:
    command, url = argv[0], argv[1]
    engine = make_engine(url)
    if command == "take":
        service, count, now, go = argv[2], int(argv[3]), clock.parse_instant(argv[4]), argv[5]
        wait_for(go)
        for _ in range(count):
            with unit_of_work(engine, write=True) as session:
                number = Lobby(session, now=now).take(service).number
            print(number, flush=True)
    elif command == "call":
        counter, now, go = int(argv[2]), clock.parse_instant(argv[3]), argv[4]
        wait_for(go)
        while True:
            with unit_of_work(engine, write=True) as session:
                ticket = Lobby(session, now=now).call_next(counter)
                number = ticket.number if ticket else None
            if number is None:
                break
            print(number, flush=True)
    elif command == "first-use":
        from kiosk.migrate import ensure_ready

        wait_for(argv[2])
        print("seeded" if ensure_ready(engine) else "ready", flush=True)
    elif command == "take-forever":
        service, now = argv[2], clock.parse_instant(argv[3])
        while True:
            with unit_of_work(engine, write=True) as session:
                number = Lobby(session, now=now).take(service).number
            # Printed only after the commit returned: what the customer would hold.
            print(number, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
