"""What a settings import may change given what the database already holds.

Prefix letters (docs/queue.md, "When prefixes change"): a ticket number must stay
unique for the business day, and ``ticket show``, ``counter call --number`` and the
lobby display find a ticket by its number. So a service that has issued tickets today
keeps its letter until the next business day; and after the change every service,
those the file leaves out too (kept, disabled, because tickets name them), has its own
letter. Checked before anything is written; each problem names the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.fields import Problem
from kiosk.models import DayState, Service, Ticket

# Letters a changing prefix holds for a moment, so that swapped letters never meet in
# the unique index (SQLite checks it row by row): never a valid prefix (A-Z).
_PLACEHOLDERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def services_issuing_today(session: Session, branch_id: str, timezone: str,
                           now: datetime | None = None) -> set[str]:
    """Codes of the services that have issued tickets in the current business day
    (the clock's local date, or the later day the branch has already reached)."""
    today = clock.business_date(now or clock.now(), timezone)
    state = session.get(DayState, branch_id)
    if state is not None and state.business_date > today:
        today = state.business_date
    return set(session.scalars(select(Ticket.issue_service).where(
        Ticket.branch_id == branch_id, Ticket.business_date >= today).distinct()))


def prefix_problem(rows: Mapping[str, Service], wanted: list[tuple[str, str]],
                   issuing: set[str]) -> Problem | None:
    """``wanted``: (code, prefix) of the file's services in order; ``rows``: the
    services stored now, by code; ``issuing``: codes with tickets today."""
    for i, (code, prefix) in enumerate(wanted):
        row = rows.get(code)
        if row is not None and row.prefix != prefix and code in issuing:
            return (f"services[{i}].prefix",
                    f"{code} 今天已用字头 {row.prefix} 取号，不能改为 {prefix}；请在新的营业日"
                    "开始前修改",
                    f"{code} has issued tickets under {row.prefix} today; its letter cannot "
                    f"become {prefix} before the next business day (numbers must stay unique "
                    "within the day)")
    listed = {code for code, _ in wanted}
    kept = {row.prefix: code for code, row in rows.items() if code not in listed}
    for i, (code, prefix) in enumerate(wanted):
        if prefix in kept:
            other = kept[prefix]
            return (f"services[{i}].prefix",
                    f"字头 {prefix} 仍属于服务 {other}（文件中未列出，已停用但保留）；"
                    f"请给 {code} 另选字头，或在文件中为 {other} 指定新字头",
                    f"prefix {prefix} still belongs to service {other} (left out of the "
                    f"file, so kept disabled for its tickets); give {code} another letter "
                    f"or list {other} with a new one")
    return None


def release_prefixes(session: Session, rows: Iterable[Service],
                     wanted: Mapping[str, str]) -> None:
    """Give every row whose letter changes a placeholder first, so the new letters can
    be set in any order (swapped letters included) without meeting in the index."""
    moving = [row for row in rows if row.code in wanted and row.prefix != wanted[row.code]]
    for row, placeholder in zip(moving, _PLACEHOLDERS, strict=False):
        row.prefix = placeholder
    session.flush()


__all__ = ["prefix_problem", "release_prefixes", "services_issuing_today"]
