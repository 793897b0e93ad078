"""What a field of the settings file may hold, checked before anything is written.

Text is refused when it holds control characters (C0 and C1 controls, DEL, line and
paragraph separators): a ``GS V`` inside a service name once cut a ticket in two, and
PostgreSQL refuses NUL outright. Refusing is chosen over stripping: the file is wrong
and the person editing it should see where, rather than find a different name on the
tickets. Text is as long as its database column allows on both backends (PostgreSQL
enforces ``VARCHAR(n)`` in characters, SQLite does not); numbers stay in ranges a
branch can mean and an ``INTEGER`` column can hold.

Each check returns ``(where, zh, en)`` naming the field, or None.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any

from kiosk.models import Branch, Service

Problem = tuple[str, str, str]

# Unicode categories refused anywhere in settings text.
_REFUSED = frozenset({"Cc", "Zl", "Zp"})
CODE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")

BRANCH_CHARS = {key: int(getattr(Branch, key).type.length)
                for key in ("id", "name_zh", "name_en", "address", "hotline", "timezone")}
SERVICE_CHARS = {key: int(getattr(Service, key).type.length)
                 for key in ("code", "name_zh", "name_en")}
# Target minutes a service can mean (a working day), counter numbers a lobby shows.
TARGET_MINUTES = (1, 480)
COUNTER_NUMBERS = (1, 999)
# Limits of settings beyond their type: counts and working-day promises (a promise of
# 10^9 working days would search the calendar for ever), and the ticket's notice.
SETTING_RANGES = {"recall_limit": (0, 10), "claim_decision_working_days": (1, 60),
                  "feedback_working_days": (1, 60), "ticket_print_expiry_min": (0, 1440),
                  "complaint_complex_decision_days": (1, 90),
                  "complaint_major_dispute_working_days": (1, 10)}
NOTICE_LINES, NOTICE_LINE_CHARS = 10, 100


def text_problem(where: str, value: str, limit: int, *, required: bool = False) -> Problem | None:
    """Control characters, too long, or (``required``) blank."""
    for position, char in enumerate(value, 1):
        if unicodedata.category(char) in _REFUSED:
            return (where, f"第 {position} 个字符是控制字符 U+{ord(char):04X}",
                    f"control character U+{ord(char):04X} at character {position}")
    if len(value) > limit:
        return (where, f"不能超过 {limit} 个字符（现有 {len(value)} 个）",
                f"at most {limit} characters, got {len(value)}")
    if required and not value.strip():
        return where, "不能为空", "must not be empty"
    return None


def range_problem(where: str, value: int, bounds: tuple[int, int]) -> Problem | None:
    low, high = bounds
    if low <= value <= high:
        return None
    shown = str(value) if len(str(value)) <= 12 else f"{str(value)[:12]}…"
    return where, f"应在 {low} 到 {high} 之间", f"must be {low}..{high}, got {shown}"


def code_problem(where: str, code: str) -> Problem | None:
    problem = text_problem(where, code, SERVICE_CHARS["code"], required=True)
    if problem is None and not CODE_PATTERN.fullmatch(code):
        return (where, f"服务代码只能用小写字母、数字和下划线：{code}",
                f"a service code is lowercase letters, digits and _, got {code!r}")
    return problem


def calendar_day(where: str, item: Any) -> date | Problem:
    """A calendar entry as a date, or why it is not one (a date and time is not)."""
    if isinstance(item, datetime):
        return (where, f"应为日期（YYYY-MM-DD），不是日期时间：{item}",
                f"expected a date (YYYY-MM-DD), not a date and time: {item.isoformat()}")
    if isinstance(item, date):
        return item
    try:
        return date.fromisoformat(str(item))
    except ValueError:
        return where, f"日期错误 {item}", f"bad date {item!r}"


def counter_services_problem(where: str, codes: list[Any], known: set[str]) -> Problem | None:
    """Each a known service code, none twice, at least one."""
    if not codes:
        return where, "至少需要一项服务", "a counter needs at least one service"
    for code in codes:
        if not isinstance(code, str):
            return where, f"服务应为代码文字：{code!r}", f"expected service codes, got {code!r}"
        if code not in known:
            return where, f"未知服务 {code}", f"unknown service {code!r}"
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        return (where, f"同一窗口重复列出服务：{', '.join(twice)}",
                f"a service listed twice for one counter: {', '.join(twice)}")
    return None


def setting_value_problem(key: str, value: Any) -> Problem | None:
    """Limits of a ``[settings]`` value of the right type (checked after its type)."""
    where = f"settings.{key}"
    if key in SETTING_RANGES:
        return range_problem(where, value, SETTING_RANGES[key])
    if key in ("ticket_notice_zh", "ticket_notice_en"):
        if len(value) > NOTICE_LINES:
            return (where, f"最多 {NOTICE_LINES} 行", f"at most {NOTICE_LINES} lines, "
                    f"got {len(value)}")
        for n, line in enumerate(value):
            problem = text_problem(f"{where}[{n}]", line, NOTICE_LINE_CHARS)
            if problem is not None:
                return problem
    return None


__all__ = ["BRANCH_CHARS", "CODE_PATTERN", "COUNTER_NUMBERS", "NOTICE_LINES",
           "NOTICE_LINE_CHARS", "SERVICE_CHARS", "SETTING_RANGES", "TARGET_MINUTES",
           "Problem", "calendar_day", "code_problem", "counter_services_problem",
           "range_problem", "setting_value_problem", "text_problem"]
