"""Printing a roll document from a use case: the job is committed first for the
app's station, the print is tried now (:func:`kiosk.devices.printing.print_now`; with
``app.print_wait_s`` set, by the station's background spool, the answer bounded by that
time), and what happened comes back as a :class:`PrintOutcome`, never as an exception:
the thing printed (a ticket, a claim check) is already saved, and the screen shows it
either way."""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.app.context import AppContext
from kiosk.app.errors import database_errors
from kiosk.app.results import NOT_JSON, Result
from kiosk.devices.printing import print_now
from kiosk.errors import DeviceError, KioskError
from printers.documents.model import RollDocument


@dataclass(frozen=True)
class PrintOutcome(Result):
    """What happened to a print. ``status``: ``printed``; ``queued`` (the printer could
    not take it now: ``reason_*`` says why, it prints when the printer is back);
    ``no_printer`` (none is configured: the job waits for one). ``error`` is the same
    reason as an exception that names what was saved, for a caller that must fail (the
    CLI's exit code); it is not part of the JSON."""

    status: str
    printed: bool
    job: int
    reason_zh: str = ""
    reason_en: str = ""
    port: str = ""
    hint: str = ""
    error: KioskError | None = field(default=None, metadata=NOT_JSON, compare=False)


def print_roll(app: AppContext, document: RollDocument, saved_zh: str,
               saved_en: str) -> PrintOutcome:
    """Print ``document``; ``saved_*`` says what is safe whatever the printer does
    ("已取号 D001" / "ticket D001 was taken"), and leads the error's message."""
    with database_errors(app.engine):
        attempt = print_now(app.engine, document, station=app.station,
                            wait_s=app.print_wait_s)
    if attempt.printed:
        return PrintOutcome("printed", True, attempt.job_id)
    error = attempt.error or DeviceError("打印任务未完成", "the print job did not complete")
    job = attempt.job_id
    zh = f"{saved_zh}，但未能打印（任务 {job} 已排队，打印机恢复后补打）：{error.zh}"
    en = (f"{saved_en}, but it did not print (job {job} is queued and will print when "
          f"the printer is back): {error.en}")
    named: KioskError
    if isinstance(error, DeviceError):
        named = DeviceError(zh, en, port=error.port, hint=error.hint, code=error.code)
    else:  # no printer set, no CJK font: same class, so the same exit code
        named = type(error)(zh, en, code=error.code)
    return PrintOutcome(
        "no_printer" if attempt.no_printer else "queued", False, job, reason_zh=error.zh,
        reason_en=error.en, port=getattr(error, "port", ""), hint=getattr(error, "hint", ""),
        error=named)


__all__ = ["PrintOutcome", "print_roll"]
