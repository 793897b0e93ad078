"""Roles, what each may do, and the staff session an action is done under.

One table (:data:`ROLE_PERMISSIONS`) says what each role may do; every use case that
needs a role takes a :class:`StaffSession` and asks it (the application layer's
``kiosk.app.staff.requires`` decorator does so for every such use case, and a test
checks that none is left undecorated). Screens ask the same session which buttons
to show, so a screen and the rule can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.errors import RuleRefused


class Permission(StrEnum):
    """Something a member of staff may be allowed to do."""

    SERVE = "serve"            # run a counter: call, recall, start, finish, transfer, pause
    OVERRIDE = "override"      # approve what a rule refuses (last open counter pausing,
                               # calling a number out of order)
    COMPLAINTS = "complaints"  # the complaint register
    REPORTS = "reports"        # ratings and queue reports
    SETTINGS = "settings"      # branch settings, services, counters
    STAFF = "staff"            # staff accounts
    AUDIT = "audit"            # read and export the audit log
    REVEAL = "reveal"          # see personal data unmasked (each time audited)
    DEVICES = "devices"        # printers and keypads; leave the kiosk's full screen,
                               # reprint its last ticket


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "counter": frozenset({Permission.SERVE}),
    "supervisor": frozenset(Permission),
    "technician": frozenset({Permission.DEVICES}),
}

ROLE_NAMES: dict[str, tuple[str, str]] = {
    "counter": ("柜员", "counter staff"),
    "supervisor": ("主管", "supervisor"),
    "technician": ("技术员", "technician"),
}

PERMISSION_NAMES: dict[Permission, tuple[str, str]] = {
    Permission.SERVE: ("办理柜台业务", "serve at a counter"),
    Permission.OVERRIDE: ("主管授权", "approve an override"),
    Permission.COMPLAINTS: ("处理投诉", "handle complaints"),
    Permission.REPORTS: ("查看报表", "see reports"),
    Permission.SETTINGS: ("修改设置", "change settings"),
    Permission.STAFF: ("管理员工账户", "manage staff accounts"),
    Permission.AUDIT: ("查看审计日志", "read the audit log"),
    Permission.REVEAL: ("查看完整个人信息", "see personal data unmasked"),
    Permission.DEVICES: ("管理设备", "manage devices"),
}


class NotPermitted(RuleRefused):
    """The staff member's role does not allow the action (code ``not_permitted``)."""


def permissions_of(role: str) -> frozenset[Permission]:
    """What ``role`` may do; an unknown role may do nothing."""
    return ROLE_PERMISSIONS.get(role, frozenset())


@dataclass(frozen=True)
class StaffSession:
    """A member of staff logged in at a station: who acts, in which role, where.

    Made only by a successful PIN login (``kiosk.app.staff.login``); use cases that
    need a role take it and check it. It carries no secret."""

    number: str
    name: str
    role: str
    station: str
    started_at: datetime

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.role)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        """Raises:
            NotPermitted: the role may not do ``permission``, named in both languages.
        """
        if not self.can(permission):
            role_zh, role_en = ROLE_NAMES.get(self.role, (self.role, self.role))
            what_zh, what_en = PERMISSION_NAMES[permission]
            raise NotPermitted(f"{self.number}（{role_zh}）无权{what_zh}",
                               f"{self.number} ({role_en}) may not {what_en}",
                               code="not_permitted")


__all__ = ["PERMISSION_NAMES", "ROLE_NAMES", "ROLE_PERMISSIONS", "NotPermitted", "Permission",
           "StaffSession", "permissions_of"]
