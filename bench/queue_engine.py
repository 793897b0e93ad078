"""Queue engine benchmarks: latency of take and call_next, and concurrent throughput.

    .venv/bin/python bench/queue_engine.py [--history-days 365] [--ops 400] [--skip-postgres]

Prints p50/p99 latency (ms) of one ``take`` and one ``call_next`` — each a whole unit
of work, as the CLI and the screens run them, including the ticket view with its wait
estimate — on an empty SQLite database and on one holding ``--history-days`` of
``seed-demo`` history; then tickets per second with 8 processes taking at once, on
SQLite and on a throw-away PostgreSQL server. Targets (issue 2): p99 <= 20 ms on
SQLite, history/empty ratio <= 1.5, >= 200 tickets/s with 8 writers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select  # noqa: E402

from bench.common import CACHE, TODAY_10AM, big_branch, percentile, postgres  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from kiosk.models import Ticket  # noqa: E402
from kiosk.queue.lobby import Lobby  # noqa: E402
from kiosk.seed import seed_history  # noqa: E402


def prepare(url: str, history_days: int) -> Engine:
    engine = make_engine(url)
    ensure_ready(engine, big_branch())
    if history_days:
        seed_history(engine, days=history_days, seed=1, now=TODAY_10AM)
    return engine


def latencies(engine: Engine, ops: int) -> dict[str, list[float]]:
    codes = ["claims", "enquiry", "payments", "policy_change"]
    take, call = [], []
    for i in range(ops):
        start = time.perf_counter()
        with unit_of_work(engine, write=True) as session:
            lobby = Lobby(session, now=TODAY_10AM)
            lobby.ticket_view(lobby.take(codes[i % len(codes)]))
        take.append((time.perf_counter() - start) * 1000)
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session, now=TODAY_10AM)
        for counter in lobby.counters():
            lobby.open_counter(counter.number, f"S{counter.number}")
    counters = [1, 3, 4, 5]
    for i in range(ops):
        start = time.perf_counter()
        with unit_of_work(engine, write=True) as session:
            lobby = Lobby(session, now=TODAY_10AM)
            ticket = lobby.call_next(counters[i % len(counters)])
            if ticket is not None:
                lobby.ticket_view(ticket)
        call.append((time.perf_counter() - start) * 1000)
    return {"take": take, "call_next": call}


def throughput(url: str, writers: int = 8, per_writer: int = 200) -> float:
    engine = prepare(url, 0)
    engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        go = Path(tmp) / "go"
        procs = [subprocess.Popen([sys.executable, __file__, "--worker", url, str(per_writer),
                                   str(go)], stdout=subprocess.PIPE, text=True)
                 for _ in range(writers)]
        time.sleep(2.0)  # let every worker import and connect before the start signal
        start = time.perf_counter()
        go.touch()
        for proc in procs:
            proc.communicate(timeout=600)
            if proc.returncode != 0:
                raise SystemExit("a writer failed")
        elapsed = time.perf_counter() - start
    engine = make_engine(url)
    with unit_of_work(engine) as session:
        count = session.scalar(select(func.count()).select_from(Ticket))
    engine.dispose()
    assert count == writers * per_writer, count
    return writers * per_writer / elapsed


def worker(url: str, count: int, go: str) -> None:
    engine = make_engine(url)
    with unit_of_work(engine) as session:  # connect before the start signal
        session.scalar(select(1))
    while not Path(go).exists():
        time.sleep(0.001)
    codes = ["claims", "enquiry", "payments", "policy_change", "new_business", "complaints"]
    for i in range(count):
        with unit_of_work(engine, write=True) as session:
            Lobby(session, now=TODAY_10AM).take(codes[i % len(codes)])


def report(label: str, samples: dict[str, list[float]]) -> dict[str, float]:
    out = {}
    for name, values in samples.items():
        p50, p99 = percentile(values, 50), percentile(values, 99)
        out[name] = p99
        print(f"  {label:<22} {name:<10} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   "
              f"mean {statistics.mean(values):6.2f} ms   n={len(values)}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history-days", type=int, default=365)
    parser.add_argument("--ops", type=int, default=400)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--worker", nargs=3, metavar=("URL", "COUNT", "GO"))
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2])
        return

    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    try:
        print("latency, SQLite (one unit of work per action):")
        empty = prepare(f"sqlite:///{tmp / 'empty.db'}", 0)
        p99_empty = report("empty database", latencies(empty, args.ops))
        empty.dispose()
        history_file = CACHE / f"history-{args.history_days}d.db"
        if not history_file.exists():
            started = time.perf_counter()
            seeded = prepare(f"sqlite:///{tmp / 'seed.db'}", args.history_days)
            seeded.dispose()
            shutil.copy(tmp / "seed.db", history_file)
            print(f"  (seeded {args.history_days} days in {time.perf_counter() - started:.0f} s,"
                  f" cached in {history_file.relative_to(ROOT)})")
        shutil.copy(history_file, tmp / "history.db")
        history = make_engine(f"sqlite:///{tmp / 'history.db'}")
        with unit_of_work(history) as session:
            rows = session.scalar(select(func.count()).select_from(Ticket))
        p99_history = report(f"{rows:,} tickets history", latencies(history, args.ops))
        history.dispose()
        for name in p99_empty:
            print(f"  p99 ratio history/empty {name:<10} {p99_history[name] / p99_empty[name]:.2f}")

        print("throughput, 8 processes taking 200 tickets each:")
        sqlite_tp = throughput(f"sqlite:///{tmp / 'tp.db'}")
        print(f"  SQLite      {sqlite_tp:7.0f} tickets/s")
        if not args.skip_postgres:
            with postgres() as server:
                print(f"  PostgreSQL  {throughput(server.create_database()):7.0f} tickets/s")
                engine = prepare(server.create_database(), 0)
                report("PostgreSQL empty", latencies(engine, args.ops))
                engine.dispose()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
