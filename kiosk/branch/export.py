"""The branch's settings as the TOML document ``kiosk settings export`` writes and
``kiosk settings import`` reads back (:mod:`kiosk.branch.settings`)."""

from __future__ import annotations

from typing import Any

import tomli_w
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.branch.hours import format_hours
from kiosk.models import (
    Branch,
    CalendarDay,
    Counter,
    CounterService,
    OpeningHours,
    Service,
    Setting,
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def export_document(session: Session, branch_id: str) -> dict[str, Any]:
    """The branch's settings as the TOML document that ``import`` reads back."""
    branch = session.get(Branch, branch_id)
    assert branch is not None
    hours = {WEEKDAYS[h.weekday]: format_hours((h.opens, h.closes)) for h in session.scalars(
        select(OpeningHours).where(OpeningHours.branch_id == branch_id)
        .order_by(OpeningHours.weekday))}
    days = list(session.scalars(select(CalendarDay).where(CalendarDay.branch_id == branch_id)
                                .order_by(CalendarDay.day)))
    settings = {s.key: s.value for s in session.scalars(
        select(Setting).where(Setting.branch_id == branch_id).order_by(Setting.key))}
    services = []
    by_id = {}
    for s in session.scalars(select(Service).where(Service.branch_id == branch_id)
                             .order_by(Service.sort)):
        by_id[s.id] = s.code
        item: dict[str, Any] = {
            "code": s.code, "prefix": s.prefix, "name_zh": s.name_zh, "name_en": s.name_en,
            "target_wait_min": s.target_wait_min, "target_handle_min": s.target_handle_min,
            "daily_cap": s.daily_cap, "enabled": s.enabled}
        if s.opens and s.closes:
            item["hours"] = format_hours((s.opens, s.closes))
        services.append(item)
    counters = []
    for c in session.scalars(select(Counter).where(Counter.branch_id == branch_id)
                             .order_by(Counter.number)):
        links = session.scalars(select(CounterService).where(CounterService.counter_id == c.id)
                                .order_by(CounterService.position))
        counters.append({"number": c.number,
                         "services": [by_id[link.service_id] for link in links]})
    return {
        "branch": {"id": branch.id, "name_zh": branch.name_zh, "name_en": branch.name_en,
                   "address": branch.address, "hotline": branch.hotline,
                   "timezone": branch.timezone},
        "hours": hours,
        "calendar": {"holidays": [d.day for d in days if d.kind == "holiday"],
                     "workdays": [d.day for d in days if d.kind == "workday"]},
        "settings": settings,
        "services": services,
        "counters": counters,
    }


def dump_toml(document: dict[str, Any]) -> str:
    return tomli_w.dumps(document)


__all__ = ["WEEKDAYS", "dump_toml", "export_document"]
