"""One branch setting at a time: the type and limits of every key (the ``[settings]``
table of a settings file is checked with them), and changing one setting without
importing a whole file (``kiosk display notice``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.branch import fields
from kiosk.errors import ConfigError
from kiosk.models import Branch, Setting

# Settings every branch has, with their types; a file may leave any out.
SETTING_TYPES: dict[str, type | tuple[type, ...]] = {
    "recall_limit": int,
    "claim_decision_working_days": int,
    "feedback_working_days": int,
    "complaint_reply_working_days": int,
    "complaint_decision_days": int,
    "complaint_complex_decision_days": int,
    "complaint_major_dispute_working_days": int,
    "customer_idle_seconds": int,
    "rating_scale": int,
    "claims_fast_lane": bool,
    "national_calendar": bool,
    "pin_max_attempts": int,
    "pin_lockout_minutes": int,
    "staff_idle_lock_minutes": int,
    "personal_data_retention_days": int,
    "ticket_print_expiry_min": int,
    "ticket_notice_zh": list,
    "ticket_notice_en": list,
    "voice_languages": list,
    "voice_repeat": int,
    "voice_volume": int,
    "voice_chime": bool,
    "wait_area_zh": str,
    "wait_area_en": str,
    "display_notice": str,
    "screen_language": str,
}
VOICE_LANGUAGES = ("zh", "en")
SCREEN_LANGUAGES = ("zh_CN", "en")
_AT_LEAST_ONE = ("pin_max_attempts", "staff_idle_lock_minutes", "personal_data_retention_days",
                 "customer_idle_seconds")
# Calling by voice and the lobby display: ranges and the longest texts.
_VOICE_RANGES = {"voice_repeat": (1, 5), "voice_volume": (0, 100)}
_TEXT_CHARS = {"wait_area_zh": 40, "wait_area_en": 80, "display_notice": 300}


def _has_type(value: Any, kind: type | tuple[type, ...]) -> bool:
    # A function of its own so the caller's ``value`` stays ``Any`` (not narrowed).
    return not (isinstance(value, bool) and kind is int) and isinstance(value, kind)


def setting_problem(key: str, value: Any) -> fields.Problem | None:
    """Why ``value`` cannot be the setting ``key``: (where, Chinese, English), or None."""
    where = f"settings.{key}"
    kind = SETTING_TYPES.get(key)
    if kind is None:
        return where, "未知设置项", "unknown setting"
    if not _has_type(value, kind):
        return where, "类型错误", f"wrong type: {value!r}"
    # Counts and day spans are never negative; notices are lines of text.
    if kind is int and value < 0:
        return where, "不能为负数", f"must not be negative: {value}"
    if isinstance(value, list) and not all(isinstance(line, str) for line in value):
        return where, "应为文字列表", f"expected a list of strings, got {value!r}"
    if key == "rating_scale" and value not in (3, 4, 5):
        return where, "只能为 3、4 或 5", "must be 3, 4 or 5"
    if key in _AT_LEAST_ONE and value < 1:
        return where, "至少为 1", "must be at least 1"
    if key in _VOICE_RANGES:
        return fields.range_problem(where, value, _VOICE_RANGES[key])
    if key in _TEXT_CHARS:
        return fields.text_problem(where, value, _TEXT_CHARS[key])
    if key == "voice_languages" and (
            not value or len(set(value)) != len(value) or set(value) - set(VOICE_LANGUAGES)):
        return (where, "应为不重复的 zh、en 列表", f"expected a non-empty list of distinct "
                f"{', '.join(VOICE_LANGUAGES)}, got {value!r}")
    if key == "screen_language" and value not in SCREEN_LANGUAGES:
        return (where, "只能为 zh_CN 或 en", f"must be {' or '.join(SCREEN_LANGUAGES)}, "
                f"got {value!r}")
    return fields.setting_value_problem(key, value)


def set_setting(session: Session, branch_id: str, key: str, value: Any) -> None:
    """Change one setting (validated like the settings file) and bump ``settings_rev``
    so every running process reloads the branch at its next action."""
    problem = setting_problem(key, value)
    if problem is not None:
        where, zh, en = problem
        raise ConfigError(f"{where}：{zh}", f"{where}: {en}", code="config")
    branch = session.get(Branch, branch_id)
    if branch is None:
        raise ConfigError(f"数据库中没有网点 {branch_id}", f"no branch {branch_id!r}",
                          code="config")
    row = session.scalars(select(Setting).where(
        Setting.branch_id == branch_id, Setting.key == key)).one_or_none()
    if row is None:
        session.add(Setting(branch_id=branch_id, key=key, value=value))
    else:
        row.value = value
    branch.settings_rev = (branch.settings_rev or 0) + 1
    session.flush()


__all__ = ["SCREEN_LANGUAGES", "SETTING_TYPES", "VOICE_LANGUAGES", "set_setting", "setting_problem"]
