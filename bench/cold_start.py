"""Cold start of a command on an up-to-date database.

    .venv/bin/python bench/cold_start.py [--runs 20]

Runs ``kiosk queue`` (as ``python -m kiosk``, the installed ``kiosk`` script does the
same plus the screens' command table) --runs times in fresh processes against a
migrated SQLite file, and for scale the bare interpreter and the same command with
Alembic imported first, as every command did before the schema check read
``alembic_version`` directly. Target (issue 8): <= 0.3 s.

It measures with bytecode caches, as an installed kiosk runs: it compiles ``kiosk``,
``printers`` and ``ui`` first (``compileall``) and drops ``PYTHONDONTWRITEBYTECODE``
from the children's environment, so a shell that sets it (the helpers' does) does not
make every run compile the project from source.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WITH_ALEMBIC = ("import alembic.command, alembic.script, alembic.runtime.migration, sys; "
                "from kiosk.cli import main; sys.exit(main())")


def timed(cmd: list[str], runs: int, env: dict[str, str]) -> tuple[list[float], list[float]]:
    """Wall time and CPU time (user + system) of each run, in ms. On a shared machine
    the CPU time is the steadier figure: it leaves out the time spent waiting for a
    core."""
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        wall.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for package in ("kiosk", "printers", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/k.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_NOW": "2026-11-23T10:00:00+08:00"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # the caches compiled above are used
        subprocess.run([sys.executable, "-m", "kiosk", "--db", url, "init"], check=True,
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for label, cmd in [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("kiosk queue", [sys.executable, "-m", "kiosk", "--db", url, "queue"]),
            ("kiosk queue, Alembic imported (before)",
             [sys.executable, "-c", WITH_ALEMBIC, "--db", url, "queue"]),
        ]:
            wall, cpu = timed(cmd, args.runs, env)
            print(f"  {label:<40} wall median {statistics.median(wall):6.0f} ms "
                  f"(min {min(wall):5.0f})   CPU median {statistics.median(cpu):5.0f} ms "
                  f"(min {min(cpu):5.0f})   n={args.runs}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
