"""Printing: the documents filled from the database, and the print jobs of each
station's spool.

Data flow::

    ticket taken (unit of work 1, committed)
      -> enqueue(session, document, station=S)   job "queued" for S (unit of work 2)
      -> the spool of station S (kiosk.devices.spool.run_spool, run in the station's
         process by its background Spooler, or by ``kiosk print run``):
           claim (own unit of work: "sending", attempts+1, a lease), send (outside
           any transaction, holding the port), settle ("done", or back to "queued"
           with last_error, or "expired" for a queue ticket past its time)

The document itself (:class:`printers.documents.model.RollDocument` as JSON) is stored in
the job, so a job resumed after a power cut or reprinted by staff is the same paper.
A job only becomes "done" after a status reply proved the printer got every byte,
and "done" jobs are never picked up again; staff reprints create a new job
(``reprint_of``) so the history stays true.

Other subsystems print any roll document with :func:`enqueue` then
:func:`run_spool` (or :func:`print_document`, which does both); a screen uses
:func:`kiosk.devices.spooler.print_with_wait`, which never blocks on the printer.
Functions that take a ``Session`` never commit; ``station=None`` is this process's
station (:func:`kiosk.devices.stations.resolve_station`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.devices.spool import LEASE, MAX_ATTEMPTS, LinkFactory, SpoolRun, run_spool
from kiosk.devices.stations import (
    RECEIPT,
    PrinterSetting,
    printer_setting,
    resolve_station,
    set_printer,
)
from kiosk.errors import DeviceError, KioskError, NotFound, RuleRefused
from kiosk.models import PrintJob
from kiosk.queue.lobby import Lobby
from printers.documents.model import RollDocument
from printers.documents.slips import (
    AcknowledgementFacts,
    BranchHeading,
    TicketFacts,
    acknowledgement,
    queue_ticket,
)
from printers.escpos.transport import close_all, link_for

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
                             promised: date | None = None) -> RollDocument:
    """A feedback/complaint receipt promising feedback ``feedback_working_days``
    working days after the day it was received (the branch calendar), or by
    ``promised`` (the date stored with the complaint, so a reprint promises the same)."""
    branch = load_branch(session)
    received = received_at or clock.now()
    days = int(branch.setting("feedback_working_days"))
    promised = promised or branch.add_working_days(branch.business_date(received), days)
    facts = AcknowledgementFacts(
        reference=reference, category_zh=category_zh, category_en=category_en,
        received_local=branch.local(received).strftime("%Y-%m-%d %H:%M"),
        feedback_date=promised.isoformat(), working_days=days,
        qr_payload=f"KIOSK:F:{branch.id}:{reference}")
    return acknowledgement(facts, branch_heading(session))


# ----- the spool ---------------------------------------------------------------------

def enqueue(session: Session, document: RollDocument, now: datetime | None = None, *,
            station: str | None = None) -> PrintJob:
    """Write a print job for ``document`` addressed to ``station`` (state "queued");
    the caller commits it before the station's spool sends a byte."""
    at = now or clock.now()
    job = PrintJob(branch_id=load_branch(session).id, station=resolve_station(station),
                   kind=document.kind,
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
         limit: int = 100, *, station: str | None = None) -> list[PrintJob]:
    """Newest jobs first, optionally only in ``states`` or of one ``station``."""
    query = select(PrintJob).where(PrintJob.branch_id == load_branch(session).id)
    if station is not None:
        query = query.where(PrintJob.station == station)
    if states:
        query = query.where(PrintJob.state.in_(states))
    return list(session.scalars(query.order_by(PrintJob.id.desc()).limit(limit)))


def job_view(item: PrintJob) -> dict[str, Any]:
    return {"id": item.id, "station": item.station, "kind": item.kind,
            "reference": item.reference,
            "state": item.state, "attempts": item.attempts, "last_error": item.last_error,
            "created_at": item.created_at.isoformat(timespec="seconds"),
            "printed_at": item.printed_at.isoformat(timespec="seconds")
            if item.printed_at else None, "reprint_of": item.reprint_of}


def retry(session: Session, job_id: int) -> PrintJob:
    """Send a job again: a failed/queued/stuck one is queued; a done, cancelled or
    expired one is reprinted as a new job on the same station (the first stays in
    the history)."""
    item = job(session, job_id)
    now = clock.now()
    if item.state in ("done", "cancelled", "expired"):
        copy = enqueue(session, RollDocument.from_json(item.document), now,
                       station=item.station)
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
    if item.state == "expired":
        raise RuleRefused(f"打印任务 {job_id} 已过期，不会再打印",
                          f"print job {job_id} has expired; it will never print")
    item.state, item.lease_until, item.updated_at = "cancelled", None, clock.now()
    return item


@dataclass(frozen=True)
class PrintAttempt:
    """What became of one document handed to :func:`print_now`: its job (always
    committed first, so nothing is lost) and, when it did not print, why."""

    job_id: int
    printed: bool
    no_printer: bool = False
    error: KioskError | None = None  # DeviceError, UsageError (no printer), ConfigError


def print_now(engine: Engine, document: RollDocument, *, station: str | None = None,
              wait_s: float | None = None) -> PrintAttempt:
    """Spool ``document`` for ``station`` (committed first) and try to print it now: the
    one call the application layer's prints go through. Never raises for the printer,
    a missing printer or a document that cannot be rendered: the job waits in the queue
    and the attempt says why.

    ``wait_s`` None (a command): the spool runs in this thread, so the answer waits for
    the printer's first try. ``wait_s`` a number (a screen): the job goes to the
    station's background spool (:mod:`kiosk.devices.spooler`) and the answer comes
    within ``wait_s`` whatever the printer does (still queued, with the reason known
    so far, if it has not printed by then)."""
    name = resolve_station(station)
    if wait_s is not None:
        from kiosk.devices.spooler import print_with_wait

        outcome = print_with_wait(engine, document, station=name, wait_s=wait_s)
        return PrintAttempt(outcome.job_id, outcome.printed,
                            no_printer=outcome.state == "no_printer", error=outcome.error)
    with unit_of_work(engine, write=True) as session:
        job_id = enqueue(session, document, station=name).id
        configured = printer_setting(session, name) is not None
    try:
        run = run_spool(engine, station=name)
    except KioskError as exc:  # no printer set, no CJK font: the job waits
        return PrintAttempt(job_id, False, no_printer=not configured, error=exc)
    finally:
        close_all()
    if job_id in run.printed:
        return PrintAttempt(job_id, True)
    return PrintAttempt(job_id, False, error=run.error or DeviceError(
        "打印任务未完成", "the print job did not complete"))


def print_document(engine: Engine, document: RollDocument,
                   link_factory: LinkFactory = link_for, *,
                   station: str | None = None) -> tuple[int, SpoolRun]:
    """Spool ``document`` (committed first) and run the station's spool in this
    thread (it may wait for the printer: screens use ``print_with_wait``). Returns
    the job id and the run."""
    name = resolve_station(station)
    with unit_of_work(engine, write=True) as session:
        job_id = enqueue(session, document, station=name).id
    return job_id, run_spool(engine, station=name, link_factory=link_factory)


__all__ = [
    "LEASE", "MAX_ATTEMPTS", "RECEIPT", "PrintAttempt", "PrinterSetting", "SpoolRun",
    "acknowledgement_document", "branch_heading", "cancel", "enqueue", "job", "job_view",
    "jobs", "print_document", "print_now", "printer_setting", "retry", "run_spool", "set_printer",
    "ticket_document", "ticket_reference",
]
