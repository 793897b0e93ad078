"""Staff: PIN login, supervisor approval, the permission check every staff use case
goes through, staff accounts, and the audit entry of a staff action.

**The one permission mechanism.** A use case that needs a role takes a
:class:`~kiosk.staff.permissions.StaffSession` as its second argument and is
decorated with :func:`requires`: before the body runs, the session's role must allow
the permission (a refusal is audited as ``denied``) and, for a member of staff, the
account must still exist, be enabled and have that role (a supervisor who disables an
account ends its sessions at their next action). ``tests/test_staff_app.py`` checks
that every public use case of :mod:`kiosk.app` taking a ``StaffSession`` is decorated.

**Who acts from a command line.** ``kiosk`` commands run with the rights of whoever
can reach the database; they act as :func:`console` (``cli:USER``, every permission)
and are audited under that name.

**A PIN check** is three steps so the slow hash never holds the write lock: read the
account (refuse disabled or locked at once), hash outside any transaction, record the
outcome in a short write (where a lockout set meanwhile still wins). It costs one
hash (≥ 50 ms on purpose) and two short transactions: ≤ 500 ms end to end
(bench/staff.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.validate import text
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.errors import RuleRefused
from kiosk.models import StaffMember
from kiosk.privacy import audit
from kiosk.staff import accounts
from kiosk.staff.accounts import LoginRefused, StaffPolicy
from kiosk.staff.permissions import NotPermitted, Permission, StaffSession
from kiosk.staff.pins import dummy_hash, verify_pin

P = ParamSpec("P")
R = TypeVar("R")
StaffUseCase = Callable[Concatenate[AppContext, StaffSession, P], R]
CONSOLE_PREFIX = "cli:"


class SessionEnded(RuleRefused):
    """The account behind a staff session was disabled or changed role: log in again
    (code ``session_ended``)."""


@dataclass(frozen=True)
class SupervisorPin:
    """A supervisor's number and PIN typed to approve one override. Never stored."""

    number: str
    pin: str

    def __repr__(self) -> str:  # keeps the PIN out of logs and tracebacks
        return f"SupervisorPin({self.number!r}, pin=***)"


@dataclass(frozen=True)
class StaffView(Result):
    """A staff account as a list shows it (never the PIN hash or the photo bytes)."""

    number: str
    name: str
    role: str
    enabled: bool
    has_photo: bool
    locked_until: str | None
    last_login_at: str | None


# ----- acting: the audit entry and the permission check ------------------------------

def note(session: Session, app: AppContext, actor: StaffSession | str, action: str, *,
         subject: str = "", detail: str = "", branch: BranchInfo | None = None) -> None:
    """Audit ``action`` inside the caller's unit of work (committed with the action)."""
    bid = branch.id if branch is not None else load_branch(session).id
    who = actor.number if isinstance(actor, StaffSession) else actor
    audit.record(session, bid, staff=who, action=action, at=clock.now(), station=app.station,
                 subject=subject, detail=detail)


def console(app: AppContext) -> StaffSession:
    """The session of a command typed on a PC: ``cli:USER``, every permission."""
    return StaffSession(number=audit.cli_actor(), name="", role="supervisor",
                        station=app.station, started_at=clock.now())


def is_console(staff: StaffSession) -> bool:
    return staff.number.startswith(CONSOLE_PREFIX)


def authorize(app: AppContext, staff: StaffSession, permission: Permission) -> None:
    """Refuse (``NotPermitted``, audited as ``denied``) what ``staff``'s role may not
    do; refuse (``SessionEnded``) a session whose account is gone, disabled or has
    another role now."""
    try:
        staff.require(permission)
    except NotPermitted:
        with app.write() as session:
            note(session, app, staff, "denied", subject=permission.value,
                 detail=f"role {staff.role}")
        raise
    if is_console(staff):
        return
    with app.read() as session:
        member = accounts.find_member(session, load_branch(session).id, staff.number)
    if member is None or not member.enabled or member.role != staff.role:
        raise SessionEnded("账户已停用或角色已变更，请重新登录",
                           "this account was disabled or its role changed: log in again",
                           code="session_ended")


def requires(permission: Permission) -> Callable[[StaffUseCase[P, R]], StaffUseCase[P, R]]:
    """Decorate a use case ``(app, staff, ...)``: :func:`authorize` runs first."""
    def decorate(use_case: StaffUseCase[P, R]) -> StaffUseCase[P, R]:
        @functools.wraps(use_case)
        def checked(app: AppContext, staff: StaffSession, /, *args: P.args,
                    **kwargs: P.kwargs) -> R:
            authorize(app, staff, permission)
            return use_case(app, staff, *args, **kwargs)

        checked.permission = permission  # type: ignore[attr-defined]
        return checked
    return decorate


def open_to_every_role(use_case: StaffUseCase[P, R]) -> StaffUseCase[P, R]:
    """Mark a use case taking a ``StaffSession`` that every role may call (logging
    out); the test of the permission mechanism accepts it as checked."""
    use_case.permission = None  # type: ignore[attr-defined]
    return use_case


# ----- PINs -------------------------------------------------------------------------

def _check_pin(app: AppContext, number: str, pin: str) -> tuple[StaffMember, BranchInfo]:
    """The three steps of a PIN check; returns the account (as read) when the PIN is
    right, else raises ``LoginRefused``. Every outcome is audited."""
    now = clock.now()
    with app.read() as session:
        branch = load_branch(session)
        member = accounts.find_member(session, branch.id, number)
        if member is not None:
            try:
                accounts.login_gate(member, branch, now)
            except LoginRefused:
                gate_refused = True
            else:
                gate_refused = False
    if member is None:
        verify_pin(pin, dummy_hash())  # as slow as a real check: no hint the number is free
        with app.write() as session:
            # Not the typed text: it may be a PIN typed into the wrong field.
            note(session, app, "unknown", "login.unknown_number", branch=branch)
        raise accounts.wrong_pin(None)
    ok = False if gate_refused else verify_pin(pin, member.pin_hash)
    with app.write() as session:
        row = accounts.get_member(session, branch.id, number, lock=True)
        refusal = accounts.record_pin_result(row, ok, branch, now)
        outcome = "ok" if refusal is None else refusal.code
        note(session, app, row.number, "login" if refusal is None else f"login.{outcome}",
             branch=branch)
    if refusal is not None:
        raise refusal
    return row, branch


def supervisor_number(number: str) -> str:
    """A supervisor's staff number as typed, checked against the column (a usage error
    naming the supervisor before any PIN is asked for)."""
    return text(number, StaffMember.number, "主管工号", "the supervisor's staff number",
                required=True) or ""


def login(app: AppContext, number: str, pin: str) -> StaffSession:
    """Log ``number`` in at this station with ``pin``.

    Raises:
        LoginRefused: ``wrong_pin`` (with ``attempts_left``; an unknown number gets the
            same answer), ``locked`` (until when, branch time), ``disabled``.
    """
    member, _ = _check_pin(app, number, pin)
    return StaffSession(number=member.number, name=member.name, role=member.role,
                        station=app.station, started_at=clock.now())


def approve(app: AppContext, number: str, pin: str, permission: Permission) -> StaffSession:
    """A supervisor's PIN typed to approve one override (pausing the last open counter,
    calling out of order). Counts toward that supervisor's lockout like a login.

    Raises:
        LoginRefused: the PIN is refused as for :func:`login`, or ``not_supervisor``
            when the account's role may not approve ``permission``.
    """
    approver = login(app, number, pin)
    if not approver.can(permission):
        raise LoginRefused(f"{approver.number} 不是主管，不能授权",
                           f"{approver.number} is not a supervisor and cannot approve this",
                           code="not_supervisor")
    return approver


@open_to_every_role
def logout(app: AppContext, staff: StaffSession, *, idle: bool = False) -> None:
    """End ``staff``'s session at this station (``idle``: the terminal locked itself)."""
    with app.write() as session:
        note(session, app, staff, "logout.idle" if idle else "logout")


def staff_policy(app: AppContext) -> StaffPolicy:
    """The branch's login settings (the counter terminal's idle lock among them)."""
    with app.read() as session:
        return StaffPolicy.of(load_branch(session))


# ----- accounts ---------------------------------------------------------------------

def _view(member: StaffMember, branch: BranchInfo) -> StaffView:
    now = clock.now()
    locked = member.locked_until if member.locked_until and member.locked_until > now else None
    return StaffView(number=member.number, name=member.name, role=member.role,
                     enabled=member.enabled, has_photo=member.photo is not None,
                     locked_until=branch.iso(locked) if locked else None,
                     last_login_at=branch.iso(member.last_login_at)
                     if member.last_login_at else None)


@requires(Permission.STAFF)
def list_staff(app: AppContext, staff: StaffSession) -> tuple[StaffView, ...]:
    with app.read() as session:
        branch = load_branch(session)
        return tuple(_view(m, branch) for m in accounts.list_members(session, branch.id))


@requires(Permission.STAFF)
def add_staff(app: AppContext, staff: StaffSession, number: str, name: str, role: str,
              pin: str) -> StaffView:
    """A new enabled account (the PIN checked for format and hashed here)."""
    with app.write() as session:
        branch = load_branch(session)
        member = accounts.add_member(session, branch.id, number, name, role, pin, clock.now())
        note(session, app, staff, "staff.add", subject=member.number, detail=f"role {role}",
             branch=branch)
        return _view(member, branch)


def _change(app: AppContext, staff: StaffSession, number: str, action: str,
            change: Callable[[StaffMember], str]) -> StaffView:
    """One change of account ``number`` (locked) by ``change``, which returns the audit
    entry's detail; the entry goes with the change."""
    with app.write() as session:
        branch = load_branch(session)
        member = accounts.get_member(session, branch.id, number, lock=True)
        detail = change(member)
        note(session, app, staff, action, subject=member.number, detail=detail, branch=branch)
        return _view(member, branch)


@requires(Permission.STAFF)
def reset_pin(app: AppContext, staff: StaffSession, number: str, pin: str) -> StaffView:
    """A new PIN for ``number``; lifts a lockout."""
    def change(member: StaffMember) -> str:
        accounts.set_pin(member, pin, clock.now())
        return ""
    return _change(app, staff, number, "staff.reset_pin", change)


@requires(Permission.STAFF)
def set_enabled(app: AppContext, staff: StaffSession, number: str,
                enabled: bool) -> StaffView:
    """Disable (or enable again) ``number``; a disabled account's sessions end."""
    def change(member: StaffMember) -> str:
        accounts.set_enabled(member, enabled, clock.now())
        return ""
    return _change(app, staff, number, "staff.enable" if enabled else "staff.disable", change)


@requires(Permission.STAFF)
def set_role(app: AppContext, staff: StaffSession, number: str, role: str) -> StaffView:
    def change(member: StaffMember) -> str:
        before, member.role = member.role, accounts.check_role(role)
        return f"{before} -> {role}"
    return _change(app, staff, number, "staff.role", change)


@requires(Permission.STAFF)
def set_photo(app: AppContext, staff: StaffSession, number: str,
              photo: bytes | None) -> StaffView:
    """The staff-board photo (PNG or JPEG), or None to remove it."""
    def change(member: StaffMember) -> str:
        accounts.set_photo(member, photo)
        return "removed" if photo is None else member.photo_type or ""
    return _change(app, staff, number, "staff.photo", change)


__all__ = ["SessionEnded", "StaffView", "SupervisorPin", "add_staff", "approve", "authorize",
           "console", "is_console", "list_staff", "login", "logout", "note",
           "open_to_every_role", "requires", "reset_pin", "set_enabled", "set_photo", "set_role",
           "staff_policy", "supervisor_number"]
