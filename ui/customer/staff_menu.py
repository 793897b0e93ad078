"""The staff menu's actions at the customer kiosk (``ui.staff_exit``): reprint this
kiosk's last ticket of today and show its printer's status. Each runs in a worker
(``StaffAction``) and returns the line the menu shows, in the screen's language
(``QCoreApplication.translate`` with the context written out, so lupdate finds it)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.app import AppContext, kiosk_staff
from kiosk.app.printer import PrinterState
from kiosk.staff.permissions import StaffSession
from ui import i18n

translate = QCoreApplication.translate


def reprint(app: AppContext, staff: StaffSession) -> str:
    done = kiosk_staff.reprint_last_ticket(app, staff)
    if done.reference is None or done.outcome is None:
        return translate("CustomerStaffMenu", "This kiosk has printed no ticket today.")
    job = done.outcome.job
    if job is not None and job.state == "done":
        again = translate("CustomerStaffMenu", "Ticket %1 printed again.")
        return again.replace("%1", done.reference)
    failure = done.outcome.failure
    reason = failure.message(i18n.error_language()) if failure is not None else ""
    reason = reason or translate("CustomerStaffMenu", "waiting")
    queued = translate("CustomerStaffMenu", "Ticket %1 is queued for the printer: %2")
    return queued.replace("%1", done.reference).replace("%2", reason)


def printer(app: AppContext, staff: StaffSession) -> str:
    return describe(kiosk_staff.printer_state(app, staff))


def describe(state: PrinterState) -> str:
    """One line for the printer as it answered."""
    if state.printer is None:
        return translate("CustomerStaffMenu", "No receipt printer is set up at this kiosk.")
    status = state.status
    if status is None or status.online is None:
        silent = translate("CustomerStaffMenu", "The printer at %1 does not answer.")
        return silent.replace("%1", state.printer.port)
    if status.paper == "out":
        return translate("CustomerStaffMenu", "The printer is out of paper.")
    if status.cover_open:
        return translate("CustomerStaffMenu", "The printer's cover is open.")
    if not status.online:
        return translate("CustomerStaffMenu", "The printer is offline.")
    if status.paper == "near_end":
        return translate("CustomerStaffMenu", "The printer is ready; its paper is running out.")
    return translate("CustomerStaffMenu", "The printer is ready.")


__all__ = ["describe", "printer", "reprint"]
