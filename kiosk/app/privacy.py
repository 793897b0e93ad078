"""Personal data and the audit log as use cases: read the audit log, reveal a masked
value (audited), purge what is past the retention limit (by hand, or once a day by
whichever station asks first).

Every subsystem that keeps personal data registers its holder with
:func:`kiosk.privacy.retention.register_holder` in its own module; the modules are
imported below so that a purge sees them all, whatever the process imported before.
A subsystem adding personal data adds its import here.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

import kiosk.staff.accounts  # noqa: F401  registers: staff_photo
from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.staff import note, requires
from kiosk.branch.info import load_branch
from kiosk.errors import UsageError
from kiosk.privacy import audit, retention
from kiosk.privacy.audit import SYSTEM
from kiosk.staff.permissions import Permission, StaffSession

AUDIT_COLUMNS = ("at", "staff", "station", "action", "subject", "detail")


@dataclass(frozen=True)
class AuditRow(Result):
    """One audit entry: ``at`` in branch time (ISO 8601)."""

    at: str
    staff: str
    station: str
    action: str
    subject: str
    detail: str


@dataclass(frozen=True)
class PurgeItemView(Result):
    name: str
    label_zh: str
    label_en: str
    records: int


@dataclass(frozen=True)
class PurgeResult(Result):
    """What a purge erased (or, ``dry_run``, would erase): personal data collected
    before ``cutoff`` (branch time), ``retention_days`` before the purge."""

    dry_run: bool
    retention_days: int
    cutoff: str
    total: int
    items: tuple[PurgeItemView, ...]


@requires(Permission.AUDIT)
def audit_log(app: AppContext, staff: StaffSession, *, start: date | None = None,
              end: date | None = None, staff_number: str | None = None,
              action: str | None = None) -> tuple[AuditRow, ...]:
    """Audit entries between local dates ``start`` and ``end`` (both included),
    oldest first; optionally of one staff member, or actions starting with ``action``."""
    with app.read() as session:
        branch = load_branch(session)
        rows = audit.entries(session, branch.id, branch.timezone, start=start, end=end,
                             staff=staff_number, action=action)
        return tuple(AuditRow(at=branch.iso(r.at), staff=r.staff, station=r.station,
                              action=r.action, subject=r.subject, detail=r.detail)
                     for r in rows)


@dataclass(frozen=True)
class AuditExport(Result):
    """The audit entries written to ``path`` (CSV, UTF-8 with a byte-order mark so a
    spreadsheet reads the Chinese)."""

    path: str
    entries: int


@requires(Permission.AUDIT)
def export_audit(app: AppContext, staff: StaffSession, path: Path, *,
                 start: date | None = None, end: date | None = None,
                 staff_number: str | None = None, action: str | None = None) -> AuditExport:
    """Write the entries :func:`audit_log` selects to ``path``; the export is audited
    (``audit.export``, the period and filters as the detail)."""
    rows = audit_log(app, staff, start=start, end=end, staff_number=staff_number,
                     action=action)
    try:
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(AUDIT_COLUMNS)
            writer.writerows([row.at, row.staff, row.station, row.action, row.subject,
                              row.detail] for row in rows)
    except OSError as exc:
        raise UsageError(f"无法写入文件 {path}：{exc.strerror}",
                         f"cannot write {path}: {exc.strerror}") from exc
    detail = f"{start or ''}..{end or ''}"
    detail += f" staff={staff_number}" if staff_number else ""
    detail += f" action={action}" if action else ""
    with app.write() as session:
        note(session, app, staff, "audit.export", subject=path.name, detail=detail)
    return AuditExport(str(path), len(rows))


@requires(Permission.REVEAL)
def reveal(app: AppContext, staff: StaffSession, what: str, subject: str,
           read: Callable[[Session], str]) -> str:
    """Show one piece of personal data unmasked: ``read(session)`` fetches it and the
    reveal is audited (``personal_data.reveal``, ``what`` and ``subject``, never the
    value) in the same unit of work."""
    with app.write() as session:
        value = read(session)
        note(session, app, staff, "personal_data.reveal", subject=subject, detail=what)
        return value


def _result(report: retention.PurgeReport, tz: str) -> PurgeResult:
    return PurgeResult(
        dry_run=report.dry_run, retention_days=report.retention_days,
        cutoff=clock.isoformat_local(report.cutoff, tz), total=report.total,
        items=tuple(PurgeItemView(i.name, i.label_zh, i.label_en, i.records)
                    for i in report.items))


@requires(Permission.SETTINGS)
def purge(app: AppContext, staff: StaffSession, *, dry_run: bool = False) -> PurgeResult:
    """Erase (or with ``dry_run`` count) personal data past the retention setting."""
    with app.write() as session:
        branch = load_branch(session)
        report = retention.purge(session, branch, clock.now(), dry_run=dry_run)
        if not dry_run:
            note(session, app, staff, "personal_data.purge", detail=_summary(report),
                 branch=branch)
        return _result(report, branch.timezone)


def daily_purge(app: AppContext) -> PurgeResult | None:
    """The purge a running station asks for (e.g. hourly): it runs at most once per
    business day across all stations; None when it already ran today."""
    with app.write() as session:
        branch = load_branch(session)
        report = retention.purge_once_today(session, branch, clock.now(), app.station)
        if report is None:
            return None
        note(session, app, SYSTEM, "personal_data.purge", detail=_summary(report),
             branch=branch)
        return _result(report, branch.timezone)


def _summary(report: retention.PurgeReport) -> str:
    return ", ".join(f"{i.name} {i.records}" for i in report.items)


__all__ = ["AUDIT_COLUMNS", "AuditExport", "AuditRow", "PurgeItemView", "PurgeResult",
           "audit_log", "daily_purge", "export_audit", "purge", "reveal"]
