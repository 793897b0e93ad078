"""The print spool of one station: claim a job, send it, settle it.

Data flow::

    enqueue(session, document, station)   job row "queued" for that station (committed)
    run_spool(engine, station):           while the printer takes jobs:
        expire   queue tickets older than ``ticket_print_expiry_min`` -> "expired"
        hold the printer port (this process and every other: the port lock)
          claim  (own unit of work: "sending", attempts+1, a lease; compare-and-set)
          send   (outside any transaction; the lease is renewed while it lasts)
          settle (own unit of work, only if the claim is still ours: "done", or back
                  to "queued" with last_error, or "expired", or "failed")
        record the printer's health

Safety:

- **Only its own station's jobs.** A run claims jobs addressed to its station, so a
  ticket never comes out of another kiosk's printer.
- **One writer per port across processes.** The claim, the send and the settle
  happen while this run holds the port (:meth:`PrinterLink.hold`: a thread lock and
  an OS file lock), so two processes printing to one printer take turns: neither
  reads the other's status replies, and jobs leave in the order they were queued.
- **A lease that cannot lapse while a send is in progress.** The claim sets a lease
  (:data:`LEASE`); while the bytes go out a :class:`LeaseKeeper` thread renews it.
  Only a process that died stops renewing: its job is taken again once the lease
  has run out (printed again, as a reprint after an unplug would be). A settle
  whose claim is no longer current (its ``attempts`` moved on) changes nothing.
- **Stale tickets are never printed.** A queue ticket not printed within the
  branch setting ``ticket_print_expiry_min`` (default 10; 0 = never) ends
  "expired": its customer saw the number on screen and has long gone. Receipts,
  notices and forms keep waiting for the printer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, or_, select, update
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.devices.health import record_health
from kiosk.devices.stations import PrinterSetting, printer_setting, resolve_station
from kiosk.errors import DeviceError, KioskError, UsageError
from kiosk.models import PrintJob
from printers.documents.model import RollDocument
from printers.escpos.encode import encode
from printers.escpos.profiles import PrinterProfile
from printers.escpos.transport import PrinterLink, PrinterLinkError, PrinterNotReady, link_for

LEASE = timedelta(seconds=120)
MAX_ATTEMPTS = 20  # then "failed": staff look at it (print retry)
QUEUE_TICKET = "queue_ticket"  # the document kind that expires
PRINTER = "printer"  # the device name in device health

LinkFactory = Callable[[str, PrinterProfile], PrinterLink]
Settled = Callable[[int, str, "KioskError | None"], None]


@dataclass
class SpoolRun:
    """What one :func:`run_spool` did."""

    printed: list[int] = field(default_factory=list)
    waiting: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    error: DeviceError | None = None

    def to_json(self) -> dict[str, Any]:
        return {"printed": self.printed, "waiting": self.waiting, "expired": self.expired,
                "error": None if self.error is None else self.error.en}


# ----- expiry ------------------------------------------------------------------------

def _expiry(session: Session) -> timedelta | None:
    minutes = int(load_branch(session).setting("ticket_print_expiry_min"))
    return timedelta(minutes=minutes) if minutes > 0 else None


def expire_stale_tickets(session: Session, station: str, now: datetime) -> list[int]:
    """Mark "expired" the queue tickets of ``station`` still waiting (queued, or left
    sending by a dead process) longer than the branch allows; their ids."""
    limit = _expiry(session)
    if limit is None:
        return []
    branch_id = load_branch(session).id
    stale = list(session.scalars(select(PrintJob.id).where(
        PrintJob.branch_id == branch_id, PrintJob.station == station,
        PrintJob.kind == QUEUE_TICKET, PrintJob.created_at < now - limit,
        or_(PrintJob.state == "queued",
            (PrintJob.state == "sending") & (PrintJob.lease_until < now)))))
    if stale:
        session.execute(update(PrintJob).where(
            PrintJob.id.in_(stale),
            or_(PrintJob.state == "queued",
                (PrintJob.state == "sending") & (PrintJob.lease_until < now)))
            .values(state="expired", lease_until=None, updated_at=now))
    return stale


# ----- claim, lease, settle ------------------------------------------------------------

@dataclass(frozen=True)
class Claim:
    """A job this run holds: ``attempt`` is its ``attempts`` value after the claim,
    the token that proves the claim is still ours when renewing and settling."""

    job_id: int
    attempt: int
    document: RollDocument


def claim_next(engine: Engine, station: str, now: datetime,
               lease: timedelta = LEASE) -> Claim | None:
    """Take the oldest printable job of ``station``: queued, or sending with an
    expired lease (a dead process). Compare-and-set: two processes never take the
    same job."""
    with unit_of_work(engine, write=True) as session:
        branch_id = load_branch(session).id
        candidates = session.scalars(
            select(PrintJob).where(
                PrintJob.branch_id == branch_id, PrintJob.station == station,
                or_(PrintJob.state == "queued",
                    (PrintJob.state == "sending") & (PrintJob.lease_until < now)))
            .order_by(PrintJob.id).limit(5))
        for item in list(candidates):
            # Read before the UPDATE: the session synchronises ``item`` with it.
            job_id, attempt, document = item.id, item.attempts + 1, item.document
            taken = session.execute(
                update(PrintJob).where(PrintJob.id == job_id, PrintJob.state == item.state,
                                       PrintJob.attempts == attempt - 1)
                .values(state="sending", attempts=attempt, lease_until=now + lease,
                        updated_at=now))
            if getattr(taken, "rowcount", 0) == 1:
                return Claim(job_id, attempt, RollDocument.from_json(document))
    return None


def renew_lease(engine: Engine, claim: Claim, lease: timedelta = LEASE) -> bool:
    """Extend the lease of a job still claimed by ``claim``; False if it is not."""
    now = clock.now()
    with unit_of_work(engine, write=True) as session:
        done = session.execute(update(PrintJob).where(
            PrintJob.id == claim.job_id, PrintJob.state == "sending",
            PrintJob.attempts == claim.attempt).values(lease_until=now + lease))
    return getattr(done, "rowcount", 0) == 1


class LeaseKeeper:
    """Renews a claim's lease every third of its length while a send is in progress
    (``with LeaseKeeper(...):`` around the send). Stops when the block ends; a
    renewal that fails (database briefly unavailable) is tried again next time."""

    def __init__(self, engine: Engine, claim: Claim, lease: timedelta = LEASE) -> None:
        self.engine, self.claim, self.lease = engine, claim, lease
        self.renewals = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"lease-{claim.job_id}")

    def _run(self) -> None:
        while not self._done.wait(self.lease.total_seconds() / 3):
            try:
                if renew_lease(self.engine, self.claim, self.lease):
                    self.renewals += 1
            except Exception:  # noqa: BLE001 - retried at the next tick
                continue

    def __enter__(self) -> LeaseKeeper:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


def settle(engine: Engine, claim: Claim, error: KioskError | None) -> str:
    """Record how the send of ``claim`` ended; returns the job's state after it.

    Changes nothing when the claim is no longer current (cancelled by staff, or
    taken again by another run after this one lost its lease)."""
    with unit_of_work(engine, write=True) as session:
        item = session.get(PrintJob, claim.job_id)
        if item is None or item.state != "sending" or item.attempts != claim.attempt:
            return "gone" if item is None else item.state
        now = clock.now()
        item.updated_at, item.lease_until = now, None
        if error is None:
            item.state, item.printed_at, item.last_error = "done", now, ""
            return item.state
        item.last_error = error.bilingual()
        limit = _expiry(session) if item.kind == QUEUE_TICKET else None
        # A printer that refused the job before its first byte (paper out, port
        # gone, port busy) is no reason to give up on it: it waits, however many
        # runs it takes. Other device errors may have sent part of the job.
        started = isinstance(error, DeviceError) and getattr(error, "job_started", True)
        if limit is not None and item.created_at < now - limit:
            item.state = "expired"
        elif started and item.attempts >= MAX_ATTEMPTS:
            item.state = "failed"
        else:
            item.state = "queued"
        return item.state


# ----- the run -------------------------------------------------------------------------

def _no_printer(station: str) -> UsageError:
    return UsageError(f"站点 {station} 尚未设置打印机：kiosk --station {station} devices set "
                      "printer --port ...", f"no receipt printer set for station {station}: "
                      f"run kiosk --station {station} devices set printer --port ...",
                      code="no_printer")


def printer_health(engine: Engine, station: str, setting: PrinterSetting,
                   error: KioskError | None) -> None:
    """Record the printer's health from the outcome of a send or a status query."""
    if error is None:
        record_health(engine, station, PRINTER, "ok", detail=setting.port)
        return
    unknown = isinstance(error, PrinterLinkError) and not isinstance(error, PrinterNotReady)
    record_health(engine, station, PRINTER, "unknown" if unknown else "problem",
                  (error.zh, error.en), detail=setting.port)


def run_spool(engine: Engine, *, station: str | None = None,
              link_factory: LinkFactory = link_for, max_jobs: int | None = None,
              lease: timedelta = LEASE, on_settled: Settled | None = None,
              should_stop: Callable[[], bool] | None = None) -> SpoolRun:
    """Send ``station``'s queued jobs, oldest first, until its queue is empty or the
    printer is not ready (the rest wait for the next run: paper loaded, restart...).

    Never raises for a printer problem: it is in ``SpoolRun.error`` and each job's
    ``last_error``. Raises ``UsageError`` if the station has no printer, and
    ``ConfigError`` if a job cannot be rendered (no CJK font, no pdftoppm: the job
    is back in the queue with the reason). ``on_settled(job_id, state, error)`` is
    called after each settle; ``should_stop()`` is asked between jobs."""
    name = resolve_station(station)
    with unit_of_work(engine, write=True) as session:
        setting = printer_setting(session, name)
        expired = expire_stale_tickets(session, name, clock.now())
    run = SpoolRun(expired=expired)
    if setting is None:
        raise _no_printer(name)
    link = link_factory(setting.port, setting.profile)
    while max_jobs is None or len(run.printed) < max_jobs:
        if should_stop is not None and should_stop():
            break
        try:
            claim = _send_next(engine, name, setting, link, lease, run, on_settled)
        except DeviceError as exc:  # the port is held by another process for too long
            run.error = exc
            break
        if claim is None or run.error is not None:
            break
    with unit_of_work(engine) as session:
        run.waiting = list(session.scalars(select(PrintJob.id).where(
            PrintJob.branch_id == load_branch(session).id, PrintJob.station == name,
            PrintJob.state.in_(("queued", "sending"))).order_by(PrintJob.id)))
    return run


def _send_next(engine: Engine, station: str, setting: PrinterSetting, link: PrinterLink,
               lease: timedelta, run: SpoolRun, on_settled: Settled | None) -> Claim | None:
    """Claim, send and settle one job while holding the port; None if none waits."""
    with link.hold():
        claim = claim_next(engine, station, clock.now(), lease)
        if claim is None:
            return None
        try:
            data = encode(claim.document, setting.profile)
        except KioskError as exc:
            # Nothing can be sent (no CJK font, no pdftoppm): the job goes back to the
            # queue with the reason instead of staying "sending" until its lease ends.
            state = settle(engine, claim, exc)
            if on_settled is not None:
                on_settled(claim.job_id, state, exc)
            raise
        error: DeviceError | None = None
        with LeaseKeeper(engine, claim, lease):
            try:
                link.send(data)
            except DeviceError as exc:
                error = exc
        state = settle(engine, claim, error)
    printer_health(engine, station, setting, error)
    if error is None:
        run.printed.append(claim.job_id)
    else:
        run.error = error
        if state == "expired":
            run.expired.append(claim.job_id)
    if on_settled is not None:
        on_settled(claim.job_id, state, error)
    return claim


__all__ = [
    "LEASE", "MAX_ATTEMPTS", "QUEUE_TICKET", "Claim", "LeaseKeeper", "SpoolRun",
    "claim_next", "expire_stale_tickets", "printer_health", "renew_lease", "run_spool",
    "settle",
]
