"""The background spool of a station's process, and the one call a screen makes to
print: :func:`print_with_wait` (enqueue, then wait a bounded time for the outcome).

A screen must never block on the printer: an unplugged printer takes seconds to
give up (open with backoff, status timeouts), a slow one seconds to print. So a
process that prints (the customer kiosk, a counter PC) runs one :class:`Spooler`
per station: a thread that runs :func:`kiosk.devices.spool.run_spool` whenever it
is woken (a job was enqueued here), every ``poll_s`` seconds (jobs enqueued by
another process or PC for this station, a printer that was not ready), and asks the
idle printer for its status every ``idle_check_s`` seconds so its health stays
current on the admin board.

:meth:`Spooler.submit` commits the job, wakes the thread and waits at most
``wait_s`` for that job's first outcome: printed, or still queued with the reason
(paper out, no answer yet, ...). Whatever it returns, the job stays in the spool
until it prints (or, for a queue ticket, expires), so nothing is lost; the spool's
claim, port lock and lease keep anything from printing twice. :meth:`Spooler.stop`
lets the job being sent finish and settle, then ends the thread: every job is then
"done" or still "queued", none left "sending".
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from kiosk.db import unit_of_work
from kiosk.devices.printing import enqueue
from kiosk.devices.spool import LEASE, printer_health, run_spool
from kiosk.devices.stations import printer_setting, resolve_station
from kiosk.errors import DeviceError, KioskError, UsageError
from printers.documents.model import RollDocument
from printers.escpos.transport import PrinterLinkError, PrinterNotReady, link_for

log = logging.getLogger(__name__)

# What a screen waits for a print before it shows the ticket anyway: the promise is
# "within 1 s", and a loaded PC wakes a waiting thread some tens of ms late.
WAIT_S = 0.9
OUTCOMES = ("printed", "waiting", "no_printer", "expired", "failed")


@dataclass(frozen=True)
class JobOutcome:
    """What became of a print job when the caller stopped waiting.

    ``state``: ``printed``; ``waiting`` (still in the spool: the reason says why,
    e.g. paper out, or that the printer has not confirmed yet); ``no_printer`` (the
    station has none: the job waits for one); ``expired`` (a queue ticket too old to
    print); ``failed`` (given up after many tries that had started sending: staff
    look at it with ``kiosk print jobs``)."""

    job_id: int
    state: str
    reason_zh: str = ""
    reason_en: str = ""
    error: KioskError | None = field(default=None, compare=False)  # the reason, raised

    @property
    def printed(self) -> bool:
        return self.state == "printed"

    def to_json(self) -> dict[str, Any]:
        return {"job": self.job_id, "state": self.state, "printed": self.printed,
                "reason_zh": self.reason_zh, "reason_en": self.reason_en}


_NOT_YET = ("打印机尚未确认，稍后自动补打", "the printer has not confirmed yet; the spool "
            "keeps trying in the background")


class Spooler:
    """The background print spool of ``station`` in this process (see the module)."""

    def __init__(self, engine: Engine, station: str | None = None, *,
                 link_factory: Any = link_for, poll_s: float = 5.0,
                 idle_check_s: float = 30.0, lease: Any = LEASE) -> None:
        self.engine = engine
        self.station = resolve_station(station)
        self.link_factory, self.lease = link_factory, lease
        self.poll_s, self.idle_check_s = poll_s, idle_check_s
        self.runs = 0  # spool runs finished (tests wait on it)
        self._cond = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._waiting: set[int] = set()
        self._outcomes: dict[int, JobOutcome] = {}
        self._problem: KioskError | None = None  # the last reason a job did not print
        self._thread: threading.Thread | None = None
        self._last_check = 0.0

    # ----- life cycle ------------------------------------------------------------------

    def start(self) -> Spooler:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name=f"spool-{self.station}")
            self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        """Let the job in progress finish and settle, then end the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        """Run the spool now (a job was enqueued)."""
        self._wake.set()

    # ----- printing --------------------------------------------------------------------

    def submit(self, document: RollDocument, *, wait_s: float | None = WAIT_S) -> JobOutcome:
        """Commit a job for ``document``, wake the spool, and return at most ``wait_s``
        seconds after the call (storing the job included; None: once its first attempt
        ended) with what became of it."""
        started = time.monotonic()
        with unit_of_work(self.engine, write=True) as session:
            job_id = enqueue(session, document, station=self.station).id
        with self._cond:
            self._waiting.add(job_id)
        self.start()
        self.wake()
        left = None if wait_s is None else max(0.0, wait_s - (time.monotonic() - started))
        return self.outcome(job_id, left)

    def outcome(self, job_id: int, wait_s: float | None = WAIT_S) -> JobOutcome:
        """The outcome of a job submitted here, waiting at most ``wait_s``."""
        deadline = None if wait_s is None else time.monotonic() + wait_s
        with self._cond:
            self._waiting.add(job_id)
            while job_id not in self._outcomes:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    self._waiting.discard(job_id)  # nobody waits: keep no outcome for it
                    error = self._problem or DeviceError(*_NOT_YET)
                    return JobOutcome(job_id, "waiting", error.zh, error.en, error)
                self._cond.wait(left)
            self._waiting.discard(job_id)
            return self._outcomes.pop(job_id)

    def wait_for_runs(self, count: int, timeout: float | None = None) -> bool:
        """Block until ``count`` spool runs have finished (or ``timeout``); for tests
        and for a caller that must know the spool has tried."""
        with self._cond:
            return self._cond.wait_for(lambda: self.runs >= count, timeout)

    # ----- the thread ------------------------------------------------------------------

    def _settled(self, job_id: int, state: str, error: KioskError | None) -> None:
        zh, en = ("", "") if error is None else (error.zh, error.en)
        kind = {"done": "printed", "queued": "waiting"}.get(state, state)
        with self._cond:
            self._problem = error
            if job_id in self._waiting:
                self._outcomes[job_id] = JobOutcome(job_id, kind, zh, en, error)
            self._cond.notify_all()

    def _fail_waiters(self, state: str, error: KioskError) -> None:
        with self._cond:
            self._problem = error
            for job_id in self._waiting - set(self._outcomes):
                self._outcomes[job_id] = JobOutcome(job_id, state, error.zh, error.en, error)
            self._cond.notify_all()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            busy = self._run_once()
            with self._cond:
                self.runs += 1
                self._cond.notify_all()
            if not busy and time.monotonic() - self._last_check >= self.idle_check_s:
                self._check_idle_printer()
            self._wake.wait(self.poll_s)

    def _run_once(self) -> bool:
        """One spool run; True when the printer left jobs waiting."""
        try:
            run = run_spool(self.engine, station=self.station, link_factory=self.link_factory,
                            lease=self.lease, on_settled=self._settled,
                            should_stop=self._stop.is_set)
        except UsageError as exc:  # no printer for this station (yet)
            self._fail_waiters("no_printer", exc)
            return True
        except KioskError as exc:  # cannot render (font), database unavailable...
            log.warning("print spool of %s: %s", self.station, exc.en)
            self._fail_waiters("waiting", exc)
            return True
        except Exception:  # noqa: BLE001 - the thread must outlive any one failure
            log.exception("print spool of %s failed", self.station)
            return True
        for job_id in run.expired:
            self._settled(job_id, "expired", None)
        if run.error is not None:
            # The printer stopped this run (paper out...) before it reached every job:
            # the jobs still waiting wait for the same reason; say so now.
            self._fail_waiters("waiting", run.error)
        return run.error is not None

    def _check_idle_printer(self) -> None:
        """Ask the idle printer its status and record its health."""
        self._last_check = time.monotonic()
        try:
            with unit_of_work(self.engine) as session:
                setting = printer_setting(session, self.station)
            if setting is None:
                return
            link = self.link_factory(setting.port, setting.profile)
            status = link.status()
        except Exception:  # noqa: BLE001 - health is best effort; the next check retries
            log.exception("printer status check of %s failed", self.station)
            return
        error: KioskError | None = None
        if status.online is None:
            error = PrinterLinkError(*status.problem(), port=setting.port)
        elif not status.ready:
            error = PrinterNotReady(status, setting.port)
        printer_health(self.engine, self.station, setting, error)


# ----- one spooler per (database, station) in this process -----------------------------

_SPOOLERS: dict[tuple[Engine, str], Spooler] = {}
_SPOOLERS_LOCK = threading.Lock()


def spooler_for(engine: Engine, station: str | None = None) -> Spooler:
    """This process's running spooler for ``station`` (started on first use)."""
    name = resolve_station(station)
    with _SPOOLERS_LOCK:
        spooler = _SPOOLERS.get((engine, name))
        if spooler is None:
            spooler = _SPOOLERS[(engine, name)] = Spooler(engine, name)
    return spooler.start()


def stop_spoolers(engine: Engine | None = None) -> None:
    """Stop this process's spoolers (of ``engine`` only, if given): at exit, or before
    the engine is disposed; each finishes its current job first."""
    with _SPOOLERS_LOCK:
        keys = [k for k in _SPOOLERS if engine is None or k[0] is engine]
        spoolers = [_SPOOLERS.pop(k) for k in keys]
    for spooler in spoolers:
        spooler.stop()


def print_with_wait(engine: Engine, document: RollDocument, *, station: str | None = None,
                    wait_s: float | None = WAIT_S) -> JobOutcome:
    """Print ``document`` on ``station``'s printer through this process's background
    spool: the job is committed first, then this waits at most ``wait_s`` (default
    1 s) for its outcome. Never raises for a printer problem (the outcome says it);
    raises a ``KioskError`` only if the job could not be stored."""
    return spooler_for(engine, station).submit(document, wait_s=wait_s)


__all__ = ["OUTCOMES", "WAIT_S", "JobOutcome", "Spooler", "print_with_wait",
           "spooler_for", "stop_spoolers"]
