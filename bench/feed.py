"""Call feed benchmarks: a call made by one process, the line printed by ``kiosk watch``
in another; what an idle listener costs; ``events_since`` on a year of history.

    .venv/bin/python bench/feed.py [--calls 200] [--history-days 365] [--skip-postgres]

1. Latency: ``kiosk watch --json --kind call`` runs in its own process; this process
   takes a ticket and calls it (one unit of work each, as a counter terminal does),
   20-120 ms apart, and times from the call's commit to the moment the watcher's line
   for that ticket is read from its stdout. Target (issue 8): p99 <= 1 s on both.
2. Idle cost: CPU time an idle ``kiosk watch`` uses over 10 s; on SQLite also what one
   poll costs (``PRAGMA data_version`` against reading the feed cursor row).
3. History: ``events_since`` for the newest 50 events of a database holding
   ``--history-days`` of ``seed-demo`` history, and its query plan; the same read on
   the new database beside it.
4. PostgreSQL: what the feed trigger adds to a take (300 takes with it, 300 with it
   dropped, alternating databases).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select, text  # noqa: E402

from bench.common import CACHE, TODAY_10AM, big_branch, percentile, postgres  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from kiosk.models import Ticket, TicketEvent  # noqa: E402
from kiosk.queue import feed  # noqa: E402
from kiosk.queue.lobby import Lobby  # noqa: E402
from kiosk.seed import seed_history  # noqa: E402


def summary(samples: list[float], unit: str = "ms") -> str:
    return (f"p50 {percentile(samples, 50):7.1f} {unit}  p99 {percentile(samples, 99):7.1f} "
            f"{unit}  max {max(samples):7.1f} {unit}  n={len(samples)}")


class Watcher:
    """``kiosk watch`` in its own process; each stdout line stamped when read."""

    def __init__(self, engine: Engine, *args: str) -> None:
        with unit_of_work(engine) as session:  # from here: the warm-up call is seen
            start = feed.latest_id(session)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "--db", engine.url.render_as_string(
                hide_password=False), "watch", "--from", str(start), *args], cwd=ROOT,
            stdout=subprocess.PIPE, text=True)
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put((time.time(), line))

    def warm_up(self, engine: Engine) -> None:
        """Wait until it has started and connected: make a call, wait for its line."""
        call(engine)
        self.lines.get(timeout=120)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def call(engine: Engine) -> str:
    """Take a ticket, then call it at counter 1; returns its number."""
    with unit_of_work(engine, write=True) as session:
        Lobby(session, now=TODAY_10AM).take("enquiry")
    with unit_of_work(engine, write=True) as session:
        ticket = Lobby(session, now=TODAY_10AM).call_next(1)
        assert ticket is not None
        return ticket.number


def latency(engine: Engine, calls: int) -> list[float]:
    watcher = Watcher(engine, "--json", "--kind", "call")
    committed: dict[str, float] = {}
    rng = random.Random(1)
    try:
        watcher.warm_up(engine)  # its start-up is not the figure
        for _ in range(calls):
            number = call(engine)
            committed[number] = time.time()
            time.sleep(rng.uniform(0.02, 0.12))
        seen: dict[str, float] = {}
        while len(seen) < calls:
            at, line = watcher.lines.get(timeout=30)
            seen[json.loads(line)["ticket"]] = at
    finally:
        watcher.stop()
    return [(seen[n] - committed[n]) * 1000 for n in committed]


def idle_cpu(engine: Engine, seconds: float = 10.0) -> float:
    """Percent of one core an idle ``kiosk watch`` uses."""
    watcher = Watcher(engine, "--json", "--kind", "call")
    watcher.warm_up(engine)
    time.sleep(1.0)
    before = watcher.cpu_seconds()
    time.sleep(seconds)
    used = watcher.cpu_seconds() - before
    watcher.stop()
    return used / seconds * 100


def sqlite_probes(path: Path, rounds: int = 20_000) -> dict[str, float]:
    """Microseconds per idle poll: data_version vs reading the cursor row."""
    conn = sqlite3.connect(path, isolation_level=None)
    probes = {
        "PRAGMA data_version": "PRAGMA data_version",
        "SELECT last_pos FROM feed_cursor": "SELECT last_pos FROM feed_cursor "
                                            "WHERE branch_id = 'BR0001'",
    }
    out = {}
    for name, sql in probes.items():
        started = time.perf_counter()
        for _ in range(rounds):
            conn.execute(sql).fetchone()
        out[name] = (time.perf_counter() - started) / rounds * 1e6
    conn.close()
    return out


def latest_position(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return feed.latest_id(session)


def newest_50(engine: Engine, reads: int = 300) -> list[float]:
    """Milliseconds of ``events_since`` for the newest 50 events."""
    with unit_of_work(engine) as session:
        latest = feed.latest_id(session)
        samples = []
        for _ in range(reads):
            started = time.perf_counter()
            found, _ = feed.events_since(session, latest - 50, branch_id="BR0001")
            samples.append((time.perf_counter() - started) * 1000)
            assert len(found) == 50
    return samples


def trigger_cost(new_database: Callable[[], str], takes: int = 300) -> dict[str, list[float]]:
    """Milliseconds per take with the feed trigger and with it dropped (PostgreSQL)."""
    out: dict[str, list[float]] = {"with the feed trigger": [], "trigger dropped": []}
    for _ in range(2):
        for name in out:
            engine = make_engine(new_database())
            ensure_ready(engine, big_branch())
            if name == "trigger dropped":
                with engine.begin() as conn:
                    conn.execute(text("DROP TRIGGER ticket_event_feed ON ticket_event"))
            for _ in range(takes // 2):
                started = time.perf_counter()
                with unit_of_work(engine, write=True) as session:
                    Lobby(session, now=TODAY_10AM).take("enquiry")
                out[name].append((time.perf_counter() - started) * 1000)
            engine.dispose()
    return out


def history(engine: Engine) -> tuple[int, list[float], str]:
    samples = newest_50(engine)
    with unit_of_work(engine) as session:
        events = session.scalar(select(func.count()).select_from(TicketEvent)) or 0
        latest = feed.latest_id(session)
        query = (select(TicketEvent.id).join(Ticket, Ticket.id == TicketEvent.ticket_id)
                 .where(TicketEvent.branch_id == "BR0001", TicketEvent.feed_pos > latest - 50,
                        TicketEvent.feed_pos <= latest)
                 .order_by(TicketEvent.feed_pos).limit(500))
        sql = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        if engine.dialect.name == "postgresql":
            plan = "; ".join(session.scalars(text(f"EXPLAIN {sql}")))
        else:
            plan = "; ".join(str(r[-1]) for r in session.execute(
                text(f"EXPLAIN QUERY PLAN {sql}")))
    return events, samples, plan


def seeded(url: str, days: int, cache: Path | None) -> Engine:
    """A database with ``days`` of history (SQLite: copied from a cached seed)."""
    if cache is not None and cache.exists():
        shutil.copy(cache, url.removeprefix("sqlite:///"))
        return make_engine(url)
    engine = make_engine(url)
    ensure_ready(engine, big_branch())
    started = time.perf_counter()
    seed_history(engine, days=days, seed=1, now=TODAY_10AM)
    print(f"  (seeded {days} days in {time.perf_counter() - started:.0f} s)")
    if cache is not None:
        engine.dispose()
        shutil.copy(engine.url.database or "", cache)
    return engine


def run(name: str, new_url: str, history_url: str, args: argparse.Namespace,
        cache: Path | None) -> None:
    print(f"{name}:")
    engine = make_engine(new_url)
    ensure_ready(engine, big_branch())
    with unit_of_work(engine, write=True) as session:
        Lobby(session, now=TODAY_10AM).open_counter(1, "S1")
    print(f"  call -> kiosk watch line   {summary(latency(engine, args.calls))}")
    print(f"  idle kiosk watch           {idle_cpu(engine):.2f} % of one core")
    if engine.dialect.name == "sqlite":
        for probe, micros in sqlite_probes(Path(engine.url.database or "")).items():
            print(f"  one idle poll: {probe:<34} {micros:6.1f} us")
    while latest_position(engine) < 50:
        call(engine)
    print(f"  events_since, newest 50, new database  {summary(newest_50(engine))}")
    engine.dispose()
    if args.history_days:
        history_engine = seeded(history_url, args.history_days, cache)
        events, samples, plan = history(history_engine)
        print(f"  events_since, newest 50 of {events:,} events  {summary(samples)}")
        print(f"  plan: {plan}")
        history_engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--history-days", type=int, default=365)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-feed-"))
    try:
        run("SQLite", f"sqlite:///{tmp / 'feed.db'}", f"sqlite:///{tmp / 'history.db'}",
            args, CACHE / f"feed-history-{args.history_days}d.db")
        if not args.skip_postgres:
            with postgres() as server:
                run("PostgreSQL", server.create_database(), server.create_database(), args,
                    None)
                for name, samples in trigger_cost(server.create_database).items():
                    print(f"  take, {name:<22} {summary(samples)}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
