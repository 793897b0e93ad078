"""The lobby board a screen refreshes every second costs a constant handful of
statements (issue 8: it was one per service and counter, 33 for the default branch),
and answers exactly as the per-item rules of ``Lobby`` do."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select

from kiosk.branch.settings import ServiceConfig, apply_config
from kiosk.db import unit_of_work
from kiosk.models import Ticket
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM, open_all_hours


def branch_of(size: int) -> Any:
    """``size`` services and ``size`` counters; counter i serves services i and i+1."""
    services = tuple(ServiceConfig(
        code=f"svc{i:02d}", prefix=chr(ord("G") + i), name_zh=f"业务{i}", name_en=f"Service {i}",
        target_wait_min=10, target_handle_min=4 + i, daily_cap=500) for i in range(size))
    counters = {n + 1: (f"svc{n:02d}", f"svc{(n + 1) % size:02d}") for n in range(size)}
    return replace(open_all_hours(), services=services, counters=counters)


def act(engine: Engine, minutes: float, fn: Callable[[Lobby], Any]) -> Any:
    with unit_of_work(engine, write=True) as session:
        return fn(Lobby(session, now=MONDAY_10AM + timedelta(minutes=minutes)))


def busy_morning(engine: Engine, size: int) -> None:
    """Tickets of every service; some counters open, paused, serving; enough finished
    tickets of the first service for the rolling handling time to replace its target."""
    with unit_of_work(engine, write=True) as session:
        apply_config(session, branch_of(size))
    minute = 0.0
    for i in range(size):
        for _ in range(2 + i % 3):
            act(engine, minute, lambda lobby, i=i: lobby.take(f"svc{i:02d}"))
            minute += 0.5
    for _ in range(7):
        act(engine, minute, lambda lobby: lobby.take("svc00"))
        minute += 0.3
    for counter in range(1, size + 1, 2):
        act(engine, minute, lambda lobby, c=counter: lobby.open_counter(c, f"S{c:03d}"))
    for step in range(6):  # counter 1 serves and finishes six customers, at its pace
        act(engine, minute, lambda lobby: lobby.call_next(1))
        act(engine, minute + 1, lambda lobby: lobby.start(1))
        minute += 3 + step
        act(engine, minute, lambda lobby: lobby.finish(1))
    act(engine, minute, lambda lobby: lobby.call_next(1))
    if size > 2:
        act(engine, minute, lambda lobby: lobby.call_next(3))
        act(engine, minute, lambda lobby: lobby.start(3))
        act(engine, minute, lambda lobby: lobby.open_counter(2, "S002"))
        act(engine, minute, lambda lobby: lobby.pause_counter(2, "SUP"))


def per_item_snapshot(lobby: Lobby) -> dict[str, Any]:
    """The board as it was computed before: one estimate per service, one look-up per
    counter (the rules the fast board must match)."""
    services = []
    for s in lobby.services():
        count = len(lobby.session.scalars(select(Ticket).where(
            Ticket.business_date == lobby.today, Ticket.status == "waiting",
            Ticket.service_code == s.code)).all())
        estimate = lobby.estimate(s, count)
        services.append({"code": s.code, "prefix": s.prefix, "name_zh": s.name_zh,
                         "name_en": s.name_en, "enabled": s.enabled, "waiting": count,
                         "open_counters": lobby.serving_counters(s)[0],
                         "wait_min": list(estimate) if estimate else None})
    counters = []
    for c in lobby.counters():
        current = lobby.current_ticket(c)
        counters.append({
            "number": c.number, "status": c.status, "staff": c.staff,
            "services": [s.code for s in lobby.counter_services(c)],
            "ticket": None if current is None else {
                "number": current.number, "status": current.status,
                "service": current.service_code}})
    return {"branch": lobby.branch.id, "business_date": lobby.today.isoformat(),
            "at": lobby.branch.iso(lobby.now), "services": services, "counters": counters}


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.slow
@pytest.mark.parametrize("size", [3, 12])
def test_the_board_costs_five_statements_whatever_the_size_and_answers_as_before(
        any_engine: Engine, size: int) -> None:
    busy_morning(any_engine, size)
    at = MONDAY_10AM + timedelta(minutes=90)
    with unit_of_work(any_engine) as session:
        lobby = Lobby(session, now=at)
        with counted(any_engine) as statements:
            board = lobby.snapshot()
    assert len(statements) == 4, statements
    with unit_of_work(any_engine) as session:
        expected = per_item_snapshot(Lobby(session, now=at))
    assert board == expected
    # The morning really exercises the rules being compared.
    first = next(s for s in board["services"] if s["code"] == "svc00")
    assert first["waiting"] > 0
    assert first["wait_min"] is not None
    assert {c["status"] for c in board["counters"]} >= {"open", "paused"}
    assert any(c["ticket"] for c in board["counters"])
    assert sum(1 for s in board["services"] if s["open_counters"]) >= 2


def test_the_default_branch_board_is_four_statements_with_its_services_cached(
        engine: Engine) -> None:
    """Four: the take before it left this settings revision's services cached in the
    process (kiosk.queue.services); at most five with a cold one (the test above)."""
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
    act(engine, 0, lambda lobby: lobby.take("claims"))
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        with counted(engine) as statements:
            lobby.snapshot()
    assert len(statements) == 4, statements
