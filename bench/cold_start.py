"""Cold start of a command on an up-to-date database.

    .venv/bin/python bench/cold_start.py [--runs 20] [--baseline DIR]

Runs ``kiosk queue`` --runs times in fresh processes against a migrated SQLite file
whose business day has begun (one ticket taken), as ``python -m kiosk`` and as the
installed ``kiosk`` script does (``ui.cli``: the core's commands plus the screens');
the same command the next morning, before anything rolled the day, which takes the
engine's path (``kiosk.queue.board_sqlite`` leaves a day to roll to it); and for
scale the bare interpreter. With
``--baseline DIR`` (another checkout of the project, e.g. ``git archive main | tar -x
-C DIR``) it also runs that checkout's ``kiosk queue`` on the same file. The commands
take turns run by run, so a machine whose load changes during the benchmark weighs on
each alike. Target (issue 8): <= 0.3 s.

It measures with bytecode caches, as an installed kiosk runs: it compiles ``kiosk``,
``printers`` and ``ui`` first (``compileall``, the baseline's too) and drops
``PYTHONDONTWRITEBYTECODE`` from the children's environment, so a shell that sets it
(the helpers' does) does not make every run compile the project from source.
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



def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run, in ms. On a shared machine
    the CPU time is the steadier figure: it leaves out the time spent waiting for a
    core."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another checkout whose kiosk queue to time beside this one")
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.baseline.resolve()] if args.baseline else [])
    for checkout in checkouts:
        for package in ("kiosk", "printers", "ui"):
            compileall.compile_dir(checkout / package, quiet=1)
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/k.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_NOW": "2026-11-23T10:00:00+08:00"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # the caches compiled above are used
        for setup in (["init"], ["ticket", "take", "claims"]):
            subprocess.run([sys.executable, "-m", "kiosk", "--db", url, *setup], check=True,
                           env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        # Each in its checkout's folder: ``python -m`` imports from the current folder.
        rows: list[tuple[str, list[str], dict[str, str], Path]] = [
            ("python -c pass", [sys.executable, "-c", "pass"], env, ROOT),
            ("kiosk queue (python -m kiosk)",
             [sys.executable, "-m", "kiosk", "--db", url, "queue"], env, ROOT),
            ("kiosk queue (the kiosk script, ui.cli)",
             [sys.executable, "-m", "ui.cli", "--db", url, "queue"], env, ROOT),
            ("kiosk queue, next morning (engine's path)",
             [sys.executable, "-m", "kiosk", "--db", url, "queue"],
             {**env, "KIOSK_NOW": "2026-11-24T09:00:00+08:00"}, ROOT),
        ]
        if args.baseline:
            rows.append((f"baseline {args.baseline.name}: kiosk queue",
                         [sys.executable, "-m", "kiosk", "--db", url, "queue"],
                         {**env, "PYTHONPATH": str(checkouts[1])}, checkouts[1]))
        times: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in rows}
        for _ in range(args.runs):
            for label, cmd, row_env, cwd in rows:
                times[label].append(timed(cmd, row_env, cwd))
        for label, *_ in rows:
            wall = [w for w, _ in times[label]]
            cpu = [c for _, c in times[label]]
            print(f"  {label:<44} wall median {statistics.median(wall):6.0f} ms "
                  f"(min {min(wall):5.0f})   CPU median {statistics.median(cpu):5.0f} ms "
                  f"(min {min(cpu):5.0f})   n={args.runs}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
