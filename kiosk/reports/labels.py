"""What a breakdown row is called, in Chinese and English: a day, a service by its
name, a counter by its number, a staff member by number and name. Shared by the PDF,
the CSV and the KPI page."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.branch.info import BranchInfo
from kiosk.models import Service, StaffMember

WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# The breakdowns in both languages (headings of the PDF sections and the CSV column).
DIMENSION_NAMES: dict[str, tuple[str, str]] = {
    "day": ("日期", "Day"), "service": ("业务", "Service"), "counter": ("窗口", "Counter"),
    "staff": ("工作人员", "Staff member"), "hour": ("时段", "Hour"),
}


@dataclass(frozen=True)
class Names:
    """Service names (code → zh, en) in the branch's order, and staff names."""

    services: dict[str, tuple[str, str]] = field(default_factory=dict)
    staff: dict[str, str] = field(default_factory=dict)

    def label(self, dimension: str, key: object) -> tuple[str, str]:
        """The (Chinese, English) name of a breakdown row's key."""
        if dimension == "day" and isinstance(key, date):
            weekday = key.weekday()
            return (f"{key.month}月{key.day}日 周{WEEKDAYS_ZH[weekday]}",
                    f"{key.isoformat()} {WEEKDAYS_EN[weekday]}")
        if dimension == "hour" and isinstance(key, int):
            return f"{key:02d}:00", f"{key:02d}:00"
        if key is None:
            return {"service": ("无（主动评价）", "none (unsolicited rating)"),
                    "counter": ("未叫号", "not called"),
                    "staff": ("未叫号", "not called")}.get(dimension, ("—", "—"))
        if dimension == "service":
            return self.services.get(str(key), (str(key), str(key)))
        if dimension == "counter":
            return f"{key}号窗口", f"Counter {key}"
        if dimension == "staff":
            name = self.staff.get(str(key))
            return (f"{key} {name}", f"{key} {name}") if name else (str(key), str(key))
        return str(key), str(key)

    def bilingual(self, dimension: str, key: object) -> str:
        """One label in both languages (``2026-11-02 周一 Mon``, ``理赔 Claims``)."""
        if dimension == "day" and isinstance(key, date):
            weekday = key.weekday()
            return f"{key.isoformat()} 周{WEEKDAYS_ZH[weekday]} {WEEKDAYS_EN[weekday]}"
        zh, en = self.label(dimension, key)
        return zh if zh == en else f"{zh} {en}"

    def order(self, dimension: str, key: object) -> tuple[int, str]:
        """Sort key: services in the branch's order, the rest as given; None last."""
        if key is None:
            return (1 << 30, "")
        if dimension == "service" and isinstance(key, str):
            codes = list(self.services)
            return (codes.index(key) if key in codes else len(codes), key)
        return (0, "")


def load_names(session: Session, branch: BranchInfo) -> Names:
    services = {s.code: (s.name_zh, s.name_en) for s in session.scalars(
        select(Service).where(Service.branch_id == branch.id)
        .order_by(Service.sort, Service.id))}
    staff = {number: name for number, name in session.execute(
        select(StaffMember.number, StaffMember.name).where(StaffMember.branch_id == branch.id))}
    return Names(services, staff)


__all__ = ["DIMENSION_NAMES", "Names", "load_names"]
