"""What the branch rules need without a database session: the default of every
branch setting, and which branch a database serves (``KIOSK_BRANCH``). No SQLAlchemy:
the lobby board's read on a SQLite file (:mod:`kiosk.queue.board_sqlite`) uses them
as :mod:`kiosk.branch.info` does."""

from __future__ import annotations

import os
from typing import Any

from kiosk.errors import UsageError

SETTING_DEFAULTS: dict[str, Any] = {
    "recall_limit": 2,
    "claim_decision_working_days": 3,
    "feedback_working_days": 2,
    "complaint_reply_working_days": 10,
    "complaint_decision_days": 15,
    "complaint_complex_decision_days": 30,
    "complaint_major_dispute_working_days": 1,
    "customer_idle_seconds": 60,
    "rating_scale": 4,
    "claims_fast_lane": False,
    "national_calendar": True,  # national holidays under the branch's own (branch.calendar)
    "pin_max_attempts": 5,
    "pin_lockout_minutes": 5,
    "staff_idle_lock_minutes": 5,
    "personal_data_retention_days": 180,
    "ticket_print_expiry_min": 10,
    "ticket_notice_zh": ["请留意叫号屏幕和语音提示", "过号需重新取号"],
    "ticket_notice_en": ["Please watch the screen and listen for your number",
                         "A missed number must take a new ticket"],
    # Calling by voice (kiosk/devices/voice.py) and the lobby display.
    "voice_languages": ["zh", "en"],
    "voice_repeat": 2,
    "voice_volume": 80,
    "voice_chime": True,
    "wait_area_zh": "大厅等候区",
    "wait_area_en": "the lobby waiting area",
    "display_notice": "",
    "screen_language": "zh_CN",  # the screens' first language (kiosk run without --lang)
}


def choose_branch(ids: list[str]) -> str:
    """The branch a command acts for among the ``ids`` of the database's branches:
    ``KIOSK_BRANCH`` if set, else the only one.

    Raises:
        UsageError: ``KIOSK_BRANCH`` names no branch of the database, there is none
            (not initialised), or several and ``KIOSK_BRANCH`` is not set.
    """
    wanted = os.environ.get("KIOSK_BRANCH")
    if wanted:
        if wanted not in ids:
            raise UsageError(f"数据库中没有网点 {wanted}", f"no branch {wanted!r} in this database")
        return wanted
    if not ids:
        raise UsageError("数据库尚未初始化，请先运行 kiosk init",
                         "the database is not initialised: run `kiosk init` first")
    if len(ids) > 1:
        raise UsageError("数据库中有多个网点，请设置 KIOSK_BRANCH",
                         f"several branches in this database ({', '.join(ids)}): set KIOSK_BRANCH")
    return ids[0]


__all__ = ["SETTING_DEFAULTS", "choose_branch"]
