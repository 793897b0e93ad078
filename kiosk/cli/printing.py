"""Printing commands: the printer, the spool, ticket PDFs, the simulated printer."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.db import unit_of_work
from kiosk.errors import DeviceError, KioskError, UsageError
from printers.escpos.profiles import DEFAULT_PROFILE, MODES, PROFILES

if TYPE_CHECKING:
    from kiosk.cli import Commands, Context
    from kiosk.devices.printing import SpoolRun


def register(commands: Commands) -> None:
    printer = commands.group("printer", help="test and query a receipt printer")
    p = commands.add(printer, "test", cmd_printer_test, "print a sample ticket")
    _port_options(p)
    p = commands.add(printer, "status", cmd_printer_status, "ask the printer its status")
    _port_options(p)

    dev = commands.group("devices", "set", help="set the branch's devices")
    p = commands.add(dev, "printer", cmd_devices_set_printer, "set the receipt printer")
    _port_options(p)

    ticket = commands.group("ticket")
    p = commands.add(ticket, "pdf", cmd_ticket_pdf, "save a ticket of today as PDF")
    p.add_argument("number")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--paper", choices=["80mm", "58mm"], default="80mm")

    spool = commands.group("print", help="the print spool")
    p = commands.add(spool, "jobs", cmd_print_jobs, "list print jobs, newest first")
    p.add_argument("--state", action="append", help="only jobs in this state (repeatable)")
    p = commands.add(spool, "retry", cmd_print_retry, "send a job again (reprint if done)")
    p.add_argument("job", type=int)
    p = commands.add(spool, "cancel", cmd_print_cancel, "cancel a job not yet printed")
    p.add_argument("job", type=int)
    commands.add(spool, "run", cmd_print_run, "send every waiting job now")

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


def _profile(args: argparse.Namespace) -> Any:
    from printers.escpos.profiles import profile

    return profile(args.profile).with_options(mode=args.mode, baud=args.baud)


def cmd_printer_test(ctx: Context, args: argparse.Namespace) -> None:
    from printers.documents.slips import BranchHeading, TicketFacts, queue_ticket
    from printers.escpos.encode import encode
    from printers.escpos.transport import PrinterLink

    prof = _profile(args)
    facts = TicketFacts("A001", "咨询查询 打印测试", "Enquiries (printer test)", "normal", 0,
                        (0, 5), "2026-01-01 09:00", "KIOSK:TEST", ["打印测试 ￥0.00"],
                        ["Printer test page"])
    data = encode(queue_ticket(facts, BranchHeading("打印测试", "Printer test")), prof)
    link = PrinterLink(args.port, prof)
    try:
        link.send(data)
    finally:
        link.close()
    ctx.emit({"port": args.port, "profile": prof.name, "mode": prof.mode, "bytes": len(data)},
             f"sample ticket sent to {args.port} ({prof.name}, {prof.mode}, {len(data)} bytes)")


def cmd_printer_status(ctx: Context, args: argparse.Namespace) -> int:
    from printers.escpos.transport import PrinterLink

    link = PrinterLink(args.port, _profile(args))
    try:
        link.open(attempts=1)
        status = link.status()
    finally:
        link.close()
    ctx.emit({"online": status.online, "cover_open": status.cover_open, "paper": status.paper},
             f"{args.port}: online={status.online} cover_open={status.cover_open} "
             f"paper={status.paper}")
    if status.online is None:
        # Exit 4 says "device problem"; the technician also needs where and what to check.
        from printers.escpos.transport import HINT

        print(DeviceError("打印机无应答（状态未知）", "the printer does not answer status "
                          "queries (status unknown)", port=args.port, hint=HINT).bilingual(),
              file=sys.stderr)
        return 4
    return 0


def cmd_devices_set_printer(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.devices.printing import set_printer

    with unit_of_work(ctx.engine, write=True) as session:
        setting = set_printer(session, args.port, args.profile, args.mode, args.baud)
    view = setting.to_json()
    ctx.emit(view, f"receipt printer: {view['port']} ({view['profile']}, {view['mode']})")


def cmd_ticket_pdf(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.devices.printing import ticket_document
    from printers.documents.model import ROLLS
    from printers.documents.pdf import render_pdf

    with unit_of_work(ctx.engine) as session:
        document = ticket_document(session, args.number)
    pdf = render_pdf(document, ROLLS[args.paper])
    try:
        args.out.write_bytes(pdf)
    except OSError as exc:
        raise UsageError(f"无法写入 {args.out}", f"cannot write {args.out}: {exc.strerror}") \
            from exc
    ctx.emit({"number": document.reference, "out": str(args.out), "bytes": len(pdf)},
             f"ticket {document.reference} saved to {args.out}")


def cmd_print_jobs(ctx: Context, args: argparse.Namespace) -> None:
    from kiosk.devices.printing import job_view, jobs

    with unit_of_work(ctx.engine) as session:
        views = [job_view(j) for j in jobs(session, tuple(args.state or ()) or None)]
    lines = [f"{v['id']:>5} {v['state']:<9} {v['kind']:<14} {v['reference']:<16} "
             f"tries {v['attempts']} {v['last_error']}" for v in views]
    ctx.emit({"jobs": views}, "\n".join(lines) or "no print jobs")


def _after_change(ctx: Context, job_id: int, verb: str) -> int:
    from kiosk.devices.printing import job, job_view

    with unit_of_work(ctx.engine) as session:
        view = job_view(job(session, job_id))
    ctx.emit(view, f"print job {view['id']} {verb}: {view['state']}")
    return 0


def cmd_print_retry(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.devices.printing import retry

    with unit_of_work(ctx.engine, write=True) as session:
        job_id = retry(session, args.job).id
    run = _spool(ctx)
    _after_change(ctx, job_id, "sent again" if job_id in run.printed else "queued")
    return _spool_exit(run, job_id)


def cmd_print_cancel(ctx: Context, args: argparse.Namespace) -> int:
    from kiosk.devices.printing import cancel

    with unit_of_work(ctx.engine, write=True) as session:
        cancel(session, args.job)
    return _after_change(ctx, args.job, "cancelled")


def cmd_print_run(ctx: Context, args: argparse.Namespace) -> int:
    run = _spool(ctx)
    ctx.emit(run.to_json(), f"printed {len(run.printed)} job(s), {len(run.waiting)} waiting")
    return _spool_exit(run, None)


def _spool(ctx: Context) -> SpoolRun:
    from kiosk.devices.printing import run_spool
    from printers.escpos.transport import close_all

    try:
        return run_spool(ctx.engine)
    finally:
        close_all()


def _spool_exit(run: SpoolRun, job_id: int | None) -> int:
    """Exit 4 with the printer's reason when the job (or any job) did not print."""
    if run.error is not None and (job_id is None or job_id not in run.printed):
        print(run.error.bilingual(), file=sys.stderr)
        return 4
    return 0


def print_ticket(ctx: Context, number: str) -> dict[str, Any]:
    """Spool ticket ``number`` (already committed) and print it; for ``ticket take
    --print``. A printer problem never loses the ticket: it raises ``DeviceError``
    whose message names the ticket, the job and the port."""
    from kiosk.devices.printing import enqueue, ticket_document

    with unit_of_work(ctx.engine, write=True) as session:
        job_id = enqueue(session, ticket_document(session, number)).id
    try:
        run = _spool(ctx)
    except KioskError as exc:  # no printer set, no CJK font: the customer needs the number
        raise type(exc)(f"已取号 {number}，但未打印（任务 {job_id} 已排队）：{exc.zh}",
                        f"ticket {number} was taken, but not printed (job {job_id} is "
                        f"queued): {exc.en}", code=exc.code) from exc
    if job_id in run.printed:
        return {"job": job_id, "printed": True}
    error = run.error or DeviceError("打印任务未完成", "the print job did not complete")
    raise DeviceError(
        f"已取号 {number}，但打印失败（任务 {job_id} 已排队，打印机恢复后补打）：{error.zh}",
        f"ticket {number} was taken, but printing failed (job {job_id} is queued and will "
        f"print when the printer is back): {error.en}",
        port=getattr(error, "port", ""), hint=getattr(error, "hint", ""))


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
