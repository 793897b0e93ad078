"""Retention: customers' personal data is erased once it is older than the branch's
``personal_data_retention_days`` (default 180); the records it was part of stay
(counts, dates, ratings), so the reports do not change.

Every subsystem that keeps personal data registers a :class:`PersonalDataHolder`
when its module is imported: what it holds, how to count what is past the limit and
how to erase it (blank the columns, keep the row). :func:`purge` asks every holder;
``kiosk purge [--dry-run]`` and the daily run of a station both use it, and
:func:`purge_once_today` makes sure only one station purges per business day (the
first to insert that day's :class:`~kiosk.models.DailyRun` row; the unique key
turns every other away, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.db import dialect_insert
from kiosk.models import DailyRun

PURGE_TASK = "purge"

Counter = Callable[[Session, str, datetime], int]
"""``(session, branch_id, cutoff) -> rows`` holding personal data collected before
``cutoff`` that are still to be erased."""


@dataclass(frozen=True)
class PersonalDataHolder:
    """Personal data a subsystem keeps, and how to erase it past the retention limit.

    ``count`` and ``erase`` take ``(session, branch_id, cutoff)``: ``count`` returns
    how many records hold personal data collected before ``cutoff`` (and not yet
    erased), ``erase`` erases exactly those and returns how many it erased. Both
    run inside the caller's unit of work and never commit."""

    name: str
    label_zh: str
    label_en: str
    count: Counter
    erase: Counter


_holders: dict[str, PersonalDataHolder] = {}


def register_holder(holder: PersonalDataHolder) -> PersonalDataHolder:
    """Add (or, under the same name, replace) a holder; returns it."""
    _holders[holder.name] = holder
    return holder


def registered_holders() -> list[PersonalDataHolder]:
    return [_holders[name] for name in sorted(_holders)]


@dataclass(frozen=True)
class PurgeItem:
    """What one holder had (dry run) or erased past the limit."""

    name: str
    label_zh: str
    label_en: str
    records: int


@dataclass(frozen=True)
class PurgeReport:
    """The outcome of a purge (or, with ``dry_run``, what it would erase)."""

    cutoff: datetime
    retention_days: int
    dry_run: bool
    items: tuple[PurgeItem, ...]

    @property
    def total(self) -> int:
        return sum(item.records for item in self.items)


def retention_cutoff(branch: BranchInfo, now: datetime) -> datetime:
    """Personal data collected before this instant is past the limit."""
    return now - timedelta(days=int(branch.setting("personal_data_retention_days")))


def purge(session: Session, branch: BranchInfo, now: datetime, *,
          dry_run: bool = False) -> PurgeReport:
    """Erase (or with ``dry_run`` only count) every registered holder's personal data
    older than the retention limit, in the caller's unit of work."""
    cutoff = retention_cutoff(branch, now)
    items = []
    for holder in registered_holders():
        act = holder.count if dry_run else holder.erase
        items.append(PurgeItem(holder.name, holder.label_zh, holder.label_en,
                               act(session, branch.id, cutoff)))
    return PurgeReport(cutoff=cutoff, retention_days=int(branch.setting(
        "personal_data_retention_days")), dry_run=dry_run, items=tuple(items))


def purge_once_today(session: Session, branch: BranchInfo, now: datetime,
                     station: str) -> PurgeReport | None:
    """The daily purge, run by whichever station asks first on a business day;
    None when another station (or this one) already ran it today.

    The day's row and the erasure commit together: a purge that fails rolls the row
    back too, so another station (or the next call) tries again."""
    claimed = session.execute(
        dialect_insert(session)(DailyRun)
        .values(branch_id=branch.id, task=PURGE_TASK, business_date=branch.business_date(now),
                station=station[:40], at=now, summary={})
        .on_conflict_do_nothing(index_elements=["branch_id", "task", "business_date"])
        .returning(DailyRun.id)).scalar()
    if claimed is None:
        return None
    report = purge(session, branch, now)
    session.execute(update(DailyRun).where(DailyRun.id == claimed).values(
        summary={item.name: item.records for item in report.items}))
    return report


__all__ = ["PURGE_TASK", "PersonalDataHolder", "PurgeItem", "PurgeReport", "purge",
           "purge_once_today", "register_holder", "registered_holders", "retention_cutoff"]
