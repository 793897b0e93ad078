"""The print spool: nothing printed is ever lost, nothing completed printed twice.

Data flow::

    ticket taken (unit of work 1, committed)
      -> enqueue(session, document)      job row "queued" (unit of work 2, committed)
      -> run_spool(engine)               for each queued job, oldest first:
           claim   (own unit of work: state "sending", attempts+1, a lease)
           send    (outside any transaction: status check, then the bytes)
           settle  (own unit of work: "done", or back to "queued" with last_error)

The document itself (:class:`printers.documents.model.RollDocument` as JSON) is stored in
the job, so a job resumed after a power cut or reprinted by staff is the same paper.
A crash between claim and settle leaves the job "sending" with a lease; when the
lease has run out the next spool run sends it again (the interrupted job printed
again, as a reprint after an unplug would). A job only becomes "done" after every
byte was written, and "done" jobs are never picked up again; staff reprints create a
new job (``reprint_of``) so the history stays true.

Other subsystems print any roll document with :func:`enqueue` then
:func:`run_spool` (or :func:`print_document`, which does both); the functions that
take a ``Session`` never commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.errors import DeviceError, KioskError, NotFound, RuleRefused, UsageError
from kiosk.models import Printer, PrintJob
from kiosk.queue.lobby import Lobby
from printers.documents.model import RollDocument
from printers.documents.slips import (
    AcknowledgementFacts,
    BranchHeading,
    TicketFacts,
    acknowledgement,
    queue_ticket,
)
from printers.escpos.encode import encode
from printers.escpos.profiles import DEFAULT_PROFILE, PrinterProfile, profile
from printers.escpos.transport import PrinterLink, PrinterLinkError, close_all, link_for

LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 20  # then "failed": staff look at it (print retry)
RECEIPT = "receipt"

LinkFactory = Callable[[str, PrinterProfile], PrinterLink]


# ----- the printer ------------------------------------------------------------------

@dataclass(frozen=True)
class PrinterSetting:
    """The branch's receipt printer: port, profile and mode."""

    port: str
    profile: PrinterProfile

    def to_json(self) -> dict[str, Any]:
        return {"port": self.port, "profile": self.profile.name, "mode": self.profile.mode,
                "baud": self.profile.baud, "dots": self.profile.dots}


def set_printer(session: Session, port: str, profile_name: str = DEFAULT_PROFILE,
                mode: str | None = None, baud: int | None = None) -> PrinterSetting:
    """Store the branch's receipt printer (validated: profile and mode must exist)."""
    prof = profile(profile_name).with_options(mode=mode, baud=baud)
    if not port.strip():
        raise UsageError("打印机端口不能为空", "the printer port must not be empty")
    branch_id = load_branch(session).id
    row = session.scalar(select(Printer).where(Printer.branch_id == branch_id,
                                               Printer.name == RECEIPT))
    if row is None:
        row = Printer(branch_id=branch_id, name=RECEIPT, port=port, profile=prof.name,
                      mode=prof.mode, baud=baud)
        session.add(row)
    row.port, row.profile, row.mode, row.baud = port, prof.name, prof.mode, baud
    session.flush()
    return PrinterSetting(port, prof)


def printer_setting(session: Session) -> PrinterSetting | None:
    """The configured receipt printer, or None."""
    branch_id = load_branch(session).id
    row = session.scalar(select(Printer).where(Printer.branch_id == branch_id,
                                               Printer.name == RECEIPT))
    if row is None:
        return None
    return PrinterSetting(row.port, profile(row.profile).with_options(mode=row.mode,
                                                                       baud=row.baud))


# ----- documents ---------------------------------------------------------------------

def branch_heading(session: Session) -> BranchHeading:
    branch = load_branch(session)
    return BranchHeading(branch.name_zh, branch.name_en, branch.hotline)


def ticket_reference(branch_id: str, business_date: str, number: str) -> str:
    """The QR payload of a ticket: which ticket, nothing about who holds it."""
    return f"KIOSK:T:{branch_id}:{business_date}:{number}"


def ticket_document(session: Session, number: str, lobby: Lobby | None = None) -> RollDocument:
    """Today's ticket ``number`` as a queue-ticket document (people ahead and the wait
    as they are now)."""
    lobby = lobby or Lobby(session)
    ticket = lobby.ticket(number)
    view = lobby.ticket_view(ticket)
    branch = lobby.branch
    issued = branch.local(ticket.issued_at).strftime("%Y-%m-%d %H:%M")
    wait = view["wait_min"]
    facts = TicketFacts(
        number=ticket.number, service_zh=view["service_name_zh"],
        service_en=view["service_name_en"], priority=ticket.priority,
        ahead=view["ahead"], wait_min=(wait[0], wait[1]) if wait else None,
        issued_local=issued,
        qr_payload=ticket_reference(branch.id, view["business_date"], ticket.number),
        notice_zh=list(branch.setting("ticket_notice_zh")),
        notice_en=list(branch.setting("ticket_notice_en")))
    return queue_ticket(facts, branch_heading(session))


def acknowledgement_document(session: Session, reference: str, category_zh: str,
                             category_en: str, received_at: datetime | None = None,
                             ) -> RollDocument:
    """A feedback/complaint receipt promising feedback ``feedback_working_days``
    working days after the day it was received (the branch calendar)."""
    branch = load_branch(session)
    received = received_at or clock.now()
    days = int(branch.setting("feedback_working_days"))
    promised = branch.add_working_days(branch.business_date(received), days)
    facts = AcknowledgementFacts(
        reference=reference, category_zh=category_zh, category_en=category_en,
        received_local=branch.local(received).strftime("%Y-%m-%d %H:%M"),
        feedback_date=promised.isoformat(), working_days=days,
        qr_payload=f"KIOSK:F:{branch.id}:{reference}")
    return acknowledgement(facts, branch_heading(session))


# ----- the spool ---------------------------------------------------------------------

def enqueue(session: Session, document: RollDocument, now: datetime | None = None) -> PrintJob:
    """Write a print job for ``document`` (state "queued"); the caller commits it
    before :func:`run_spool` sends a byte."""
    at = now or clock.now()
    job = PrintJob(branch_id=load_branch(session).id, kind=document.kind,
                   reference=document.reference, document=document.to_json(),
                   printer=RECEIPT, state="queued", attempts=0, last_error="",
                   created_at=at, updated_at=at)
    session.add(job)
    session.flush()
    return job


def job(session: Session, job_id: int) -> PrintJob:
    found = session.get(PrintJob, job_id)
    if found is None or found.branch_id != load_branch(session).id:
        raise NotFound(f"没有打印任务 {job_id}", f"no print job {job_id}")
    return found


def jobs(session: Session, states: tuple[str, ...] | None = None,
         limit: int = 100) -> list[PrintJob]:
    """Newest jobs first, optionally only in ``states``."""
    query = select(PrintJob).where(PrintJob.branch_id == load_branch(session).id)
    if states:
        query = query.where(PrintJob.state.in_(states))
    return list(session.scalars(query.order_by(PrintJob.id.desc()).limit(limit)))


def job_view(item: PrintJob) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "reference": item.reference,
            "state": item.state, "attempts": item.attempts, "last_error": item.last_error,
            "created_at": item.created_at.isoformat(timespec="seconds"),
            "printed_at": item.printed_at.isoformat(timespec="seconds")
            if item.printed_at else None, "reprint_of": item.reprint_of}


def retry(session: Session, job_id: int) -> PrintJob:
    """Send a job again: a failed/queued/stuck one is queued; a done or cancelled one
    is reprinted as a new job (the first stays in the history)."""
    item = job(session, job_id)
    now = clock.now()
    if item.state in ("done", "cancelled"):
        copy = enqueue(session, RollDocument.from_json(item.document), now)
        copy.reprint_of = item.id
        return copy
    item.state, item.lease_until, item.updated_at = "queued", None, now
    return item


def cancel(session: Session, job_id: int) -> PrintJob:
    """Cancel a job that has not printed; a done job cannot be unprinted."""
    item = job(session, job_id)
    if item.state == "done":
        raise RuleRefused(f"打印任务 {job_id} 已打印完成，无法取消",
                          f"print job {job_id} has already printed; it cannot be cancelled")
    item.state, item.lease_until, item.updated_at = "cancelled", None, clock.now()
    return item


@dataclass
class SpoolRun:
    """What one :func:`run_spool` did."""

    printed: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    error: DeviceError | None = None

    def to_json(self) -> dict[str, Any]:
        return {"printed": self.printed, "waiting": self.waiting,
                "error": None if self.error is None else self.error.en}


def _claim(engine: Engine, now: datetime) -> tuple[int, RollDocument] | None:
    """Take the oldest printable job: queued, or sending with an expired lease (a
    crashed run). Compare-and-set, so two processes never take the same job."""
    with unit_of_work(engine, write=True) as session:
        branch_id = load_branch(session).id
        candidates = session.scalars(
            select(PrintJob).where(
                PrintJob.branch_id == branch_id,
                or_(PrintJob.state == "queued",
                    (PrintJob.state == "sending") & (PrintJob.lease_until < now)))
            .order_by(PrintJob.id).limit(5))
        for item in list(candidates):
            taken = session.execute(
                update(PrintJob).where(PrintJob.id == item.id, PrintJob.state == item.state,
                                       PrintJob.attempts == item.attempts)
                .values(state="sending", attempts=item.attempts + 1,
                        lease_until=now + LEASE, updated_at=now))
            if getattr(taken, "rowcount", 0) == 1:
                return item.id, RollDocument.from_json(item.document)
    return None


def _settle(engine: Engine, job_id: int, error: KioskError | None) -> None:
    with unit_of_work(engine, write=True) as session:
        item = session.get(PrintJob, job_id)
        if item is None or item.state != "sending":
            return  # cancelled meanwhile
        now = clock.now()
        item.updated_at, item.lease_until = now, None
        if error is None:
            item.state, item.printed_at, item.last_error = "done", now, ""
        else:
            item.last_error = error.bilingual()
            # A printer that refused the job before its first byte (paper out, port
            # gone) is no reason to give up on it: it waits, however many runs it takes.
            started = isinstance(error, DeviceError) and (
                not isinstance(error, PrinterLinkError) or error.job_started)
            item.state = ("failed" if started and item.attempts >= MAX_ATTEMPTS
                          else "queued")


def run_spool(engine: Engine, *, link_factory: LinkFactory = link_for,
              max_jobs: int | None = None) -> SpoolRun:
    """Send queued jobs, oldest first, until the queue is empty or the printer is not
    ready (the rest wait for the next run: after paper is loaded, on restart...).

    Never raises for a printer problem: it is in ``SpoolRun.error`` and each job's
    ``last_error``. Raises ``UsageError`` if no printer is configured, and
    ``ConfigError`` if a job cannot be rendered (no CJK font, no pdftoppm: the job is
    back in the queue with the reason)."""
    with unit_of_work(engine) as session:
        setting = printer_setting(session)
    if setting is None:
        raise UsageError("尚未设置打印机：kiosk devices set printer --port ...",
                         "no receipt printer set: run kiosk devices set printer --port ...")
    run = SpoolRun()
    link = link_factory(setting.port, setting.profile)
    while max_jobs is None or len(run.printed) < max_jobs:
        claimed = _claim(engine, clock.now())
        if claimed is None:
            break
        job_id, document = claimed
        try:
            data = encode(document, setting.profile)
        except KioskError as exc:
            # Nothing can be sent (no CJK font, no pdftoppm): the job goes back to the
            # queue with the reason instead of staying "sending" until its lease ends.
            _settle(engine, job_id, exc)
            raise
        try:
            link.send(data)
        except DeviceError as exc:
            _settle(engine, job_id, exc)
            run.error = exc
            break
        _settle(engine, job_id, None)
        run.printed.append(job_id)
    with unit_of_work(engine) as session:
        run.waiting = [j.id for j in jobs(session, ("queued", "sending"))][::-1]
    return run


@dataclass(frozen=True)
class PrintAttempt:
    """What became of one document handed to :func:`print_now`: its job (always
    committed first, so nothing is lost) and, when it did not print, why."""

    job_id: int
    printed: bool
    no_printer: bool = False
    error: KioskError | None = None  # DeviceError, UsageError (no printer), ConfigError


def print_now(engine: Engine, document: RollDocument) -> PrintAttempt:
    """Spool ``document`` (committed first) and try to print it now: the one call a
    screen's print goes through. Never raises for the printer, a missing printer or a
    document that cannot be rendered: the job waits in the queue and the attempt says
    why."""
    with unit_of_work(engine, write=True) as session:
        job_id = enqueue(session, document).id
        configured = printer_setting(session) is not None
    try:
        run = run_spool(engine)
    except KioskError as exc:  # no printer set, no CJK font: the job waits
        return PrintAttempt(job_id, False, no_printer=not configured, error=exc)
    finally:
        close_all()
    if job_id in run.printed:
        return PrintAttempt(job_id, True)
    return PrintAttempt(job_id, False, error=run.error or DeviceError(
        "打印任务未完成", "the print job did not complete"))


def print_document(engine: Engine, document: RollDocument,
                   link_factory: LinkFactory = link_for) -> tuple[int, SpoolRun]:
    """Spool ``document`` (committed first) and run the spool. Returns the job id."""
    with unit_of_work(engine, write=True) as session:
        job_id = enqueue(session, document).id
    return job_id, run_spool(engine, link_factory=link_factory)


__all__ = [
    "PrintAttempt", "PrinterSetting", "SpoolRun", "acknowledgement_document",
    "branch_heading", "cancel", "enqueue", "job", "job_view", "jobs", "print_document",
    "print_now", "printer_setting", "retry", "run_spool", "set_printer", "ticket_document",
    "ticket_reference",
]
