"""The station's receipt printer and its print spool: the setting, the status, a test
page; the jobs, retry, cancel, and a spool run.

Printer calls talk to a serial port and may take seconds: a screen calls them from a
worker thread like every use case. A printer problem is a ``DeviceError`` naming the
port and what to check; in the spool it is part of the answer (:class:`SpoolResult`),
since a job that did not print is still queued, not lost."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kiosk.app.context import AppContext
from kiosk.app.errors import database_errors
from kiosk.app.results import NOT_JSON, Result
from kiosk.app.validate import choice, text, whole
from kiosk.devices import printing
from kiosk.errors import DeviceError
from kiosk.models import Printer
from printers.escpos.profiles import DEFAULT_PROFILE, PrinterProfile, profile
from printers.escpos.transport import HINT, close_all

JOB_STATES = ("queued", "sending", "done", "failed", "cancelled", "expired")
JOB_ID_MAX = 2**31 - 1


# ----- the receipt printer ---------------------------------------------------------------


@dataclass(frozen=True)
class PrinterInfo(Result):
    port: str
    profile: str
    mode: str
    baud: int
    dots: int
    flow: str = "none"  # none | rtscts | xonxoff


@dataclass(frozen=True)
class PrinterStatus(Result):
    """``online`` None: no answer (status unknown, never assumed OK)."""

    online: bool | None
    cover_open: bool | None
    paper: str


@dataclass(frozen=True)
class TestPageSent(Result):
    port: str
    profile: str
    mode: str
    bytes: int


def printer_profile(name: str = DEFAULT_PROFILE, mode: str | None = None,
                    baud: int | None = None, flow: str | None = None) -> PrinterProfile:
    """A printer profile with the mode, baud and flow control asked for (``UsageError``
    if unknown)."""
    return profile(name).with_options(mode=mode, baud=baud, flow=flow)


def set_printer(app: AppContext, port: str, profile_name: str = DEFAULT_PROFILE,
                mode: str | None = None, baud: int | None = None,
                flow: str | None = None) -> PrinterInfo:
    """Store the station's receipt printer (the profile and mode must exist, the port
    be named)."""
    port = text(port, Printer.port, "打印机端口", "the printer port", required=True) or ""
    with app.write() as session:
        setting = printing.set_printer(session, port, profile_name, mode, baud,
                                       station=app.station, flow=flow)
    return _printer_info(setting.port, setting.profile)


def query_printer(port: str, prof: PrinterProfile) -> PrinterStatus:
    """Ask the printer on ``port`` its status (``DLE EOT``); nothing is printed."""
    from printers.escpos.transport import PrinterLink

    port = text(port, Printer.port, "打印机端口", "the printer port", required=True) or ""
    link = PrinterLink(port, prof)
    try:
        link.open(attempts=1)
        status = link.status()
    finally:
        link.close()
    return PrinterStatus(status.online, status.cover_open, status.paper)


def no_answer(port: str) -> DeviceError:
    """The error for a printer that does not answer status queries."""
    return DeviceError("打印机无应答（状态未知）",
                       "the printer does not answer status queries (status unknown)",
                       port=port, hint=HINT)


@dataclass(frozen=True)
class PrinterState(Result):
    """The station's receipt printer (None: none is configured) and its status now."""

    printer: PrinterInfo | None
    status: PrinterStatus | None


def printer_status(app: AppContext) -> PrinterState:
    """The configured receipt printer and what it answers now (status unknown, never
    assumed OK, when it does not answer)."""
    with app.read() as session:
        setting = printing.printer_setting(session, app.station)
    if setting is None:
        return PrinterState(None, None)
    return PrinterState(_printer_info(setting.port, setting.profile),
                        query_printer(setting.port, setting.profile))


def print_test_page(port: str, prof: PrinterProfile) -> TestPageSent:
    """Send a sample ticket straight to ``port`` (not through the spool)."""
    from printers.documents.slips import BranchHeading, TicketFacts, queue_ticket
    from printers.escpos.encode import encode
    from printers.escpos.transport import PrinterLink

    port = text(port, Printer.port, "打印机端口", "the printer port", required=True) or ""
    facts = TicketFacts("A001", "咨询查询 打印测试", "Enquiries (printer test)", "normal", 0,
                        (0, 5), "2026-01-01 09:00", "KIOSK:TEST", ["打印测试 ￥0.00"],
                        ["Printer test page"])
    data = encode(queue_ticket(facts, BranchHeading("打印测试", "Printer test")), prof)
    link = PrinterLink(port, prof)
    try:
        link.send(data)
    finally:
        link.close()
    return TestPageSent(port, prof.name, prof.mode, len(data))


def _printer_info(port: str, prof: PrinterProfile) -> PrinterInfo:
    return PrinterInfo(port, prof.name, prof.mode, prof.baud, prof.dots, prof.flow)


# ----- the print spool ---------------------------------------------------------------------


@dataclass(frozen=True)
class PrintJobInfo(Result):
    id: int
    station: str
    kind: str
    reference: str
    state: str
    attempts: int
    last_error: str
    created_at: str
    printed_at: str | None
    reprint_of: int | None


@dataclass(frozen=True)
class PrintJobs(Result):
    jobs: tuple[PrintJobInfo, ...]


@dataclass(frozen=True)
class SpoolResult(Result):
    """One spool run: jobs printed, jobs still waiting, and the printer's reason when it
    stopped (``error`` as text; ``failure`` the exception, not in the JSON). ``job``: the
    job a retry or cancel was about, as it is after the run."""

    printed: tuple[int, ...]
    waiting: tuple[int, ...]
    error: str | None
    job: PrintJobInfo | None = None
    expired: tuple[int, ...] = ()
    failure: DeviceError | None = field(default=None, metadata=NOT_JSON, compare=False)


def print_jobs(app: AppContext, states: tuple[str, ...] = (), *,
               every_station: bool = False) -> PrintJobs:
    """The station's newest jobs first (at most 100; ``every_station``: all stations'),
    only those in ``states`` if given."""
    for state in states:
        choice(state, JOB_STATES, "打印任务状态", "the job state")
    with app.read() as session:
        return PrintJobs(tuple(_job(j) for j in printing.jobs(
            session, states or None, station=None if every_station else app.station)))


def retry_job(app: AppContext, job_id: int) -> SpoolResult:
    """Queue a job again (a done, cancelled or expired one is reprinted as a new job)
    and, if it is this station's, run the spool; ``job`` is the job sent again. Another
    station's job is printed by that station's spool."""
    _job_id(job_id)
    with app.write() as session:
        again = printing.retry(session, job_id)
        job_id, station = again.id, again.station
    if station != app.station:
        return _with_job(app, SpoolResult((), (job_id,), None), job_id)
    return _with_job(app, run_spool(app), job_id)


def cancel_job(app: AppContext, job_id: int) -> PrintJobInfo:
    """Cancel a job that has not printed (refused for a printed one)."""
    _job_id(job_id)
    with app.write() as session:
        return _job(printing.cancel(session, job_id))


def run_spool(app: AppContext) -> SpoolResult:
    """Send the station's waiting jobs now, oldest first, until the printer stops
    taking them (queue tickets past ``ticket_print_expiry_min`` expire instead)."""
    try:
        with database_errors(app.engine):
            run = printing.run_spool(app.engine, station=app.station)
    finally:
        close_all()
    return SpoolResult(tuple(run.printed), tuple(run.waiting),
                       None if run.error is None else run.error.en, failure=run.error,
                       expired=tuple(run.expired))


def _with_job(app: AppContext, result: SpoolResult, job_id: int) -> SpoolResult:
    with app.read() as session:
        job = _job(printing.job(session, job_id))
    return SpoolResult(result.printed, result.waiting, result.error, job,
                       expired=result.expired, failure=result.failure)


def _job_id(job_id: int) -> None:
    whole(job_id, "打印任务号", "the print job id", high=JOB_ID_MAX)


def _job(item: Any) -> PrintJobInfo:
    return PrintJobInfo(**printing.job_view(item))


__all__ = [
    "JOB_STATES", "PrintJobInfo", "PrintJobs", "PrinterInfo", "PrinterState", "PrinterStatus",
    "SpoolResult",
    "TestPageSent", "cancel_job", "no_answer", "print_jobs", "print_test_page",
    "printer_profile", "printer_status", "query_printer", "retry_job", "run_spool",
    "set_printer",
]
