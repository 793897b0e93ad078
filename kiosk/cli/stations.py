"""Station commands: ``devices list``, ``devices health``, ``devices log``, ``devices set a4`` and
``print a4`` (a PDF to the station's A4 output)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.cli import Commands, Context


def register(commands: Commands) -> None:
    devices = commands.group("devices", help="the devices of each station")
    commands.add(devices, "list", cmd_devices_list, "every station and its devices")
    commands.add(devices, "health", cmd_devices_health,
                 "every station's devices as last seen (paper out since 10:02...)")
    p = commands.add(devices, "log", cmd_devices_log,
                     "device changes, newest first (offline, back online, paper out, cover "
                     "open, keypad restarts)")
    p.add_argument("--station-only", action="store_true", help="only this station's")
    p.add_argument("--limit", type=int, default=200)
    dev_set = commands.group("devices", "set", help="set a station's devices")
    p = commands.add(dev_set, "a4", cmd_devices_set_a4,
                     "set the station's A4 output: a CUPS queue or a folder for PDFs")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--cups", metavar="QUEUE", help="print with lp -d QUEUE")
    where.add_argument("--folder", metavar="DIR", help="write the PDFs into this folder")

    spool = commands.group("print", help="the print spool")
    p = commands.add(spool, "a4", cmd_print_a4, "send a PDF to the station's A4 output")
    p.add_argument("file", type=Path)


def cmd_devices_list(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.stations import list_stations

    found = list_stations(ctx.app)
    lines = []
    for item in found.stations:
        printer = (f"printer {item.printer.port} ({item.printer.profile}, "
                   f"{item.printer.mode})" if item.printer else "no printer")
        a4 = f"A4 {item.a4.kind} {item.a4.target}" if item.a4 else "no A4 output"
        keypads = (f"keypads on {', '.join(item.keypad_ports)}" if item.keypad_ports
                   else "no keypads")
        lines.append(f"{item.station}: {printer}; {a4}; {keypads}")
    ctx.emit(found.to_json(), "\n".join(lines) or "no station has devices yet")


def cmd_devices_health(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.stations import device_health

    states = device_health(ctx.app)
    lines = []
    for row in states.devices:
        said = f": {row.problem_en}" if row.problem_en else ""
        since = f" since {row.since[:16].replace('T', ' ')}" if row.since else ""
        lines.append(f"{row.station} {row.device} {row.state}{said}{since}")
    ctx.emit(states.to_json(), "\n".join(lines) or "no device has reported yet")


def cmd_devices_log(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.stations import device_log

    log = device_log(ctx.app, every_station=not args.station_only, limit=args.limit)
    lines = [f"{e.at[:19].replace('T', ' ')} {e.station} {e.device} {e.state}"
             + (f": {e.problem_en}" if e.problem_en else "") for e in log.entries]
    ctx.emit(log.to_json(), "\n".join(lines) or "no device change recorded yet")


def cmd_devices_set_a4(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.stations import set_a4

    setting = set_a4(ctx.app, cups=args.cups, folder=args.folder)
    ctx.emit(setting.to_json(), f"A4 output of {setting.station}: {setting.kind} "
                                f"{setting.target}")


def cmd_print_a4(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.stations import print_a4

    sent = print_a4(ctx.app, args.file)
    ctx.emit(sent.to_json(), f"{args.file} sent to {sent.kind} {sent.target}: "
                             f"{sent.delivered_as}")
