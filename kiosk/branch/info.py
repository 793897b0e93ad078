"""The branch as the engine sees it during one action: identity, hours, calendar,
settings. Loaded once per unit of work with :func:`load_branch`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.basics import SETTING_DEFAULTS as SETTING_DEFAULTS
from kiosk.branch.basics import choose_branch
from kiosk.branch.calendar import CalendarGap, calendar_gap, layered
from kiosk.errors import UsageError
from kiosk.models import Branch, CalendarDay, OpeningHours, Setting

# A search for the next working day gives up after this many calendar days: a
# calendar with no working day in a year is a configuration error, not a loop.
_MAX_SEARCH_DAYS = 366
_SATURDAY = 5


@dataclass(frozen=True)
class BranchProfile:
    """What a branch is: identity, hours, calendar exceptions and scalar settings.
    Shared by the settings file (``BranchConfig``) and the loaded branch
    (``BranchInfo``)."""

    id: str
    name_zh: str
    name_en: str
    address: str
    hotline: str
    timezone: str
    hours: dict[int, tuple[time, time]]
    holidays: frozenset[date]
    workdays: frozenset[date]
    settings: dict[str, Any]


@dataclass(frozen=True)
class BranchInfo(BranchProfile):
    """The branch as one action sees it, with the calendar rules. ``holidays`` and
    ``workdays`` are the national calendar with the branch's own entries on top
    (:mod:`kiosk.branch.calendar`); ``own_years`` the years the branch has entries for."""

    own_years: frozenset[int] = frozenset()
    # The branch's settings_rev this was read at (None: not read by load_branch); what
    # is cached per revision (the queue's services) is cached against it.
    settings_rev: int | None = None

    def calendar_gap(self, today: date) -> CalendarGap | None:
        """This year or the coming one has no holiday calendar (None: both have)."""
        return calendar_gap(today, self.own_years,
                            national=bool(self.setting("national_calendar")))

    def setting(self, key: str) -> Any:
        return self.settings.get(key, SETTING_DEFAULTS[key])

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        return day in self.workdays or day.weekday() in self.hours

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """Opening hours on ``day``, or None when the branch is closed that day.

        A make-up working day on a weekend (调休上班) stands in for a weekday: it keeps
        Monday's hours (or the first weekday's that has hours), even when the branch
        has short weekend hours of its own."""
        if not self.is_working_day(day):
            return None
        make_up = day in self.workdays and day.weekday() >= _SATURDAY
        if day.weekday() in self.hours and not make_up:
            return self.hours[day.weekday()]
        weekdays = [d for d in sorted(self.hours) if d < _SATURDAY] or sorted(self.hours)
        return self.hours[weekdays[0]] if weekdays else None

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        day, found = start, 0
        for _ in range(_MAX_SEARCH_DAYS * max(count, 1)):
            day += timedelta(days=1)
            if self.is_working_day(day):
                found += 1
                if found == count:
                    return day
        raise UsageError("工作日历中一年内没有工作日", "the calendar has no working day in a year")

    def business_date(self, instant: datetime) -> date:
        return clock.business_date(instant, self.timezone)

    def local(self, instant: datetime) -> datetime:
        return clock.local(instant, self.timezone)

    def iso(self, instant: datetime) -> str:
        return clock.isoformat_local(instant, self.timezone)


def current_branch_id(session: Session) -> str:
    """``KIOSK_BRANCH`` if set, else the branch of this database (there is one per PC
    set-up; a central database holding several branches must name one)."""
    return choose_branch(list(session.scalars(select(Branch.id).order_by(Branch.id))))


# BranchInfo per (database, branch), valid while the branch's settings_rev is unchanged.
_cache: dict[tuple[str, str], tuple[int, BranchInfo]] = {}


def load_branch(session: Session, branch_id: str | None = None) -> BranchInfo:
    """The branch's settings, from a per-process cache that one query validates.

    Every action needs the hours, calendar and settings; reading them afresh costs
    five queries inside the write lock, so they are reloaded only when a settings
    import has bumped ``settings_rev``. What this transaction reads is cached once it
    commits (:func:`cache_when_committed`)."""
    session.flush()  # as a query through the session would: see this action's changes
    revs = dict(session.connection().execute(_REVISIONS).all())
    bid = branch_id or choose_branch(sorted(revs))
    rev = revs.get(bid)
    if rev is None:
        raise UsageError(f"数据库中没有网点 {bid}", f"no branch {bid!r} in this database")
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), bid)
    cached = _cache.get(key)
    if cached is not None and cached[0] == rev:
        return cached[1]
    info = _read_branch(session, bid, rev)
    cache_when_committed(session, _cache, key, (rev, info))
    return info


def cache_when_committed(session: Session, cache: dict[Any, Any], key: Any, value: Any) -> None:
    """Put ``value`` in ``cache`` under ``key`` when ``session``'s transaction commits,
    never if it rolls back. What a transaction read after changing it itself (a
    settings import, then the branch loaded in the same unit of work) must not outlive
    a rollback: the next import would bump ``settings_rev`` to the same number again,
    and the cache would take the rolled-back values for that revision's."""
    pending = session.info.setdefault(_PENDING, [])
    if not pending:
        event.listen(session, "after_commit", _publish)
        event.listen(session, "after_rollback", _discard)
    pending.append((cache, key, value))


_PENDING = "kiosk.cache_when_committed"


def _publish(session: Session) -> None:
    for cache, key, value in session.info.pop(_PENDING, ()):
        cache[key] = value


def _discard(session: Session) -> None:
    session.info.pop(_PENDING, None)


# Core, not ORM: it runs at the start of every action, inside the write lock.
_REVISIONS = select(Branch.__table__.c.id, Branch.__table__.c.settings_rev)


def _read_branch(session: Session, bid: str, rev: int) -> BranchInfo:
    branch = session.get(Branch, bid)
    assert branch is not None
    hours = {h.weekday: (h.opens, h.closes) for h in session.scalars(
        select(OpeningHours).where(OpeningHours.branch_id == bid))}
    days = list(session.scalars(select(CalendarDay).where(CalendarDay.branch_id == bid)))
    settings = {s.key: s.value for s in session.scalars(
        select(Setting).where(Setting.branch_id == bid))}
    holidays, workdays = layered(
        frozenset(d.day for d in days if d.kind == "holiday"),
        frozenset(d.day for d in days if d.kind == "workday"),
        national=bool(settings.get("national_calendar", SETTING_DEFAULTS["national_calendar"])))
    return BranchInfo(
        id=bid, name_zh=branch.name_zh, name_en=branch.name_en, address=branch.address,
        hotline=branch.hotline, timezone=branch.timezone, hours=hours,
        holidays=holidays, workdays=workdays, settings=settings,
        own_years=frozenset(d.day.year for d in days), settings_rev=rev,
    )
