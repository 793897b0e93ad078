"""How long a screen waits for a print (docs/BENCHMARKS.md, "Printing per station").

Run: .venv/bin/python bench/print_wait.py [--runs 20]

For each printer state, the time a screen's print (``Spooler.submit``, what
``print_with_wait`` calls: enqueue + wait, 0.9 s in all) takes to return to the
caller, and what it returned; beside it, the time the synchronous path
(``print_document``: enqueue + spool run in the caller's thread, what the CLI does)
holds the caller. Taking the ticket is not timed. A throw-away SQLite file, the fake
printer on a pty, one station.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import Engine

from kiosk.branch.settings import apply_config, default_config
from kiosk.db import make_engine, unit_of_work
from kiosk.devices import printing
from kiosk.devices.spooler import Spooler
from kiosk.devices.stations import set_printer
from kiosk.migrate import ensure_ready
from kiosk.queue.lobby import Lobby
from printers.documents.model import RollDocument
from printers.escpos.transport import close_all
from printers.simulators.printer import FakePrinter

STATION = "BENCH"


def ticket(engine: Engine) -> RollDocument:
    with unit_of_work(engine, write=True) as session:
        number = Lobby(session).take("enquiry").number
    with unit_of_work(engine) as session:
        return printing.ticket_document(session, number)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    os.environ.setdefault("KIOSK_LOCK_DIR", str(folder / "locks"))
    engine = make_engine(f"sqlite:///{folder / 'branch.db'}")
    ensure_ready(engine)
    always = (clock_time(0, 0), clock_time(23, 59, 59))
    with unit_of_work(engine, write=True) as session:
        apply_config(session, replace(default_config(), hours=dict.fromkeys(range(7), always),
                                      holidays=frozenset(), workdays=frozenset()))
    printer = FakePrinter(link=folder / "printer").start()
    states = (("ok", str(printer.link)), ("paper_out", str(printer.link)),
              ("unplugged", str(folder / "ttyUSB9")))

    def use(state: str, port: str) -> None:
        with unit_of_work(engine, write=True) as session:
            set_printer(session, port, "generic-80", "text", station=STATION)
            for job in printing.jobs(session, ("queued",)):  # each sample its own ticket
                printing.cancel(session, job.id)
        printer.set_state("ok" if state == "unplugged" else state)

    print(f"{'printer':<10} {'call':<30} {'p50 ms':>8} {'max ms':>8}  returned")
    try:
        for state, port in states:  # the old path: the caller runs the spool itself
            use(state, port)
            old = []
            for _ in range(3 if state == "unplugged" else args.runs):
                document = ticket(engine)  # taking the ticket is not part of the print
                old.append(timed(lambda d=document: printing.print_document(
                    engine, d, station=STATION))[0])
            close_all()
            print(f"{state:<10} {'print_document (synchronous)':<30} "
                  f"{statistics.median(old):>8.1f} {max(old):>8.1f}")
        spooler = Spooler(engine, STATION, poll_s=3600, idle_check_s=3600).start()
        try:
            for state, port in states:
                use(state, port)
                samples, said = [], set()
                for _ in range(args.runs):
                    document = ticket(engine)
                    ms, outcome = timed(lambda d=document: spooler.submit(d))
                    samples.append(ms)
                    said.add(getattr(outcome, "state", "?"))
                print(f"{state:<10} {'print_with_wait (bound 0.9 s)':<30} "
                      f"{statistics.median(samples):>8.1f} {max(samples):>8.1f}  "
                      f"{', '.join(sorted(said))}")
        finally:
            spooler.stop()
    finally:
        close_all()
        printer.stop()
        engine.dispose()


if __name__ == "__main__":
    main()
