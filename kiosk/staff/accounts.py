"""Staff accounts: adding them, PINs, enabling, photos, and the lockout rule.

The functions take the caller's session and never commit (``kiosk.db``). A PIN check
is split in two so that the slow hash never runs inside a write transaction (on
SQLite that would hold every kiosk's ticket numbering for a tenth of a second):
:func:`login_gate` reads the account and refuses a disabled or locked one, the caller
verifies the PIN outside any transaction (``kiosk.staff.pins.verify_pin``), and
:func:`record_pin_result` records the outcome under the account's row lock, where a
lockout set meanwhile by another attempt still wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import ROLES, StaffMember
from kiosk.privacy.retention import PersonalDataHolder, register_holder
from kiosk.staff.pins import check_pin_format, hash_pin

_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
_NAME_MAX = 40
PHOTO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
PHOTO_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class StaffPolicy:
    """The branch's login settings."""

    max_attempts: int
    lockout_minutes: int
    idle_lock_minutes: int

    @classmethod
    def of(cls, branch: BranchInfo) -> StaffPolicy:
        return cls(max_attempts=max(1, int(branch.setting("pin_max_attempts"))),
                   lockout_minutes=int(branch.setting("pin_lockout_minutes")),
                   idle_lock_minutes=int(branch.setting("staff_idle_lock_minutes")))


class LoginRefused(RuleRefused):
    """A login or supervisor PIN was refused: ``wrong_pin`` (``attempts_left``),
    ``locked`` (``locked_until``), ``disabled``, or ``not_supervisor``."""

    def __init__(self, zh: str, en: str, *, code: str, attempts_left: int | None = None,
                 locked_until: datetime | None = None) -> None:
        super().__init__(zh, en, code=code)
        self.attempts_left = attempts_left
        self.locked_until = locked_until


def wrong_pin(attempts_left: int | None) -> LoginRefused:
    if attempts_left is None:
        return LoginRefused("工号或密码错误", "wrong staff number or PIN", code="wrong_pin")
    return LoginRefused(f"工号或密码错误，还可尝试 {attempts_left} 次",
                        f"wrong staff number or PIN; {attempts_left} attempts left",
                        code="wrong_pin", attempts_left=attempts_left)


def locked(branch: BranchInfo, until: datetime) -> LoginRefused:
    hhmm = branch.local(until).strftime("%H:%M")
    return LoginRefused(f"密码错误次数过多，账户锁定至 {hhmm}",
                        f"too many wrong PINs: locked until {hhmm}",
                        code="locked", locked_until=until)


def disabled(number: str) -> LoginRefused:
    return LoginRefused(f"工号 {number} 已停用", f"staff account {number} is disabled",
                        code="disabled")


# ----- lookups ----------------------------------------------------------------------

def find_member(session: Session, branch_id: str, number: str, *,
                lock: bool = False) -> StaffMember | None:
    query = select(StaffMember).where(StaffMember.branch_id == branch_id,
                                      StaffMember.number == number.strip())
    return session.scalar(query.with_for_update() if lock else query)


def get_member(session: Session, branch_id: str, number: str, *,
               lock: bool = False) -> StaffMember:
    """Raises:
        NotFound: no staff member ``number`` in this branch."""
    row = find_member(session, branch_id, number, lock=lock)
    if row is None:
        raise NotFound(f"没有工号 {number}", f"no staff member {number}", code="unknown_staff")
    return row


def list_members(session: Session, branch_id: str) -> list[StaffMember]:
    return list(session.scalars(select(StaffMember).where(StaffMember.branch_id == branch_id)
                                .order_by(StaffMember.number)))


# ----- changes ----------------------------------------------------------------------

def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"角色只能是 {', '.join(ROLES)}",
                         f"role must be one of {', '.join(ROLES)}", code="bad_role")
    return role


def add_member(session: Session, branch_id: str, number: str, name: str, role: str, pin: str,
               now: datetime) -> StaffMember:
    """A new, enabled account. Raises UsageError for a bad number, name, role or PIN
    and for a number already taken."""
    number, name = number.strip(), name.strip()
    if not _NUMBER.match(number):
        raise UsageError("工号须为 1-20 位字母、数字、- 或 _",
                         "a staff number is 1-20 letters, digits, - or _", code="bad_number")
    if not name or len(name) > _NAME_MAX or not name.isprintable():
        raise UsageError(f"姓名须为 1-{_NAME_MAX} 个字符", f"a name is 1 to {_NAME_MAX} characters",
                         code="bad_name")
    check_role(role)
    check_pin_format(pin)
    if find_member(session, branch_id, number) is not None:
        raise UsageError(f"工号 {number} 已存在", f"staff number {number} already exists",
                         code="duplicate_staff")
    row = StaffMember(branch_id=branch_id, number=number, name=name, role=role, enabled=True,
                      pin_hash=hash_pin(pin), pin_set_at=now, failed_pins=0, created_at=now)
    session.add(row)
    session.flush()
    return row


def set_pin(member: StaffMember, pin: str, now: datetime) -> None:
    """A new PIN; it also lifts a lockout."""
    check_pin_format(pin)
    member.pin_hash, member.pin_set_at = hash_pin(pin), now
    member.failed_pins, member.locked_until = 0, None


def set_enabled(member: StaffMember, enabled: bool, now: datetime) -> None:
    member.enabled = enabled
    member.disabled_at = None if enabled else now


def set_photo(member: StaffMember, data: bytes | None) -> None:
    """The staff-board photo (PNG or JPEG, at most 2 MiB), or None to remove it."""
    if data is None:
        member.photo, member.photo_type = None, None
        return
    kind = next((t for magic, t in PHOTO_TYPES.items() if data.startswith(magic)), None)
    if kind is None or len(data) > PHOTO_MAX_BYTES:
        raise UsageError("照片须为 PNG 或 JPEG，且不超过 2 MB",
                         "a photo must be PNG or JPEG, at most 2 MB", code="bad_photo")
    member.photo, member.photo_type = data, kind


# ----- the PIN check ----------------------------------------------------------------

def login_gate(member: StaffMember, branch: BranchInfo, now: datetime) -> None:
    """Refuse before hashing: a disabled or locked account (``LoginRefused``)."""
    if not member.enabled:
        raise disabled(member.number)
    if member.locked_until is not None and member.locked_until > now:
        raise locked(branch, member.locked_until)


def record_pin_result(member: StaffMember, ok: bool, branch: BranchInfo,
                      now: datetime) -> LoginRefused | None:
    """Record one PIN attempt on ``member`` (locked by the caller); returns the refusal
    to raise after the commit, or None when the PIN opened the account.

    A wrong PIN counts; the ``pin_max_attempts``-th locks the account for
    ``pin_lockout_minutes`` and the count starts again after the lockout. A right PIN
    resets the count, unless another attempt locked or disabled the account while
    this one was being hashed."""
    policy = StaffPolicy.of(branch)
    try:
        login_gate(member, branch, now)
    except LoginRefused as refusal:
        return refusal
    if not ok:
        member.failed_pins += 1
        if member.failed_pins >= policy.max_attempts:
            member.failed_pins = 0
            member.locked_until = now + timedelta(minutes=policy.lockout_minutes)
            return locked(branch, member.locked_until)
        return wrong_pin(policy.max_attempts - member.failed_pins)
    member.failed_pins, member.locked_until, member.last_login_at = 0, None, now
    return None




# ----- retention: a former colleague's photo ---------------------------------------

def _photos_past_limit(branch_id: str, cutoff: datetime) -> Any:
    return (StaffMember.branch_id == branch_id, StaffMember.enabled.is_(False),
            StaffMember.disabled_at < cutoff, StaffMember.photo.is_not(None))


def _count_photos(session: Session, branch_id: str, cutoff: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(StaffMember)
                              .where(*_photos_past_limit(branch_id, cutoff))) or 0)


def _erase_photos(session: Session, branch_id: str, cutoff: datetime) -> int:
    result = session.execute(update(StaffMember).where(*_photos_past_limit(branch_id, cutoff))
                             .values(photo=None, photo_type=None)
                             .execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


# The staff-board photo of someone who left serves no purpose once the account has
# been disabled for the retention period; number, name and role stay, since the
# audit log and the ratings refer to them.
STAFF_PHOTOS = register_holder(PersonalDataHolder(
    "staff_photo", "已停用员工的照片", "photos of disabled staff accounts",
    count=_count_photos, erase=_erase_photos))


__all__ = ["LoginRefused", "StaffPolicy", "add_member", "check_role", "disabled", "find_member",
           "get_member", "list_members", "locked", "login_gate",
           "record_pin_result", "STAFF_PHOTOS", "set_enabled", "set_photo", "set_pin", "wrong_pin"]
