"""The lobby board as plain SQL and a pure function over its rows: one definition of
its queries and rules, two ways to connect.

The lobby display refreshes the board every second and ``kiosk queue`` prints it, so
it costs five statements whatever the number of services and counters: the
services, the waiting counts, the handling times, the counters with their current
tickets, and which counter serves what. The statements are portable text (SQLite and
PostgreSQL) with named parameters (:func:`parameters`); :func:`assemble` turns their
rows into the board. The engine runs them through its session
(:func:`kiosk.queue.views.snapshot`; :data:`SERVICES` is also what
:meth:`kiosk.queue.lobby.Lobby.services` loads, or takes from its per-revision cache:
then the board is four statements), and ``kiosk queue`` on an up-to-date
SQLite file runs them through the standard library's driver
(:mod:`kiosk.queue.board_sqlite`). No SQLAlchemy here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from kiosk.queue.waits import ROLLING_WINDOW, average_minutes, wait_range

SERVICES = "SELECT * FROM service WHERE branch_id = :branch ORDER BY sort"
"""The branch's services in display order, every column (the engine maps them to
``Service`` rows)."""

WAITING = """
SELECT service_code, count(*) FROM ticket
WHERE branch_id = :branch AND business_date = :day AND status = 'waiting'
GROUP BY service_code"""

HANDLING = """
SELECT service_code, started_at, finished_at FROM (
    SELECT service_code, started_at, finished_at,
           row_number() OVER (PARTITION BY service_code
                              ORDER BY finished_at DESC, id DESC) AS place
    FROM ticket
    WHERE branch_id = :branch AND business_date = :day AND status = 'done'
      AND started_at IS NOT NULL
) AS recent
WHERE place <= :window"""
"""The last ``ROLLING_WINDOW`` finished tickets of every service today."""

COUNTERS = """
SELECT counter.id, counter.number, counter.status, counter.staff,
       ticket.id, ticket.number, ticket.status, ticket.service_code
FROM counter LEFT OUTER JOIN ticket ON ticket.id = counter.current_ticket_id
WHERE counter.branch_id = :branch
ORDER BY counter.number"""

LINKS = """
SELECT counter_id, service_id FROM counter_service
WHERE branch_id = :branch
ORDER BY counter_id, position"""


class ServiceRow(NamedTuple):
    """What the board needs of a service."""

    id: int
    code: str
    prefix: str
    name_zh: str
    name_en: str
    enabled: bool
    target_handle_min: int

    @classmethod
    def of(cls, row: Any) -> ServiceRow:
        """From anything with the columns as attributes (a ``Service``) or keys (a
        ``sqlite3.Row``)."""
        if hasattr(row, "keys"):
            return cls(*(row[name] for name in cls._fields))
        return cls(*(getattr(row, name) for name in cls._fields))


def parameters(branch_id: str, day: date) -> dict[str, Any]:
    """The statements' parameters: the branch, its business day, the rolling window."""
    return {"branch": branch_id, "day": day, "window": ROLLING_WINDOW}


def instant(value: datetime | str | None) -> datetime | None:
    """A time column as the driver gives it: a ``datetime`` (PostgreSQL), or SQLite's
    text, the UTC time without its offset."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def assemble(branch_id: str, today: date, at: str, services: Sequence[ServiceRow],
             waiting: Iterable[Sequence[Any]], handling: Iterable[Sequence[Any]],
             counters: Iterable[Sequence[Any]], links: Iterable[Sequence[Any]]
             ) -> dict[str, Any]:
    """The board from the rows of the five statements: waiting count, open counters
    and the wait range per service (the rule of :meth:`Lobby.estimate`); status,
    staff, services and current ticket per counter. ``at`` is the time it shows (ISO,
    with the branch's offset). The ``--json`` contract of ``kiosk queue``."""
    counts = {code: int(count) for code, count in waiting}
    spans: dict[str, list[tuple[datetime | None, datetime | None]]] = {}
    for code, started, finished in handling:
        spans.setdefault(code, []).append((instant(started), instant(finished)))
    counter_rows = list(counters)
    status = {row[0]: row[2] for row in counter_rows}
    code_of = {s.id: s.code for s in services}
    serving: dict[int, list[int]] = {}  # service id -> counter ids
    served: dict[int, list[str]] = {}  # counter id -> service codes, in order
    for counter_id, service_id in links:
        serving.setdefault(service_id, []).append(counter_id)
        served.setdefault(counter_id, []).append(code_of.get(service_id, ""))
    service_lines = []
    for s in services:
        count = counts.get(s.code, 0)
        assigned = serving.get(s.id, [])
        open_count = sum(1 for c in assigned if status.get(c) == "open")
        counting = open_count or len(assigned)
        estimate = (wait_range(count, counting,
                               average_minutes(s.target_handle_min, spans.get(s.code, [])))
                    if counting else None)
        service_lines.append({
            "code": s.code, "prefix": s.prefix, "name_zh": s.name_zh, "name_en": s.name_en,
            "enabled": bool(s.enabled), "waiting": count, "open_counters": open_count,
            "wait_min": list(estimate) if estimate else None})
    counter_lines = [{
        "number": number, "status": state, "staff": staff,
        "services": served.get(counter_id, []),
        "ticket": None if ticket_id is None else {
            "number": ticket_number, "status": ticket_status, "service": ticket_service}}
        for (counter_id, number, state, staff, ticket_id, ticket_number, ticket_status,
             ticket_service) in counter_rows]
    return {"branch": branch_id, "business_date": today.isoformat(), "at": at,
            "services": service_lines, "counters": counter_lines}


__all__ = ["COUNTERS", "HANDLING", "LINKS", "SERVICES", "WAITING", "ServiceRow", "assemble",
           "instant", "parameters"]
