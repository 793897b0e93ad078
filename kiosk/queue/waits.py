"""The wait rule, as pure functions: the rolling handling time of a service and the
wait range shown on a ticket and the lobby board.

position ÷ open counters × rolling handling time, widened by ±20 % and rounded out to
5-minute steps. No SQLAlchemy: the lobby board's read on a SQLite file
(:mod:`kiosk.queue.board_sqlite`) applies the same rule as the engine
(:mod:`kiosk.queue.estimates` reads the rows and re-exports these).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

# Tickets finished today that feed the rolling handling-time average, and how many
# are needed before it replaces the service's target.
ROLLING_WINDOW = 20
ROLLING_MINIMUM = 5


def average_minutes(target_min: int,
                    spans: Sequence[tuple[datetime | None, datetime | None]]) -> float:
    """The rolling handling time in minutes from the (started, finished) times of the
    last ``ROLLING_WINDOW`` finished tickets; the service's ``target_min`` until there
    are ``ROLLING_MINIMUM`` of them."""
    if len(spans) < ROLLING_MINIMUM:
        return float(target_min)
    # A clock stepped back between start and finish would make a negative time.
    total = sum((max(0.0, (f - s).total_seconds()) for s, f in spans if s and f), 0.0)
    return total / len(spans) / 60.0


def wait_range(ahead: int, counters: int, handling_min: float) -> tuple[int, int]:
    """Minutes range for ``ahead`` people before a customer, ``counters`` (at least
    one) serving the service and its handling time in minutes."""
    point = ahead / counters * handling_min
    low = 5 * math.floor(point * 0.8 / 5)
    high = max(5 * math.ceil(point * 1.2 / 5), low + 5)
    return low, high


__all__ = ["ROLLING_MINIMUM", "ROLLING_WINDOW", "average_minutes", "wait_range"]
