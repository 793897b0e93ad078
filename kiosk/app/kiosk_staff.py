"""What staff may do at the customer kiosk after the hidden gesture and a PIN: open the
staff menu, leave full screen (to reach the PC) and come back, close the kiosk
program. Technicians and supervisors may (``Permission.DEVICES``); each step is
audited with the station, so "who left the kiosk at 10:02" has an answer."""

from __future__ import annotations

from kiosk.app.context import AppContext
from kiosk.app.staff import note, requires
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


__all__ = ["close_program", "leave_fullscreen", "open_menu", "return_fullscreen"]
