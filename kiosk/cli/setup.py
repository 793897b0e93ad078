"""The technician's commands: ``devices ports``, ``devices probe``, ``devices
address`` (a keypad's SET_ADDR), ``diagnostics export``, ``install`` and
``uninstall``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app.install import Installed
    from kiosk.app.setup import ProbeProgress
    from kiosk.cli import Commands, Context


def register(commands: Commands) -> None:
    devices = commands.group("devices", help="the devices of each station")
    commands.add(devices, "ports", cmd_ports,
                 "the serial ports of this PC: stable name, USB id, whether the kiosk "
                 "user may open it")
    p = commands.add(devices, "probe", cmd_probe,
                     "which port answers as a receipt printer (DLE EOT) or a keypad bus "
                     "(GET_INFO 1-31 at 9600 and 19200)")
    p.add_argument("--port", action="append", default=[],
                   help="probe this port (repeatable; pseudo-terminals too); "
                        "default: every port of `devices ports`")
    commands.add(devices, "check", cmd_check,
                 "check this PC for what stops a kiosk working, with the fix for each")
    p = commands.add(devices, "address", cmd_address,
                     "give the keypad with a serial number a new address (SET_ADDR)")
    p.add_argument("--port", required=True)
    p.add_argument("--baud", type=int, default=9600, choices=[9600, 19200])
    p.add_argument("--serial", required=True, help="the keypad's serial number")
    p.add_argument("--address", type=int, required=True, help="the new address (1-31)")

    p = commands.add(commands.top, "install", cmd_install,
                     "set this PC up as a kiosk station: kiosk user in dialout, udev rules "
                     "for its devices, a systemd service starting its roles at boot (root)")
    p.add_argument("--root", type=Path, default=Path("/"),
                   help="write everything below this folder instead of / (nothing of the "
                        "live machine is touched; the system commands are written down)")
    p.add_argument("--role", action="append", default=[],
                   help="a role to start at boot, each on its own screen (repeatable; "
                        "default: customer)")
    p.add_argument("--counter", type=int, help="the counter of the counter role")
    p = commands.add(commands.top, "uninstall", cmd_uninstall,
                     "undo kiosk install: remove the files it listed, disable the service")
    p.add_argument("--root", type=Path, default=Path("/"))

    diagnostics = commands.group("diagnostics", help="what to send to support")
    p = commands.add(diagnostics, "export", cmd_diagnostics,
                     "one zip: settings (no PINs, no personal data), devices and their log, "
                     "checks, versions, the recent application log")
    p.add_argument("file", type=Path)
    p.add_argument("--logs", type=Path, help="the log folder (default: "
                   "$XDG_STATE_HOME/lobby-kiosk)")


def cmd_diagnostics(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.diagnostics import export_diagnostics

    made = export_diagnostics(ctx.app, args.file, logs=args.logs)
    ctx.emit(made.to_json(), f"diagnostics written to {made.path} ({len(made.files)} files, "
                             f"{made.bytes} bytes)")


def cmd_install(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.install import install

    done = install(ctx.app, args.root, args.role, counter=args.counter, db_url=ctx.db_url)
    ctx.emit(done.to_json(), _installed_text(done, "installed"))


def cmd_uninstall(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.install import uninstall

    done = uninstall(args.root)
    ctx.emit(done.to_json(), _installed_text(done, "removed"))


def _installed_text(done: Installed, verb: str) -> str:
    lines = [f"{verb} below {done.root}:", *(f"  {f}" for f in done.files)]
    if done.commands_file:
        lines.append(f"system commands written to {done.commands_file} (not run)")
    else:
        lines += ["ran:", *(f"  {c}" for c in done.commands)]
    return "\n".join(lines)


def cmd_ports(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.setup import serial_ports

    found = serial_ports()
    lines = []
    for port in found.ports:
        usb = f" USB {port.vid_pid}" if port.vid_pid else ""
        serial = f" serial {port.serial_number}" if port.serial_number else ""
        access = "ok" if port.can_open else port.access_problem
        lines.append(f"{port.device}  {port.stable_path}{usb}{serial}  {port.description}"
                     f"  [{port.user}: {access}]")
    ctx.emit(found.to_json(), "\n".join(lines) or "no serial port found")


def cmd_probe(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.setup import probe_ports

    shown: set[str] = set()

    def progress(step: ProbeProgress) -> None:
        if not ctx.json and step.port not in shown:
            shown.add(step.port)
            print(f"probing {step.port} ({step.index}/{step.ports})...", file=sys.stderr,
                  flush=True)

    report = probe_ports(args.port or None, progress=progress)
    lines = []
    for port in report.ports:
        if port.kind == "printer" and port.printer is not None:
            what = (f"receipt printer at {port.baud} baud (online {port.printer.online}, "
                    f"paper {port.printer.paper})")
        elif port.kind == "keypads":
            what = f"keypad bus at {port.baud} baud: " + ", ".join(
                f"{k.address} ({k.model} {k.serial})" for k in port.keypads)
        elif port.kind == "error":
            what = f"error: {port.error_en}"
        else:
            what = port.kind
        lines.append(f"{port.port}: {what}")
    ctx.emit(report.to_json(), "\n".join(lines) or "no port to probe")


def cmd_check(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.setup import run_checks

    found = run_checks(ctx.app)
    lines = [f"[{c.state}] {c.name}: {c.found_en}" + (f"\n    fix: {c.fix_en}" if c.fix_en
                                                     and c.state != "ok" else "")
             for c in found.checks]
    ctx.emit(found.to_json(), "\n".join(lines))


def cmd_address(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.setup import set_keypad_address
    from kiosk.app.staff import console

    done = set_keypad_address(ctx.app, console(ctx.app), args.port, args.baud, args.serial,
                              args.address)
    ctx.emit(done.to_json(), f"keypad {done.serial} on {done.port} now answers at "
                             f"address {done.address}")
