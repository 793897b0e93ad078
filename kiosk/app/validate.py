"""Input checks at the application boundary: what a person typed must fit the column it
goes into, on both backends (SQLite stores any length, PostgreSQL refuses; we refuse
on both, so a branch that moves to PostgreSQL meets no new errors), and whole numbers
must fit the database's integers. Each refusal is a ``UsageError`` naming the field."""

from __future__ import annotations

import math
from typing import Any

from kiosk.errors import UsageError

INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; SQLite refuses beyond 2**63 - 1 with a crash


def whole(value: int, field_zh: str, field_en: str, *, low: int = 1,
          high: int = INT_MAX) -> int:
    """``value`` if ``low <= value <= high``, else a ``UsageError`` naming the field."""
    if not low <= value <= high:
        raise UsageError(f"{field_zh}须在 {low}–{high} 之间（收到 {value}）",
                         f"{field_en} must be {low}-{high}, got {value}", code="out_of_range")
    return value


def seconds(value: float | None, field_en: str, *, high: float = 366 * 86400) -> float | None:
    """A duration in seconds: None (no limit) or a finite number above 0."""
    if value is None:
        return None
    if not math.isfinite(value) or not 0 < value <= high:
        raise UsageError(f"{field_en} 须为大于 0 的秒数（收到 {value}）",
                         f"{field_en} must be a number of seconds above 0, got {value}",
                         code="out_of_range")
    return value


def text(value: str | None, column: Any, field_zh: str, field_en: str, *,
         required: bool = False) -> str | None:
    """``value`` stripped, if it fits ``column`` (its ``String(n)`` length) and holds no
    control character; None (or a ``UsageError`` when ``required``) when blank."""
    if value is None or not value.strip():
        if required:
            raise UsageError(f"{field_zh}不能为空", f"{field_en} must not be empty",
                             code="empty")
        return None
    value = value.strip()
    length = getattr(getattr(column, "type", None), "length", None)
    if length is not None and len(value) > length:
        raise UsageError(f"{field_zh}最多 {length} 个字符（收到 {len(value)} 个）",
                         f"{field_en} is at most {length} characters, got {len(value)}",
                         code="too_long")
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise UsageError(f"{field_zh}含有控制字符", f"{field_en} contains a control character",
                         code="control_character")
    return value


def choice(value: str, allowed: tuple[str, ...], field_zh: str, field_en: str) -> str:
    if value not in allowed:
        raise UsageError(f"{field_zh}只能是 {', '.join(allowed)}（收到 {value}）",
                         f"{field_en} must be one of {', '.join(allowed)}, got {value!r}",
                         code="bad_choice")
    return value


__all__ = ["INT_MAX", "choice", "seconds", "text", "whole"]
