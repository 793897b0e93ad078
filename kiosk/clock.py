"""Time in the branch's own terms.

The database stores UTC; everything a customer sees and every business-day boundary
uses the branch's local time zone. ``now()`` honours ``KIOSK_NOW`` (an ISO 8601 time
with offset) so scripted demos and end-to-end tests can place the whole app at a
chosen instant; production leaves it unset.

The clock can step back (an NTP correction, a wrong BIOS clock fixed by hand, two PCs
that disagree): the queue engine never lets time run backwards inside it (see
docs/queue.md, "When the clock steps back") and reports each step it notices with
:func:`report_step_back`.
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from kiosk.errors import UsageError

log = logging.getLogger(__name__)

# Smaller differences are the clocks of several PCs disagreeing a little, not a step.
STEP_BACK_TOLERANCE_S = 2.0
_reported: set[str] = set()


def now() -> datetime:
    """The current instant, aware, in UTC."""
    fixed = os.environ.get("KIOSK_NOW")
    if fixed:
        return parse_instant(fixed)
    return datetime.now(UTC)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant that carries its offset, returned in UTC."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise UsageError(f"时间格式错误：{text}", f"bad time {text!r}: {exc}") from exc
    if value.tzinfo is None:
        raise UsageError(f"时间缺少时区：{text}", f"time {text!r} has no UTC offset")
    return value.astimezone(UTC)


def local(instant: datetime, tz: str) -> datetime:
    """``instant`` in the branch's time zone."""
    return instant.astimezone(ZoneInfo(tz))


def business_date(instant: datetime, tz: str) -> date:
    """The branch's local calendar date at ``instant`` (never the UTC date)."""
    return local(instant, tz).date()


def day_start(day: date, tz: str) -> datetime:
    """The instant (UTC) the branch's local ``day`` begins."""
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC)


def local_time(instant: datetime, tz: str) -> time:
    """The branch's local wall-clock time at ``instant``."""
    return local(instant, tz).time()


def isoformat_local(instant: datetime, tz: str) -> str:
    """ISO 8601 with the branch's offset, to the second."""
    return local(instant, tz).isoformat(timespec="seconds")


def report_step_back(subject: str, recorded: datetime, instant: datetime,
                     detail: str = "") -> bool:
    """Log that ``instant`` (the clock now) is before ``recorded``, an instant already
    written down; once per ``subject`` (``detail`` names the record); True if it is a
    step back."""
    behind = (recorded - instant).total_seconds()
    if behind <= STEP_BACK_TOLERANCE_S:
        return False
    if subject not in _reported:
        if len(_reported) > 1000:
            _reported.clear()
        _reported.add(subject)
        log.warning("clock stepped back: now %s is %.0f s before %s (%s%s)",
                    instant.isoformat(timespec="seconds"), behind,
                    recorded.isoformat(timespec="seconds"), subject,
                    f": {detail}" if detail else "")
    return True
