"""Opening hours as the settings write them (``"08:30-17:30"``, ``"00:00-24:00"``)
and as the engine checks them.

A closing time of 24:00 is stored as 23:59:59 (a ``TIME`` column has no 24:00); it
means "until midnight": an instant at 23:59:59.9 is still within the hours, and the
span is shown as 00:00–24:00 wherever a customer or the staff read it.
"""

from __future__ import annotations

import re
from datetime import time

END_OF_DAY = time(23, 59, 59)  # how 24:00 is stored
_HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")

Span = tuple[time, time]


def parse_hours(text: str) -> Span:
    """``"08:30-17:30"`` → (08:30, 17:30); raises ``ValueError`` on anything else."""
    match = _HOURS.match(text.strip())
    if not match:
        raise ValueError(f"expected HH:MM-HH:MM, got {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    try:
        opens = time(h1, m1)
        closes = END_OF_DAY if (h2, m2) == (24, 0) else time(h2, m2)
    except ValueError as exc:
        raise ValueError(f"no such time of day in {text!r}") from exc
    if closes <= opens:
        raise ValueError(f"closing time is not after opening time in {text!r}")
    return opens, closes


def _clock(moment: time) -> str:
    return "24:00" if moment == END_OF_DAY else moment.strftime("%H:%M")


def format_hours(span: Span) -> str:
    """The settings-file form, ``"08:30-17:30"`` (read back by :func:`parse_hours`)."""
    return f"{_clock(span[0])}-{_clock(span[1])}"


def span_text(span: Span) -> str:
    """The form people read, with an en dash: ``"08:30–17:30"``, ``"00:00–24:00"``."""
    return f"{_clock(span[0])}–{_clock(span[1])}"


def within(span: Span, moment: time) -> bool:
    """True if the local time ``moment`` is within the hours (closing time excluded,
    except that a span closing at 24:00 runs to the end of the day)."""
    opens, closes = span
    return opens <= moment and (moment < closes or closes == END_OF_DAY)


__all__ = ["END_OF_DAY", "Span", "format_hours", "parse_hours", "span_text", "within"]
