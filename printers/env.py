"""Settings of the device drivers that come from the environment."""

from __future__ import annotations

import math
import os


def seconds_from_env(name: str, default: float) -> float:
    """The environment variable ``name`` as a number of seconds, or ``default`` when it
    is unset or empty.

    Raises:
        ValueError: the value is not a positive number (the message names the variable).
    """
    value = os.environ.get(name)
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not seconds > 0 or math.isinf(seconds):
        raise ValueError(f"{name} must be a positive number of seconds, not {value!r}")
    return seconds


__all__ = ["seconds_from_env"]
