"""The counters' own state: open, close, pause (暂停办公, with its supervisor rule),
resume, and the services a counter serves. Each function is one action of a
:class:`~kiosk.queue.lobby.Lobby` (which callers use) and writes a counter event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select

from kiosk.errors import RuleRefused, UsageError
from kiosk.models import Counter, CounterService, Service

if TYPE_CHECKING:
    from kiosk.queue.lobby import Lobby


def open_counter(lobby: Lobby, number: int, staff: str | None = None) -> Counter:
    lobby.roll_day()
    counter = lobby.counter(number, lock=True)
    kind = "resume" if counter.status == "paused" else "open"
    counter.status = "open"
    if staff:
        counter.staff = staff
    lobby.counter_event(counter, kind)
    return counter


def close_counter(lobby: Lobby, number: int) -> Counter:
    lobby.roll_day()
    counter = lobby.counter(number, lock=True)
    current = lobby.current_ticket(counter)
    if current is not None and current.status in ("called", "serving"):
        raise RuleRefused(f"{number} 号窗口还有 {current.number} 未办结",
                          f"counter {number} still has {current.number}; finish or "
                          f"transfer it first", code="busy")
    counter.status, counter.staff, counter.current_ticket_id = "closed", None, None
    lobby.counter_event(counter, "close")
    return counter


def pause_counter(lobby: Lobby, number: int, supervisor: str | None = None,
                  reason: str = "") -> Counter:
    """Pause (暂停办公); refused while this is the only open counter for one of its
    services, unless a supervisor overrides (the override is recorded)."""
    lobby.roll_day()
    # Lock every counter of the branch, always in the same order, before asking who
    # else is open: on PostgreSQL two counters pausing at once would otherwise each
    # see the other open and both pause (SQLite's write lock already keeps them apart).
    lobby.session.scalars(select(Counter.id).where(Counter.branch_id == lobby.branch.id)
                          .order_by(Counter.id).with_for_update()).all()
    counter = lobby.counter(number)
    if counter.status != "open":
        raise RuleRefused(f"{number} 号窗口未在营业", f"counter {number} is not open",
                          code="not_open")
    alone = [s for s in lobby.counter_services(counter) if _open_others(lobby, s, counter) == 0]
    if alone and not supervisor:
        names_zh = "、".join(s.name_zh for s in alone)
        names_en = ", ".join(s.name_en for s in alone)
        raise RuleRefused(
            f"{number} 号窗口是{names_zh}唯一在营业的窗口，暂停需主管授权",
            f"counter {number} is the only open counter for {names_en}; pausing needs "
            f"a supervisor", code="only_open_counter")
    counter.status = "paused"
    lobby.counter_event(counter, "pause", supervisor=supervisor if alone else None,
                        reason=reason or ("supervisor override" if alone else ""))
    return counter


def resume_counter(lobby: Lobby, number: int) -> Counter:
    lobby.roll_day()
    counter = lobby.counter(number, lock=True)
    if counter.status != "paused":
        raise RuleRefused(f"{number} 号窗口未暂停", f"counter {number} is not paused",
                          code="not_paused")
    counter.status = "open"
    lobby.counter_event(counter, "resume")
    return counter


def set_services(lobby: Lobby, number: int, codes: list[str]) -> Counter:
    """The services counter ``number`` serves, in order (its first is its main business)."""
    from kiosk.branch.settings import set_counter_services

    lobby.roll_day()
    counter = lobby.counter(number, lock=True)
    services = [lobby.service(code) for code in codes]
    if not services:
        raise UsageError("至少指定一项服务", "name at least one service")
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        # The link table holds each service once per counter; say so, not a crash.
        raise UsageError(f"服务重复：{', '.join(twice)}",
                         f"service named twice: {', '.join(twice)}", code="duplicate_service")
    set_counter_services(lobby.session, counter, services)
    return counter


def _open_others(lobby: Lobby, service: Service, counter: Counter) -> int:
    return int(lobby.session.scalar(
        select(func.count()).select_from(Counter)
        .join(CounterService, CounterService.counter_id == Counter.id)
        .where(CounterService.service_id == service.id, Counter.status == "open",
               Counter.id != counter.id)) or 0)


__all__ = ["close_counter", "open_counter", "pause_counter", "resume_counter", "set_services"]
