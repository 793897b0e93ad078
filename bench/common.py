"""What the benchmarks share: the Monday morning they run at, the cache of seeded
databases, a branch whose services never run out of tickets, percentiles, timing a
call, running the ``kiosk`` command, and a throw-away PostgreSQL server.

Imported as ``bench.common`` by the scripts, after they put the repository root on
``sys.path``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.branch.settings import BranchConfig, default_config

if TYPE_CHECKING:
    from tests.pg import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
TODAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
CACHE = ROOT / "bench" / "out"


def big_branch() -> BranchConfig:
    """The default branch with a daily cap of 999 tickets on every service."""
    config = default_config()
    return replace(config, services=tuple(replace(s, daily_cap=999) for s in config.services))


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (0-100) of ``samples``, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(fn: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall time and this process's CPU time of each call, in ms. With SQLite the query
    runs in this process, so on a shared machine its CPU time is the steadier figure."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def kiosk(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``kiosk --db url args...`` in a new process (this checkout's code), checked."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", url, *args],
                          capture_output=True, text=True, env=env, check=True, timeout=7200)


@contextmanager
def postgres() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL server (``tests/pg.py``), stopped when the block ends.
    Imported here, not at the top: ``--skip-postgres`` runs need no PostgreSQL."""
    from tests.pg import PostgresServer

    with PostgresServer() as server:
        yield server
