"""What staff may do at the customer kiosk after the hidden gesture and a PIN: open the
staff menu, leave full screen (to reach the PC) and come back, close the kiosk
program, reprint the kiosk's last ticket of today, read its printer's status.
Technicians and supervisors may (``Permission.DEVICES``); each step that does
something is audited with the station, so "who left the kiosk at 10:02" has an answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.printer import PrinterState, SpoolResult, printer_status, retry_job
from kiosk.app.results import Result
from kiosk.app.staff import note, requires
from kiosk.branch.info import load_branch
from kiosk.models import PrintJob
from kiosk.staff.permissions import Permission, StaffSession


def _record(app: AppContext, staff: StaffSession, action: str) -> None:
    with app.write() as session:
        note(session, app, staff, action)


@requires(Permission.DEVICES)
def open_menu(app: AppContext, staff: StaffSession) -> None:
    """The staff menu opened at this kiosk (refused, and audited, for a clerk)."""
    _record(app, staff, "kiosk.staff_menu")


@requires(Permission.DEVICES)
def leave_fullscreen(app: AppContext, staff: StaffSession) -> None:
    _record(app, staff, "kiosk.leave_fullscreen")


@requires(Permission.DEVICES)
def return_fullscreen(app: AppContext, staff: StaffSession) -> None:
    _record(app, staff, "kiosk.return_fullscreen")


@requires(Permission.DEVICES)
def close_program(app: AppContext, staff: StaffSession) -> None:
    _record(app, staff, "kiosk.close")


@dataclass(frozen=True)
class Reprint(Result):
    """The last queue ticket this kiosk printed today, sent again (``reference`` None:
    it printed none today); ``outcome`` is the spool run that followed."""

    reference: str | None
    outcome: SpoolResult | None


@requires(Permission.DEVICES)
def reprint_last_ticket(app: AppContext, staff: StaffSession) -> Reprint:
    """Print this station's last queue ticket of today again, as a new job (the history
    keeps the first one); audited with the ticket's reference."""
    with app.write() as session:
        branch = load_branch(session)
        last = session.scalars(
            select(PrintJob).where(PrintJob.branch_id == branch.id,
                                   PrintJob.station == app.station,
                                   PrintJob.kind == "queue_ticket")
            .order_by(PrintJob.id.desc()).limit(1)).first()
        today = branch.business_date(clock.now())
        if last is None or branch.business_date(last.created_at) != today:
            note(session, app, staff, "kiosk.reprint", detail="no ticket printed today")
            return Reprint(None, None)
        job_id, reference = last.id, last.reference
        note(session, app, staff, "kiosk.reprint", subject=reference)
    return Reprint(reference, retry_job(app, job_id))


@requires(Permission.DEVICES)
def printer_state(app: AppContext, staff: StaffSession) -> PrinterState:
    """The kiosk's receipt printer and what it answers now (for the staff menu)."""
    return printer_status(app)


__all__ = ["Reprint", "close_program", "leave_fullscreen", "open_menu", "printer_state",
           "reprint_last_ticket", "return_fullscreen"]
