"""Printing commands: the printer, the spool, ticket PDFs, the simulated printer."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from printers.escpos.profiles import DEFAULT_PROFILE, FLOWS, MODES, PROFILES

if TYPE_CHECKING:
    from kiosk.app.printer import SpoolResult
    from kiosk.cli import Commands, Context
    from printers.escpos.profiles import PrinterProfile


def register(commands: Commands) -> None:
    printer = commands.group("printer", help="test and query a receipt printer")
    p = commands.add(printer, "test", cmd_printer_test, "print a sample ticket")
    _port_options(p)
    p = commands.add(printer, "status", cmd_printer_status, "ask the printer its status")
    _port_options(p)

    dev = commands.group("devices", "set", help="set a station's devices")
    p = commands.add(dev, "printer", cmd_devices_set_printer,
                     "set the station's receipt printer")
    _port_options(p)

    ticket = commands.group("ticket")
    p = commands.add(ticket, "pdf", cmd_ticket_pdf, "save a ticket of today as PDF")
    p.add_argument("number")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--paper", choices=["80mm", "58mm"], default="80mm")

    spool = commands.group("print", help="the print spool")
    p = commands.add(spool, "jobs", cmd_print_jobs,
                     "list the station's print jobs, newest first")
    p.add_argument("--state", action="append", help="only jobs in this state (repeatable)")
    p.add_argument("--all", action="store_true", help="the jobs of every station")
    p = commands.add(spool, "retry", cmd_print_retry, "send a job again (reprint if done)")
    p.add_argument("job", type=int)
    p = commands.add(spool, "cancel", cmd_print_cancel, "cancel a job not yet printed")
    p.add_argument("job", type=int)
    commands.add(spool, "run", cmd_print_run, "send every waiting job of the station now")

    sim = commands.group("simulate", help="simulated devices for demos and tests")
    p = commands.add(sim, "printer", cmd_simulate_printer,
                     "a fake receipt printer on a pty; type ok/paper_out/cover_open/"
                     "offline/silent on stdin to switch state")
    p.add_argument("--state", default="ok",
                   choices=["ok", "paper_out", "cover_open", "offline", "silent"])
    p.add_argument("--save-dir", type=Path, help="save raster strips here as PNG")
    p.add_argument("--link", type=Path, help="keep a symlink to the pty here")


def _port_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", required=True, help="device path or pyserial URL")
    p.add_argument("--profile", default=DEFAULT_PROFILE, choices=sorted(PROFILES))
    p.add_argument("--mode", choices=MODES, help="text or raster (default: the profile's)")
    p.add_argument("--baud", type=int, help="baud rate (default: the profile's)")
    p.add_argument("--flow", choices=FLOWS, help="flow control the cable carries "
                   "(default: the profile's)")


def _profile(args: argparse.Namespace) -> PrinterProfile:
    from kiosk.app.printer import printer_profile

    return printer_profile(args.profile, args.mode, args.baud, args.flow)


def cmd_printer_test(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.printer import print_test_page

    sent = print_test_page(args.port, _profile(args))
    ctx.emit(sent.to_json(), f"sample ticket sent to {sent.port} ({sent.profile}, "
                             f"{sent.mode}, {sent.bytes} bytes)")


def cmd_printer_status(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.app.printer import no_answer, query_printer

    status = query_printer(args.port, _profile(args))
    ctx.emit(status.to_json(), f"{args.port}: online={status.online} "
                               f"cover_open={status.cover_open} paper={status.paper}")
    if status.online is None:
        # Exit 4 says "device problem"; the technician also needs where and what to check.
        print(no_answer(args.port).bilingual(), file=sys.stderr)
        return 4
    return 0


def cmd_devices_set_printer(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.setup import assign_printer
    from kiosk.app.staff import console

    _profile(args)  # an unknown profile, mode or baud is refused before the database
    # saved under the port's stable name (by-id, else by-path) when it has one
    info = assign_printer(ctx.app, console(ctx.app), args.port, args.profile, args.mode,
                          args.baud, args.flow)
    ctx.emit(info.to_json(), f"receipt printer of {ctx.app.station}: {info.port} "
                             f"({info.profile}, {info.mode})")


def cmd_ticket_pdf(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.tickets import ticket_pdf

    saved = ticket_pdf(ctx.app, args.number, args.out, args.paper)
    ctx.emit(saved.to_json(), f"ticket {saved.number} saved to {saved.out}")


def cmd_print_jobs(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.app.printer import print_jobs

    views = print_jobs(ctx.app, tuple(args.state or ()), every_station=args.all
                       ).to_json()["jobs"]
    lines = [f"{v['id']:>5} {v['station']:<12} {v['state']:<9} {v['kind']:<14} "
             f"{v['reference']:<16} tries {v['attempts']} {v['last_error']}" for v in views]
    ctx.emit({"jobs": views}, "\n".join(lines) or "no print jobs")


def cmd_print_retry(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.app.printer import retry_job

    run = retry_job(ctx.app, args.job)
    assert run.job is not None
    job = run.job
    verb = "sent again" if job.id in run.printed else "queued"
    ctx.emit(job.to_json(), f"print job {job.id} {verb}: {job.state}")
    return _spool_exit(run, job.id)


def cmd_print_cancel(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.app.printer import cancel_job

    job = cancel_job(ctx.app, args.job)
    ctx.emit(job.to_json(), f"print job {job.id} cancelled: {job.state}")
    return 0


def cmd_print_run(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.app.printer import run_spool

    run = run_spool(ctx.app)
    ctx.emit(run.to_json(), f"printed {len(run.printed)} job(s), {len(run.waiting)} waiting")
    return _spool_exit(run, None)


def _spool_exit(run: SpoolResult, job_id: int | None) -> int:
    """Exit 4 with the printer's reason when the job (or any job) did not print."""
    if run.failure is not None and (job_id is None or job_id not in run.printed):
        print(run.failure.bilingual(), file=sys.stderr)
        return 4
    return 0


def cmd_simulate_printer(ctx: Context, args: argparse.Namespace) -> int:
    from printers.simulators.printer import STATES, FakePrinter

    if args.save_dir:
        args.save_dir.mkdir(parents=True, exist_ok=True)

    def show(line: str) -> None:
        ctx.emit({"line": line}, line)

    printer = FakePrinter(args.state, link=args.link, save_dir=args.save_dir, on_line=show)
    printer.start()
    ctx.emit({"port": printer.path, "link": str(args.link) if args.link else None,
              "state": printer.state},
             f"fake printer on {printer.path} ({printer.state}); type "
             f"{'/'.join(STATES)} to switch, Ctrl-D to stop")
    def on_term(*_: object) -> None:
        raise SystemExit(0)  # unwinds the blocking stdin read; finally stops the printer

    signal.signal(signal.SIGTERM, on_term)
    try:
        for raw in sys.stdin:
            word = raw.strip()
            if word in STATES:
                printer.set_state(word)
                ctx.emit({"state": word}, f"state: {word}")
            elif word:
                ctx.emit({"unknown": word}, f"unknown state {word!r}: one of {', '.join(STATES)}")
        if not sys.stdin.isatty():
            threading.Event().wait()  # stdin at EOF (pipe, /dev/null): run until signalled
    finally:
        printer.stop()
    return 0
