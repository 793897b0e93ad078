"""Keypad and rating commands: ``keypad scan|rate|listen|serve|status``,
``devices set keypad``, ``ratings``, ``rate`` (on-screen rating) and
``simulate keypad``."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.db import unit_of_work
from kiosk.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from kiosk.app.keypads import KeypadPortInfo
    from kiosk.cli import Commands, Context
    from printers.kp1.codec import KeyEvent
    from printers.simulators.keypad_bus import FakeKeypadBus


def register(commands: Commands) -> None:
    keypad = commands.group("keypad", help="rating keypads (KP1): scan, test, listen, serve")
    p = commands.add(keypad, "scan", cmd_scan, "find the keypads on a port (GET_INFO 1-31)")
    _port_args(p)
    p.add_argument("--addresses", default="1-31", help="addresses to try, e.g. 1-8 or 1,2,5")
    p = commands.add(keypad, "rate", cmd_rate, "ask one keypad for a rating and wait for it")
    _port_args(p)
    p.add_argument("--address", type=int, required=True)
    p.add_argument("--timeout", type=int, default=30, help="seconds the keypad waits (1-255)")
    p = commands.add(keypad, "listen", cmd_listen, "poll keypads and print every event")
    _port_args(p)
    p.add_argument("--addresses", required=True, help="e.g. 1,2")
    p.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    p = commands.add(keypad, "serve", cmd_serve,
                     "run the configured keypads: ratings for finished tickets, function keys")
    p.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    commands.add(keypad, "status", cmd_status, "configured keypads and whether they answer")

    devices = commands.group("devices", "set", help="set the branch's devices")
    p = commands.add(devices, "keypad", cmd_devices_set_keypad,
                     "set the keypads of a port: address=counter pairs")
    _port_args(p)
    p.add_argument("--map", required=True, help="ADDRESS=COUNTER[,...], e.g. 1=1,2=2")
    p.add_argument("--timeout", type=int, default=30,
                   help="seconds a keypad waits for a rating (1-255)")

    p = commands.add(commands.top, "ratings", cmd_ratings,
                     "satisfaction ratings, rates and the list (business days)")
    p.add_argument("--from", dest="first", help="first business day (YYYY-MM-DD; default today)")
    p.add_argument("--to", dest="last", help="last business day (default: --from)")
    p.add_argument("--list", action="store_true",
                   help="also list the individual ratings, a page at a time")
    p.add_argument("--page", type=int, default=1, help="page of the list (default 1)")
    p.add_argument("--per-page", type=int, default=100, help="ratings per page (1-500)")
    p = commands.add(commands.top, "rate", cmd_rate_on_screen,
                     "on-screen rating of a finished ticket (counter without keypad)")
    p.add_argument("ticket")
    p.add_argument("value", help="very_satisfied, satisfied, neutral, dissatisfied, "
                                 "very_dissatisfied (per the scale) or none")

    sim = commands.group("simulate", help="simulated devices for demos and tests")
    p = commands.add(sim, "keypad", cmd_simulate_keypad,
                     "fake keypads on a pty; prints its path, then reads commands from stdin")
    p.add_argument("--addresses", default="1", help="e.g. 1,2,3")
    p.add_argument("--keys", type=int, default=4, choices=[3, 4, 5])
    p.add_argument("--baud", type=int, help="pace replies as on a line at this baud rate")
    p.add_argument("--script", type=Path, help="commands to run first (same syntax as stdin)")
    p.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C/EOF)")


def _port_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", required=True, help="device path or pyserial URL")
    p.add_argument("--baud", type=int, default=9600, choices=[9600, 19200])


def cmd_scan(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.keypads import parse_addresses, scan_keypads

    found = scan_keypads(args.port, args.baud, parse_addresses(args.addresses))
    lines = [f"{k.address:>2}  {k.model:<8} serial {k.serial}  firmware "
             f"{k.firmware:#06x}  {k.keys} keys" for k in found.keypads]
    ctx.emit(found.to_json(), "\n".join(lines) or f"no keypad answered on {args.port}")


def cmd_rate(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.keypads import ask_rating

    result = ask_rating(args.port, args.baud, args.address, args.timeout)
    ctx.emit(result.to_json(), f"keypad {result.address}: {result.rating} (key {result.key})")


class _JsonLines:
    """Bus listener printing one line per event (``keypad listen``)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def key_pressed(self, address: int, event: KeyEvent) -> None:
        obj = {"address": address, "event": "key", "event_id": event.event_id,
               "session": event.session, "key": event.key, "name": event.key_name,
               "age_ms": event.age_ms}
        self.ctx.emit(obj, f"{address}: key 0x{event.key:02x} {event.key_name} "
                           f"(event {event.event_id}, session {event.session})")

    def device_event(self, address: int, kind: str, detail: str = "") -> None:
        self.ctx.emit({"address": address, "event": kind, "detail": detail},
                      f"{address}: {kind} {detail}".rstrip())


def cmd_listen(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.keypads import duration, listen_keypads, parse_addresses

    addresses = parse_addresses(args.addresses)
    listen_keypads(args.port, args.baud, addresses, _JsonLines(ctx),
                   seconds=duration(args.seconds))


def cmd_serve(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.keypads import serve_keypads

    def started(port: KeypadPortInfo) -> None:
        print(f"serving {len(port.keypads)} keypad(s) on {port.port} — Ctrl-C to stop",
              file=sys.stderr, flush=True)

    ports = serve_keypads(ctx.app, seconds=args.seconds, started=started)
    ctx.emit({"stopped": True, "ports": [p.port for p in ports]}, "keypad service stopped")


def cmd_status(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.keypads import keypad_status

    result = keypad_status(ctx.app)
    state = {True: "online", False: "OFFLINE", None: "not seen"}
    lines = [f"counter {k.counter}: keypad {k.address} on {k.port} {state[k.online]}"
             for k in result.keypads]
    ctx.emit(result.to_json(), "\n".join(lines) or "no keypads configured")


def cmd_devices_set_keypad(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.keypads import parse_map
    from kiosk.app.setup import assign_keypads
    from kiosk.app.staff import console

    config = assign_keypads(ctx.app, console(ctx.app), args.port, parse_map(args.map),
                            baud=args.baud, timeout_s=args.timeout)
    pairs = ", ".join(f"{k.address}→counter {k.counter}" for k in config.keypads)
    ctx.emit(config.to_json(), f"keypads on {config.port}: {pairs}")


def _day(text: str | None, default: date) -> date:
    if text is None:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"日期格式应为 YYYY-MM-DD：{text}",
                         f"dates are YYYY-MM-DD, got {text!r}") from exc


def cmd_ratings(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk import clock
    from kiosk.branch.info import load_branch
    from kiosk.feedback.ratings import rating_page, rating_report

    with unit_of_work(ctx.engine) as session:
        branch = load_branch(session)
        first = _day(args.first, branch.business_date(clock.now()))
        last = _day(args.last, first)
        report = rating_report(session, branch, first, last)
        if args.list:
            report["list"] = rating_page(session, branch, first, last, page=args.page,
                                         per_page=args.per_page)

    def pct(rate: float | None) -> str:
        return "-" if rate is None else f"{rate:.1%}"

    lines = [f"{report['from']} – {report['to']}: {report['given']} ratings, satisfaction "
             f"{pct(report['satisfaction_rate'])}, participation "
             f"{pct(report['participation_rate'])}, not rated {report['not_rated']}"]
    lines += [f"  counter {c['counter']}: {c['given']} ratings, satisfaction "
              f"{pct(c['satisfaction_rate'])}" for c in report["by_counter"]]
    if args.list:
        listed = report["list"]
        lines.append(f"ratings {listed['page']}/{max(listed['pages'], 1)} "
                     f"({listed['total']} in all):")
        lines += [f"  {r['at']} {r['ticket'] or '-':<5} counter {r['counter']} "
                  f"{r['staff'] or '-'} {r['value']} ({r['source']}"
                  f"{'' if r['solicited'] else ', unsolicited'})" for r in listed["ratings"]]
    ctx.emit(report, "\n".join(lines))


def cmd_rate_on_screen(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.ratings import rate_on_screen

    rating = rate_on_screen(ctx.app, args.ticket, args.value)
    ctx.emit(rating.to_json(), f"{rating.ticket}: {rating.value} (counter {rating.counter})")


def cmd_simulate_keypad(ctx: Context, args: argparse.Namespace) -> None:
    from printers.simulators.keypad_bus import FakeKeypadBus

    script: list[str] = []
    if args.script:  # read before the pty opens: a bad file is a usage error, not a crash
        try:
            script = args.script.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"无法读取模拟脚本 {args.script}",
                             f"cannot read the simulator script {args.script}: {exc}") from exc
    from kiosk.app.keypads import duration, parse_addresses

    seconds = duration(args.seconds)
    bus = FakeKeypadBus(parse_addresses(args.addresses), keys=args.keys, baud=args.baud)
    path = bus.start()
    try:
        ctx.emit({"path": path, "addresses": sorted(bus.keypads)}, path)
        _console(bus, script)
        # stdin is read on a side thread, so --seconds holds even while nobody types;
        # at EOF the keypads keep answering until Ctrl-C or --seconds.
        threading.Thread(target=_console, args=(bus, sys.stdin), daemon=True,
                         name="keypad console").start()
        threading.Event().wait(seconds)
    finally:
        bus.stop()


def _console(bus: FakeKeypadBus, lines: Iterable[str]) -> None:
    from printers.simulators.keypad_bus import run_line

    for line in lines:
        try:
            said = run_line(bus, line)
        except (ValueError, KeyError, IndexError, OSError) as exc:
            said = (f"? {exc} — try: 2 key 1 | 2 key call_next | 2 restart | 2 deaf 3 | "
                    "2 badcrc 1 | 2 busy 1 | 2 voice on | 2 stuck on | garbage A5 01")
        if said:
            print(said, file=sys.stderr, flush=True)
