"""``kiosk report daily|monthly|range|rollup``: the service KPIs of a period, the
report as PDF and/or CSV files, and the daily rollup. Acts as the console's staff
session (``cli:USER``); writing files is audited. See docs/reports.md."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import UsageError

if TYPE_CHECKING:
    from kiosk.app.reports import KpiFigures, KpiReport
    from kiosk.cli import Commands, Context
    from kiosk.reports.periods import Period


def register(commands: Commands) -> None:
    """Add the ``report`` group."""
    group = commands.group("report", help="service KPIs and the daily and monthly reports")
    p = commands.add(group, "daily", cmd_report, "the report of one business day")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    _report_options(p)
    p = commands.add(group, "monthly", cmd_report, "the report of a calendar month")
    p.add_argument("--month", required=True, metavar="YYYY-MM")
    _report_options(p)
    p = commands.add(group, "range", cmd_report, "the report of a range of days")
    p.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    _report_options(p)
    p = commands.add(group, "rollup", cmd_rollup,
                     "write the KPI rollup of every final day not written yet")
    p.add_argument("--from", dest="first", metavar="YYYY-MM-DD",
                   help="first day (default: the first day with a ticket)")
    p.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day (default: "
                   "yesterday)")


def _report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--pdf", type=Path, metavar="FILE", help="write the PDF report here")
    p.add_argument("--csv", type=Path, metavar="FILE", help="write the CSV table here")
    p.add_argument("--service", help="only tickets of this service (its code)")
    p.add_argument("--counter", type=int, help="only this counter")
    p.add_argument("--staff", dest="staff_member", metavar="NUMBER",
                   help="only this staff member")


def _period(args: argparse.Namespace) -> Period:
    from kiosk.reports.periods import Period, parse_day, parse_month

    if getattr(args, "date", None):
        return Period.day(parse_day(args.date))
    if getattr(args, "month", None):
        return parse_month(args.month)
    return Period.range(parse_day(args.first), parse_day(args.last))


def cmd_report(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.report_files import write_report
    from kiosk.app.reports import kpis
    from kiosk.app.staff import console
    from kiosk.reports.kpi import KpiFilter

    period = _period(args)
    kpi_filter = KpiFilter(service=args.service, counter=args.counter,
                           staff=args.staff_member)
    staff = console(ctx.app)
    if args.pdf is None and args.csv is None:
        report = kpis(ctx.app, staff, period, kpi_filter=kpi_filter)
        ctx.emit(report.to_json(), describe(report))
        return
    written = write_report(ctx.app, staff, period, pdf=args.pdf, csv=args.csv,
                           kpi_filter=kpi_filter)
    files = [f for f in (written.pdf, written.csv) if f]
    ctx.emit(written.to_json(), describe(written.kpis) + "\n" +
             "\n".join(f"已写入 written: {f}" for f in files))


def cmd_rollup(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.reports import roll_up
    from kiosk.app.staff import console
    from kiosk.reports.periods import parse_day

    first = parse_day(args.first) if args.first else None
    last = parse_day(args.last) if args.last else None
    if first and last and last < first:
        raise UsageError("结束日期早于开始日期", "--to is before --from")
    done = roll_up(ctx.app, console(ctx.app), first, last)
    pending = f"; not final yet: {', '.join(done.pending)}" if done.pending else ""
    ctx.emit(done.to_json(), f"{done.first}..{done.last}: {done.written} days rolled up now, "
                             f"{done.already} before{pending}")


def describe(report: KpiReport) -> str:
    """The period's figures as text: the total, then a line per service."""
    only = [f"{name} {value}" for name, value in (("service", report.service),
                                                   ("counter", report.counter),
                                                   ("staff", report.staff)) if value]
    head = f"{report.branch} {report.label}" + (f" ({', '.join(only)})" if only else "")
    lines = [head, _line("合计 Total", report.total)]
    lines += [_line(f"{r.name_zh} {r.name_en}", r) for r in report.by_service]
    return "\n".join(lines)


def _line(name: str, row: KpiFigures) -> str:
    from kiosk.reports.content import duration, minutes, rate

    floor = " (below the floor)" if row.below_floor else ""
    return (f"  {name}: issued {row.issued}, served {row.served}, wait avg "
            f"{duration(row.wait_avg_s)} p90 {minutes(row.wait_p90_min)}, within target "
            f"{rate(row.within_target_rate)}, handling {duration(row.handle_avg_s)}, "
            f"no-show {rate(row.no_show_rate)}, satisfaction "
            f"{rate(row.satisfaction_rate)}{floor}, participation "
            f"{rate(row.participation_rate)}")
