"""Writers that queue: 8 processes taking tickets at once, latency of every take.

    .venv/bin/python bench/writers.py [--writers 8] [--takes 50] [--runs 3]
                                      [--skip-postgres] [--skip-sqlite] [--without-lock-file]

Each writer process connects, waits for a common start signal, then takes ``--takes``
tickets one after another, each one whole write unit of work (``Lobby.take`` and its
commit), and reports how long each take took and how long of that it waited before
its transaction began: on the writer lock file (kiosk.db.writer_lock) or, with
``--without-lock-file`` (the engine as it was before), in SQLite's busy handler
behind ``BEGIN IMMEDIATE``. Prints p50, p99 and max per run, on SQLite and on a
throw-away PostgreSQL server. Target (issue 8): p99 <= 50 ms, max <= 150 ms on SQLite.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kiosk.db  # noqa: E402
from bench.common import TODAY_10AM, percentile, postgres  # noqa: E402
from kiosk.branch.settings import default_config  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from kiosk.queue.lobby import Lobby  # noqa: E402

CODES = ["claims", "enquiry", "payments", "policy_change", "new_business", "complaints"]


def worker(url: str, takes: int, go: str, without_lock: bool) -> None:
    if without_lock:
        @contextlib.contextmanager
        def no_lock(*_: Any, **__: Any) -> Iterator[None]:
            yield

        kiosk.db.writer_lock = no_lock  # type: ignore[assignment]
    engine = make_engine(url)
    with unit_of_work(engine) as session:  # connect and load before the start signal
        Lobby(session, now=TODAY_10AM).services()
    began: list[float] = []
    from sqlalchemy import event

    @event.listens_for(engine, "after_cursor_execute")
    def _began(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.startswith("BEGIN") and not began:
            began.append(time.perf_counter())

    while not Path(go).exists():
        time.sleep(0.001)
    out = []
    for i in range(takes):
        began.clear()
        start = time.perf_counter()
        with unit_of_work(engine, write=True) as session:
            Lobby(session, now=TODAY_10AM).take(CODES[i % len(CODES)])
        end = time.perf_counter()
        wait = (began[0] - start) if began else 0.0
        out.append(((end - start) * 1000, wait * 1000))
    print(json.dumps(out))


def run(url: str, writers: int, takes: int, without_lock: bool) -> list[tuple[float, float]]:
    engine = make_engine(url)
    config = default_config()
    ensure_ready(engine, replace(config, services=tuple(
        replace(s, daily_cap=999) for s in config.services)))
    engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        go = Path(tmp) / "go"
        args = [sys.executable, __file__, "--worker", url, str(takes), str(go)]
        procs = [subprocess.Popen(args + (["--without-lock-file"] if without_lock else []),
                                  stdout=subprocess.PIPE, text=True) for _ in range(writers)]
        time.sleep(3.0)  # every worker imported and connected before the start signal
        go.touch()
        samples: list[tuple[float, float]] = []
        for proc in procs:
            stdout, _ = proc.communicate(timeout=600)
            if proc.returncode != 0:
                raise SystemExit("a writer failed")
            samples += [tuple(s) for s in json.loads(stdout)]  # type: ignore[misc]
    return samples


def show(label: str, samples: list[tuple[float, float]]) -> None:
    total = [s[0] for s in samples]
    waits = [s[1] for s in samples]
    work = [t - w for t, w in samples]
    print(f"  {label:<34} take p50 {percentile(total, 50):6.1f}  p99 {percentile(total, 99):6.1f}"
          f"  max {max(total):7.1f} ms | waiting to begin p99 {percentile(waits, 99):6.1f}"
          f"  max {max(waits):7.1f} | in the transaction p50 {percentile(work, 50):5.1f}"
          f"  p99 {percentile(work, 99):5.1f} ms  (n={len(samples)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--takes", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--without-lock-file", action="store_true",
                        help="SQLite writers wait in SQLite's busy handler (as before)")
    parser.add_argument("--worker", nargs=3, metavar=("URL", "TAKES", "GO"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2], args.without_lock_file)
        return
    how = "busy handler" if args.without_lock_file else "lock file"
    print(f"{args.writers} processes x {args.takes} takes at once, per take:")
    for n in range(1, 0 if args.skip_sqlite else args.runs + 1):
        with tempfile.TemporaryDirectory() as tmp:
            show(f"SQLite ({how}) run {n}",
                 run(f"sqlite:///{tmp}/w.db", args.writers, args.takes, args.without_lock_file))
    if not args.skip_postgres:
        with postgres() as server:
            for n in range(1, args.runs + 1):
                show(f"PostgreSQL run {n}",
                     run(server.create_database(), args.writers, args.takes, False))


if __name__ == "__main__":
    main()
