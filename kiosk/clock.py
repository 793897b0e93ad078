"""Time in the branch's own terms.

The database stores UTC; everything a customer sees and every business-day boundary
uses the branch's local time zone. ``now()`` honours ``KIOSK_NOW`` (an ISO 8601 time
with offset) so scripted demos and end-to-end tests can place the whole app at a
chosen instant; production leaves it unset.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from kiosk.errors import UsageError


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


def local_time(instant: datetime, tz: str) -> time:
    """The branch's local wall-clock time at ``instant``."""
    return local(instant, tz).time()


def isoformat_local(instant: datetime, tz: str) -> str:
    """ISO 8601 with the branch's offset, to the second."""
    return local(instant, tz).isoformat(timespec="seconds")
