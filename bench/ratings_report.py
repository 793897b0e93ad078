"""The ratings report on a year of history, SQLite and PostgreSQL.

    .venv/bin/python bench/ratings_report.py [--days 365] [--repeat 5] [--skip-postgres]

Seeds each database with ``kiosk seed-demo --days N`` (SQLite cached in bench/out/),
then times ``rating_report`` over the whole period (one unit of work, as the CLI runs
it), one page of the list at the start and at the end, and the command
``kiosk ratings --from .. --to .. --json`` end to end. Target (issue 8): the year's
report <= 1 s on both backends.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bench.common import CACHE, kiosk, postgres, timed  # noqa: E402
from kiosk import clock  # noqa: E402
from kiosk.branch.info import load_branch  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.feedback.ratings import rating_page, rating_report  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from kiosk.models import Rating  # noqa: E402


def seed(url: str, days: int) -> None:
    started = time.perf_counter()
    kiosk(url, "init")
    kiosk(url, "seed-demo", "--days", str(days))
    print(f"  seeded with kiosk seed-demo --days {days} in {time.perf_counter() - started:.0f} s")


def copy_ratings(sqlite_file: Path, url: str) -> None:
    """The SQLite year's ratings, into a fresh PostgreSQL database (Core inserts)."""
    from kiosk.migrate import ensure_ready
    from kiosk.models import Base

    started = time.perf_counter()
    source, target = make_engine(f"sqlite:///{sqlite_file}"), make_engine(url)
    ensure_ready(target)
    table = Base.metadata.tables["rating"]
    with source.connect() as read, target.begin() as write:
        rows = [dict(r._mapping) for r in read.execute(select(table))]
        for row in rows:
            row.pop("id")
            row.update(ticket_id=None, request_id=None)
        for start in range(0, len(rows), 20_000):
            write.execute(insert(table), rows[start:start + 20_000])
    source.dispose()
    target.dispose()
    print(f"  copied {len(rows):,} ratings from {sqlite_file.name} in "
          f"{time.perf_counter() - started:.0f} s (ticket and request links left empty)")


def measure(label: str, url: str, days: int, repeat: int) -> None:
    engine = make_engine(url)
    ensure_ready(engine)  # a cached copy seeded by an older release gets the new index
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        last = branch.business_date(clock.now())
        first = last - timedelta(days=days)
        ratings = session.scalar(select(func.count()).select_from(Rating))
    print(f"{label}: {ratings:,} ratings from {first} to {last}")

    def report() -> None:
        with unit_of_work(engine) as session:
            rating_report(session, load_branch(session), first, last)

    def page(number: int) -> object:
        def run() -> None:
            with unit_of_work(engine) as session:
                rating_page(session, load_branch(session), first, last, page=number,
                            per_page=100)
        return run

    with unit_of_work(engine) as session:
        year = rating_report(session, load_branch(session), first, last)
    pages = (year["given"] + year["not_rated"] + 99) // 100
    for name, fn in [("rating_report, the year", report), ("list page 1 of 100", page(1)),
                     (f"list page {pages} (the last)", page(pages))]:
        samples, cpu = timed(fn, repeat)
        print(f"  {name:<28} median {statistics.median(samples):7.1f} ms   "
              f"max {max(samples):7.1f} ms   CPU here median {statistics.median(cpu):7.1f} ms"
              f"   (n={repeat})")
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        kiosk(url, "ratings", "--from", first.isoformat(), "--to", last.isoformat(), "--json")
        samples.append((time.perf_counter() - start) * 1000)
    print(f"  {'kiosk ratings (whole command)':<28} median {statistics.median(samples):7.1f} ms"
          f"   max {max(samples):7.1f} ms   (n={repeat})")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--postgres-from-sqlite", action="store_true",
                        help="copy the SQLite year's ratings into PostgreSQL instead of "
                             "seeding it (seed-demo on PostgreSQL takes hours on a busy "
                             "machine); ticket and request links are left empty")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    if not args.skip_sqlite:
        CACHE.mkdir(parents=True, exist_ok=True)
        cached = CACHE / f"ratings-{args.days}d.db"
        if not cached.exists():
            work = CACHE / "ratings-seeding.db"
            work.unlink(missing_ok=True)
            seed(f"sqlite:///{work}", args.days)
            shutil.move(work, cached)
        measure("SQLite", f"sqlite:///{cached}", args.days, args.repeat)
    if not args.skip_postgres:
        with postgres() as server:
            url = server.create_database()
            if args.postgres_from_sqlite:
                copy_ratings(CACHE / f"ratings-{args.days}d.db", url)
            else:
                seed(url, args.days)
            measure("PostgreSQL", url, args.days, args.repeat)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
