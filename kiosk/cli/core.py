"""Core commands: init, settings, tickets, counters, the queue, the business day,
demo data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.errors import UsageError

if TYPE_CHECKING:
    from kiosk.app.staff import SupervisorPin
    from kiosk.cli import Commands, Context


def register(commands: Commands) -> None:
    top = commands.top
    p = commands.add(top, "init", cmd_init, "create or upgrade the database; seed settings")
    p.add_argument("--settings", type=Path, help="settings TOML to seed instead of defaults")

    settings = commands.group("settings", help="export or import the branch settings (TOML)")
    p = commands.add(settings, "export", cmd_settings_export, "write the settings as TOML")
    p.add_argument("file", help="output file, or - for stdout")
    p = commands.add(settings, "import", cmd_settings_import, "load settings from TOML")
    p.add_argument("file", type=Path)

    ticket = commands.group("ticket", help="take, show and cancel queue tickets")
    p = commands.add(ticket, "take", cmd_ticket_take, "take a ticket for a service")
    p.add_argument("service")
    p.add_argument("--priority", default="normal", choices=["normal", "care", "vip"])
    p.add_argument("--print", action="store_true",
                   help="print it on the receipt printer (through the print spool)")
    p = commands.add(ticket, "show", cmd_ticket_show, "show a ticket of today")
    p.add_argument("number")
    p = commands.add(ticket, "cancel", cmd_ticket_cancel, "cancel a waiting ticket")
    p.add_argument("number")
    p.add_argument("--reason", default="")

    counter = commands.group("counter", help="run a counter")
    for name, help_text in [("open", "open the counter"), ("close", "close the counter"),
                            ("pause", "pause the counter (暂停办公)"),
                            ("resume", "resume a paused counter"),
                            ("call", "call the next ticket (or --number one)"),
                            ("recall", "call the current ticket again"),
                            ("start", "start serving the called ticket"),
                            ("finish", "finish the current ticket"),
                            ("no-show", "mark the called ticket as not present"),
                            ("transfer", "send the current ticket to another service"),
                            ("set", "set the services the counter serves")]:
        p = commands.add(counter, name, cmd_counter, help_text)
        p.add_argument("counter", type=int)
        if name == "open":
            p.add_argument("--staff", help="staff member on duty")
        if name == "call":
            p.add_argument("--staff", help="staff member calling")
            p.add_argument("--number", help="call this ticket out of order (with --reason "
                           "and --supervisor)")
            p.add_argument("--reason", default="", help="why it is called out of order")
        if name in ("pause", "call"):
            p.add_argument("--supervisor", metavar="NUMBER",
                           help="supervisor approving the override (their PIN is asked "
                                "for, or read from standard input)")
        if name == "pause":
            p.add_argument("--reason", default="")
        if name == "transfer":
            p.add_argument("service")
        if name == "set":
            p.add_argument("--services", required=True, help="comma-separated, in order")

    commands.add(top, "queue", cmd_queue, "waiting tickets and counters now")

    day = commands.group("day", help="the business day")
    commands.add(day, "close", cmd_day_close, "expire today's waiting tickets, close counters")

    p = commands.add(top, "seed-demo", cmd_seed_demo, "fill the database with demo history")
    p.add_argument("--days", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)

    p = commands.add(top, "demo", cmd_demo, "run the demonstration (simulated devices)")
    p.add_argument("--steps", type=int, default=0, help="stop after N customers (0 = run on)")


def cmd_init(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import init_database

    ready = init_database(ctx.db_url, args.settings)
    if ready.seeded:
        note = f"; settings from {args.settings} loaded" if args.settings \
            else "; default settings loaded"
    elif ready.imported:
        note = f"; settings imported from {ready.imported}"
    else:
        note = ""
    ctx.emit(ready.to_json(), f"database ready (schema {ready.schema}){note}")


def cmd_settings_export(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import export_settings

    exported = export_settings(ctx.app)
    write_export(ctx, args.file, exported.toml, exported.to_json(), "export_path",
                 f"settings written to {args.file}")


def cmd_settings_import(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import import_settings

    done = import_settings(ctx.app, args.file)
    ctx.emit(done.to_json(), f"settings of {done.branch} imported from {done.imported}")


def cmd_ticket_take(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.tickets import take_ticket

    taken = take_ticket(ctx.app, args.service, args.priority, print_ticket=args.print)
    view = taken.to_json()
    if taken.print is not None and taken.print.error is not None:
        # The ticket is taken; the error names it (--json prints one object: the error).
        if not ctx.json:
            print(_ticket_line(view), flush=True)
        raise taken.print.error
    ctx.emit(view, _ticket_line(view))


def cmd_ticket_show(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.tickets import show_ticket

    view = show_ticket(ctx.app, args.number).to_json()
    ctx.emit(view, _ticket_line(view))


def cmd_ticket_cancel(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.tickets import cancel_ticket

    view = cancel_ticket(ctx.app, args.number, args.reason).to_json()
    ctx.emit(view, _ticket_line(view))


def cmd_counter(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app import counters, staff

    action, number, app = args.counter_command, args.counter, ctx.app
    actor = staff.console(app)  # audited as cli:USER
    if action == "open":
        result = counters.open_counter(app, actor, number, args.staff)
    elif action == "close":
        result = counters.close_counter(app, actor, number)
    elif action == "pause":
        result = counters.pause_counter(app, actor, number, args.reason,
                                        _supervisor(args.supervisor))
    elif action == "resume":
        result = counters.resume_counter(app, actor, number)
    elif action == "call" and args.number:
        approval = _supervisor(args.supervisor)
        if approval is None:
            raise UsageError("跳号呼叫须有主管授权：--supervisor 工号（密码从标准输入读取）",
                             "calling out of order needs a supervisor: --supervisor NUMBER "
                             "(the PIN is read from standard input)", code="supervisor")
        result = counters.call_number(app, actor, number, args.number, args.reason, approval,
                                      args.staff)
    elif action == "call":
        result = counters.call_next(app, actor, number, args.staff)
    elif action == "transfer":
        result = counters.transfer(app, actor, number, args.service)
    elif action == "set":
        result = counters.set_services(app, actor, number, args.services.split(","))
    else:
        result = {"recall": counters.recall, "start": counters.start_serving,
                  "finish": counters.finish, "no-show": counters.no_show}[action](
            app, actor, number)
    view = result.to_json()
    if action == "call" and result.ticket is None:
        text = f"counter {number}: nobody is waiting"
    elif result.ticket is not None:
        text = f"counter {number}: {action} {_ticket_line(view['ticket'])}"
    else:
        text = f"counter {number}: {view['status']} ({', '.join(view['services'])})"
    ctx.emit(view, text)


def _supervisor(number: str | None) -> SupervisorPin | None:
    """The supervisor named on the command line with their PIN (asked for, or one line
    of standard input); the number is checked before the PIN is read."""
    from kiosk.app.staff import SupervisorPin, supervisor_number
    from kiosk.cli.staff import read_pin

    if number is None:
        return None
    checked = supervisor_number(number)
    return SupervisorPin(checked, read_pin(f"PIN of supervisor {checked} / 主管 {checked} "
                                           "的密码: "))


def cmd_queue(ctx: Context, args: argparse.Namespace) -> None:
    snap = _board_without_engine(ctx)
    if snap is None:
        from kiosk.app.board import lobby_board

        snap = lobby_board(ctx.app).to_json()
    lines = [f"{snap['branch']} {snap['at']}"]
    for s in snap["services"]:
        wait = "-" if not s["wait_min"] else f"{s['wait_min'][0]}-{s['wait_min'][1]} min"
        lines.append(f"  {s['prefix']} {s['code']:<14} waiting {s['waiting']:>3}  "
                     f"open counters {s['open_counters']}  wait {wait}")
    for c in snap["counters"]:
        current = c["ticket"]["number"] + " " + c["ticket"]["status"] if c["ticket"] else "-"
        lines.append(f"  counter {c['number']} {c['status']:<6} {c['staff'] or '':<8} {current}")
    ctx.emit(snap, "\n".join(lines))


def _board_without_engine(ctx: Context) -> dict[str, Any] | None:
    """The board read by the standard library's SQLite driver, without importing
    SQLAlchemy, when the engine would only read (:mod:`kiosk.queue.board_sqlite`); with
    the calendar gap for the notice after the command. None: take the engine's path."""
    if ctx.opened:
        return None
    from kiosk.db_url import resolve_url
    from kiosk.queue.board_sqlite import read_board, sqlite_file

    url = resolve_url(ctx.db_url)
    if sqlite_file(url) is None:
        return None
    from kiosk.devices.station_names import resolve_station

    resolve_station(ctx.station)  # the engine's path checks it first: the same error
    read = read_board(url)
    if read is None:
        return None
    ctx.calendar_checked, ctx.calendar_gap = True, read.calendar_gap
    return read.board


def cmd_day_close(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.admin import close_day

    closed = close_day(ctx.app)
    ctx.emit(closed.to_json(), f"day closed: {closed.expired} tickets expired")


def write_export(ctx: Context, target: str, text: str, as_json: dict[str, Any], code: str,
                 done: str) -> None:
    """An export to ``target``: ``-`` is stdout (the TOML itself, or with ``--json`` one
    object ``{"toml": ...}``); a file is written and reported."""
    if target == "-":
        if ctx.json:
            ctx.emit(as_json)
        else:
            sys.stdout.write(text)
        return
    try:
        Path(target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"无法写入 {target}：{exc.strerror}",
                         f"cannot write {target}: {exc.strerror}", code=code) from exc
    ctx.emit({k: v for k, v in as_json.items() if k != "toml"} | {"written": target}, done)


def cmd_seed_demo(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.validate import whole
    from kiosk.seed import seed_history

    # Ten years: more than a demo or a benchmark needs, far from the calendar's end.
    whole(args.days, "天数（--days）", "--days", high=3660)
    summary = seed_history(ctx.engine, days=args.days, seed=args.seed)
    ctx.emit(summary, f"seeded {summary['tickets']} tickets over {summary['days']} "
                      f"business days ({summary['seconds']:.1f} s)")


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    import os

    from kiosk.db import default_url
    from kiosk.demo import run_demo

    if not ctx.db_url and not os.environ.get("KIOSK_DB_URL"):
        # The demo never touches the branch's real database by accident.
        ctx.db_url = default_url().replace("kiosk.db", "demo.db")
    return run_demo(ctx.app, steps=args.steps)


def _ticket_line(view: dict[str, Any]) -> str:
    wait = f", wait {view['wait_min'][0]}-{view['wait_min'][1]} min" if view["wait_min"] else ""
    ahead = f", {view['ahead']} ahead" if view["status"] == "waiting" else ""
    return (f"{view['number']} {view['service_name_zh']} {view['service_name_en']} "
            f"[{view['status']}, {view['priority']}]{ahead}{wait}")
