"""Core commands: init, settings, tickets, counters, the queue, the business day,
demo data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.db import unit_of_work
from kiosk.errors import DeviceError, UsageError
from kiosk.queue.lobby import Lobby

if TYPE_CHECKING:
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
            p.add_argument("--number", help="call this ticket out of order")
        if name == "pause":
            p.add_argument("--supervisor", help="supervisor overriding the pause rule")
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
    from kiosk.branch.settings import load_toml
    from kiosk.db import make_engine, resolve_url
    from kiosk.migrate import current_revisions, ensure_ready

    config = load_toml(args.settings) if args.settings else None
    engine = make_engine(resolve_url(ctx.db_url))
    try:
        seeded = ensure_ready(engine, config)
        revision = ",".join(sorted(current_revisions(engine)))
    finally:
        engine.dispose()
    ctx.emit({"schema": revision, "seeded": seeded},
             f"database ready (schema {revision}){'; default settings loaded' if seeded else ''}")


def cmd_settings_export(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.branch.info import current_branch_id
    from kiosk.branch.settings import dump_toml, export_document

    with unit_of_work(ctx.engine) as session:
        text = dump_toml(export_document(session, current_branch_id(session)))
    if args.file == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(args.file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"无法写入 {args.file}：{exc.strerror}",
                             f"cannot write {args.file}: {exc.strerror}",
                             code="export_path") from exc
        ctx.emit({"written": args.file}, f"settings written to {args.file}")


def cmd_settings_import(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.branch.info import current_branch_id
    from kiosk.branch.settings import apply_config, load_toml
    from kiosk.errors import UsageError

    config = load_toml(args.file)  # validated in full before the database is touched
    with unit_of_work(ctx.engine, write=True) as session:
        here = current_branch_id(session)
        if config.id != here:
            # A file for another branch would add a second branch beside this one.
            raise UsageError(
                f"{args.file} 是网点 {config.id} 的设置，本数据库属于网点 {here}",
                f"{args.file} holds the settings of branch {config.id}; this database "
                f"belongs to branch {here}", code="other_branch")
        apply_config(session, config)
    ctx.emit({"imported": str(args.file), "branch": config.id},
             f"settings of {config.id} imported from {args.file}")


def cmd_ticket_take(ctx: Context, args: argparse.Namespace) -> None:
    with unit_of_work(ctx.engine, write=True) as session:
        number = Lobby(session).take(args.service, args.priority).number
    # The estimate is read after the commit, outside the write lock.
    with unit_of_work(ctx.engine) as session:
        lobby = Lobby(session)
        view = lobby.ticket_view(lobby.ticket(number))
    if args.print:
        # The ticket is committed above; a printer problem raises DeviceError naming it.
        from kiosk.cli.printing import print_ticket

        try:
            view["print"] = print_ticket(ctx, view["number"])
        except DeviceError:
            if not ctx.json:  # --json prints one object: the error, naming the ticket
                print(_ticket_line(view), flush=True)
            raise
    ctx.emit(view, _ticket_line(view))


def cmd_ticket_show(ctx: Context, args: argparse.Namespace) -> None:
    with unit_of_work(ctx.engine) as session:
        lobby = Lobby(session)
        view = lobby.ticket_view(lobby.ticket(args.number))
    ctx.emit(view, _ticket_line(view))


def cmd_ticket_cancel(ctx: Context, args: argparse.Namespace) -> None:
    with unit_of_work(ctx.engine, write=True) as session:
        lobby = Lobby(session)
        view = lobby.ticket_view(lobby.cancel(args.number, args.reason))
    ctx.emit(view, _ticket_line(view))


def cmd_counter(ctx: Context, args: argparse.Namespace) -> None:
    action = args.counter_command
    number = args.counter
    with unit_of_work(ctx.engine, write=True) as session:
        lobby = Lobby(session)
        ticket = None
        if action == "open":
            lobby.open_counter(number, args.staff)
        elif action == "close":
            lobby.close_counter(number)
        elif action == "pause":
            lobby.pause_counter(number, args.supervisor, args.reason)
        elif action == "resume":
            lobby.resume_counter(number)
        elif action == "call":
            ticket = (lobby.call_number(number, args.number, args.staff) if args.number
                      else lobby.call_next(number, args.staff))
        elif action == "recall":
            ticket = lobby.recall(number)
        elif action == "start":
            ticket = lobby.start(number)
        elif action == "finish":
            ticket = lobby.finish(number)
        elif action == "no-show":
            ticket = lobby.no_show(number)
        elif action == "transfer":
            ticket = lobby.transfer(number, args.service)
        elif action == "set":
            lobby.set_services(number, [c.strip() for c in args.services.split(",") if c.strip()])
        counter = lobby.counter(number)
        view: dict[str, Any] = {
            "counter": number, "status": counter.status, "staff": counter.staff,
            "services": [s.code for s in lobby.counter_services(counter)],
            "ticket": lobby.ticket_view(ticket) if ticket else None}
    if action == "call" and ticket is None:
        text = f"counter {number}: nobody is waiting"
    elif ticket is not None:
        text = f"counter {number}: {action} {_ticket_line(view['ticket'])}"
    else:
        text = f"counter {number}: {view['status']} ({', '.join(view['services'])})"
    ctx.emit(view, text)


def cmd_queue(ctx: Context, args: argparse.Namespace) -> None:
    with unit_of_work(ctx.engine) as session:
        snap = Lobby(session).snapshot()
    lines = [f"{snap['branch']} {snap['at']}"]
    for s in snap["services"]:
        wait = "-" if not s["wait_min"] else f"{s['wait_min'][0]}-{s['wait_min'][1]} min"
        lines.append(f"  {s['prefix']} {s['code']:<14} waiting {s['waiting']:>3}  "
                     f"open counters {s['open_counters']}  wait {wait}")
    for c in snap["counters"]:
        current = c["ticket"]["number"] + " " + c["ticket"]["status"] if c["ticket"] else "-"
        lines.append(f"  counter {c['number']} {c['status']:<6} {c['staff'] or '':<8} {current}")
    ctx.emit(snap, "\n".join(lines))


def cmd_day_close(ctx: Context, args: argparse.Namespace) -> None:
    with unit_of_work(ctx.engine, write=True) as session:
        expired = Lobby(session).close_day()
    ctx.emit({"expired": expired}, f"day closed: {expired} tickets expired")


def cmd_seed_demo(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.seed import seed_history

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
    return run_demo(ctx, steps=args.steps)


def _ticket_line(view: dict[str, Any]) -> str:
    wait = f", wait {view['wait_min'][0]}-{view['wait_min'][1]} min" if view["wait_min"] else ""
    ahead = f", {view['ahead']} ahead" if view["status"] == "waiting" else ""
    return (f"{view['number']} {view['service_name_zh']} {view['service_name_en']} "
            f"[{view['status']}, {view['priority']}]{ahead}{wait}")
