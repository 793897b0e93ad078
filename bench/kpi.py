"""Service KPIs and reports on a year of history, SQLite and PostgreSQL.

    .venv/bin/python bench/kpi.py [--days 365] [--repeat 5] [--skip-postgres] [--skip-sqlite]

SQLite: ``kiosk init`` + ``kiosk seed-demo --days N`` once into bench/out/kpi-Nd.db
(cached; each run works on a copy, nothing rolled up yet). PostgreSQL: a throw-away
server (tests/pg.py) with the same year copied in from that SQLite file (tickets, their
events with their feed positions, ratings): seed-demo on PostgreSQL takes hours on
this shared machine, and the figures only need the same rows.

Then, as the admin panel runs them (each a whole application-layer call, timed):

- the roll-up of the history (once: what the first KPI request after seeding pays);
- the KPI page for the year (``kiosk.app.reports.kpis``: every figure by service, as
  the page opens; and by day, the breakdown with the most rows), one month, today;
  and (SQLite run only: it does not depend on the backend) the page's own drawing of
  the year by day on the GUI thread (table and charts, offscreen);
- the monthly report with its charts, PDF alone and PDF+CSV
  (``kiosk.app.report_files.write_report``), for the last whole month; the daily report;
- ``kiosk report monthly --month M --pdf F --csv F`` end to end (a new process).

Targets (issue 12): monthly report with charts (PDF) <= 2 s; KPI page for a year <= 1 s.
Each figure is the median of ``--repeat`` runs, wall time and this process's CPU time
(SQLite runs its queries in this process, so its CPU time is the steadier figure on a
shared machine); the load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from bench.common import CACHE, kiosk, postgres, timed  # noqa: E402
from kiosk import clock  # noqa: E402
from kiosk.app import AppContext  # noqa: E402
from kiosk.app.report_files import write_report  # noqa: E402
from kiosk.app.reports import kpis, roll_up  # noqa: E402
from kiosk.app.staff import console  # noqa: E402
from kiosk.branch.info import load_branch  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from kiosk.models import Base, KpiWait, Rating, Ticket, TicketEvent  # noqa: E402
from kiosk.queue import feed  # noqa: E402
from kiosk.reports.periods import Period  # noqa: E402

BATCH = 20_000


def seeded_sqlite(days: int) -> Path:
    cached = CACHE / f"kpi-{days}d.db"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        work = CACHE / "kpi-seeding.db"
        work.unlink(missing_ok=True)
        started = time.perf_counter()
        kiosk(f"sqlite:///{work}", "init")
        kiosk(f"sqlite:///{work}", "seed-demo", "--days", str(days))
        print(f"  seeded with kiosk seed-demo --days {days} in "
              f"{time.perf_counter() - started:.0f} s")
        shutil.move(work, cached)
    return cached


def copy_history(sqlite_file: Path, url: str) -> None:
    """Tickets, ticket events (with their feed positions, reserved first so the
    trigger leaves them alone) and ratings (without their keypad request) into a fresh
    PostgreSQL database with the same default branch."""
    started = time.perf_counter()
    source, target = make_engine(f"sqlite:///{sqlite_file}"), make_engine(url)
    ensure_ready(target)
    copied = {}
    with source.connect() as read, target.begin() as write:
        session_branch = write.execute(text("SELECT id FROM branch")).scalar_one()
        last_pos = read.execute(select(func.max(TicketEvent.feed_pos))).scalar() or 0
        with unit_of_work(target, write=True) as session:
            feed.reserve(session, session_branch, int(last_pos))
        for name in ("ticket", "ticket_event", "rating"):
            table = Base.metadata.tables[name]
            result = read.execution_options(yield_per=BATCH).execute(select(table))
            copied[name] = 0
            for rows in result.partitions(BATCH):
                batch = [dict(r._mapping) for r in rows]
                if name == "rating":
                    for row in batch:
                        row["request_id"] = None
                write.execute(insert(table), batch)
                copied[name] += len(batch)
            write.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                               f"(SELECT max(id) FROM {name}))"))
        write.execute(text("ANALYZE"))
    source.dispose()
    target.dispose()
    print(f"  copied {', '.join(f'{n:,} {t}' for t, n in copied.items())} from "
          f"{sqlite_file.name} in {time.perf_counter() - started:.0f} s")


def show(name: str, samples: tuple[list[float], list[float]],
         target_ms: float | None = None) -> None:
    wall, cpu = samples
    verdict = ""
    if target_ms is not None:
        met = "met" if statistics.median(wall) <= target_ms else "MISSED"
        verdict = f"  (target <= {target_ms:.0f} ms: {met})"
    print(f"  {name:<42} median {statistics.median(wall):8.1f} ms   max {max(wall):8.1f} ms"
          f"   CPU here {statistics.median(cpu):8.1f} ms   n={len(wall)}{verdict}", flush=True)


def page_draw(app: AppContext, staff: object, year: Period, repeat: int) -> None:
    """The KPI page's own share (GUI thread, offscreen): the year by day (365 rows in
    the table, the charts as lines) drawn from a report already read."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.admin.kpi_page import KpiPage
    from ui.admin.pages import AdminContext
    from ui.app import create_app

    create_app(keyboard=False)
    context = AdminContext(app)
    context.set_staff(staff)  # type: ignore[arg-type]
    page = KpiPage(context)
    page.resize(1600, 1000)
    page.show()
    page.set_breakdown("day", refresh=False)
    report = kpis(app, staff, year, breakdowns=("day",))  # type: ignore[arg-type]
    show("KPI page drawing the year by day (GUI)", timed(lambda: page._show(report), repeat),
         1000)
    page.close()


def measure(label: str, url: str, days: int, repeat: int, *, draw: bool = False) -> None:
    app = AppContext.open(url, station="BENCH")
    staff = console(app)
    with app.read() as session:
        branch = load_branch(session)
        today = branch.business_date(clock.now())
        tickets = session.scalar(select(func.count()).select_from(Ticket))
        ratings = session.scalar(select(func.count()).select_from(Rating))
        working = [d for d in (today - timedelta(days=i) for i in range(1, 15))
                   if branch.is_working_day(d)]
    year = Period.range(today - timedelta(days=days), today)
    month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month = Period.month(month_start.year, month_start.month)
    print(f"{label}: {tickets:,} tickets, {ratings:,} ratings, {year.first} to {year.last}; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    started = time.perf_counter()
    rolled = roll_up(app, staff)
    print(f"  roll-up of the history (once)           {time.perf_counter() - started:8.1f} s"
          f"   ({rolled.written} days written)", flush=True)
    with app.read() as session:
        rows = session.scalar(select(func.count()).select_from(KpiWait))
    print(f"  wait histogram rows: {rows:,}")

    show("KPI page, the year, by service", timed(lambda: kpis(
        app, staff, year, breakdowns=("service",)), repeat), 1000)
    show("KPI page, the year, by day", timed(lambda: kpis(
        app, staff, year, breakdowns=("day",)), repeat), 1000)
    show("KPI page, the year, every breakdown", timed(lambda: kpis(app, staff, year), repeat))
    show("KPI page, one month, by service", timed(lambda: kpis(
        app, staff, month, breakdowns=("service",)), repeat))
    show("KPI page, today (from the tickets)", timed(lambda: kpis(
        app, staff, Period.day(today), breakdowns=("service",)), repeat))
    if draw:
        page_draw(app, staff, year, repeat)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        show(f"monthly report {month.label}, PDF", timed(lambda: write_report(
            app, staff, month, pdf=out / "m.pdf"), repeat), 2000)
        show(f"monthly report {month.label}, PDF + CSV", timed(lambda: write_report(
            app, staff, month, pdf=out / "m.pdf", csv=out / "m.csv"), repeat), 2000)
        show(f"daily report {working[0]}, PDF + CSV", timed(lambda: write_report(
            app, staff, Period.day(working[0]), pdf=out / "d.pdf", csv=out / "d.csv"), repeat))
        show("kiosk report monthly (a new process)", timed(lambda: kiosk(
            url, "report", "monthly", "--month", month.label, "--pdf", str(out / "c.pdf"),
            "--csv", str(out / "c.csv")), repeat))
    app.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    cached = seeded_sqlite(args.days)
    if not args.skip_sqlite:
        fresh = CACHE / f"kpi-{args.days}d-run.db"
        shutil.copy(cached, fresh)  # nothing rolled up yet
        measure("SQLite", f"sqlite:///{fresh}", args.days, args.repeat, draw=True)
        fresh.unlink()
    if not args.skip_postgres:
        with postgres() as server:
            url = server.create_database()
            copy_history(cached, url)
            measure("PostgreSQL", url, args.days, args.repeat)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
