"""The audit log: every staff action that changes something, shows personal data or
overrides a rule: who, what, when, from which station.

Entries are written inside the unit of work of the action they record, so an action
that rolls back leaves no entry and one that commits always has its entry. ``staff``
is a staff number, ``cli:USER`` for a command typed on a PC (the operating-system
user), or ``system`` for what a station does by itself (the daily purge). ``detail``
never holds personal data in clear: callers pass masked values (``kiosk.privacy.
masking``) or references.
"""

from __future__ import annotations

import getpass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.errors import UsageError
from kiosk.models import AuditEntry

SYSTEM = "system"
_LIMITS = {"staff": 40, "action": 40, "subject": 80, "station": 40}


def cli_actor() -> str:
    """Who acts from a command line: ``cli:`` and the operating-system user."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container) and no LOGNAME
        user = "unknown"
    return f"cli:{user}"[:_LIMITS["staff"]]


def record(session: Session, branch_id: str, *, staff: str, action: str, at: datetime,
           station: str = "", subject: str = "", detail: str = "") -> AuditEntry:
    """Add one entry to the action's unit of work (committed with the action).

    ``action`` is a dotted name (``counter.call_specific``, ``staff.reset_pin``,
    ``personal_data.reveal``); ``subject`` what it acted on (a ticket number, a staff
    number, a complaint reference)."""
    values = {"staff": staff, "action": action, "subject": subject, "station": station}
    # A column too short for a value would fail the whole action; cut instead, with
    # a mark, since the entry must never be the reason an action is lost.
    cut = {k: v if len(v) <= _LIMITS[k] else v[:_LIMITS[k] - 1] + "…"
           for k, v in values.items()}
    entry = AuditEntry(branch_id=branch_id, at=at, detail=detail, **cut)
    session.add(entry)
    return entry


def entries(session: Session, branch_id: str, tz: str, *, start: date | None = None,
            end: date | None = None, staff: str | None = None,
            action: str | None = None) -> list[AuditEntry]:
    """Entries of the branch between local dates ``start`` and ``end`` (both
    included), oldest first, optionally of one staff member or action prefix."""
    if start and end and start > end:
        raise UsageError("开始日期晚于结束日期", "the start date is after the end date",
                         code="bad_range")
    zone = ZoneInfo(tz)
    query = select(AuditEntry).where(AuditEntry.branch_id == branch_id)
    if start:
        query = query.where(AuditEntry.at >= datetime.combine(start, time(), zone))
    if end:
        query = query.where(AuditEntry.at < datetime.combine(end + timedelta(days=1), time(),
                                                             zone))
    if staff:
        query = query.where(AuditEntry.staff == staff)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    return list(session.scalars(query.order_by(AuditEntry.at, AuditEntry.id)))


__all__ = ["SYSTEM", "cli_actor", "entries", "record"]
