"""The lobby board: what the lobby display and the admin board refresh every second
(waiting count, open counters and the wait per service; status, staff and ticket per
counter). One read unit of work of a constant handful of statements, whatever the
number of services and counters (:meth:`kiosk.queue.lobby.Lobby.snapshot`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.queue.lobby import Lobby


@dataclass(frozen=True)
class ServiceLine(Result):
    code: str
    prefix: str
    name_zh: str
    name_en: str
    enabled: bool
    waiting: int
    open_counters: int
    wait_min: tuple[int, int] | None


@dataclass(frozen=True)
class BoardTicket(Result):
    number: str
    status: str
    service: str


@dataclass(frozen=True)
class CounterFacts(Result):
    """A counter as every board shows it: ``status`` open/paused/closed, the staff
    member at it, its services in order. Boards add its current ticket their way."""

    number: int
    status: str
    staff: str | None
    services: tuple[str, ...]


@dataclass(frozen=True)
class CounterLine(CounterFacts):
    ticket: BoardTicket | None


@dataclass(frozen=True)
class LobbyBoard(Result):
    """The whole lobby at ``at`` (ISO time with the branch's offset)."""

    branch: str
    business_date: str
    at: str
    services: tuple[ServiceLine, ...]
    counters: tuple[CounterLine, ...]


def service_fields(line: dict[str, Any]) -> dict[str, Any]:
    """The :class:`ServiceLine` fields of one service of ``Lobby.snapshot()``."""
    return {**line, "wait_min": tuple(line["wait_min"]) if line["wait_min"] else None}


def counter_fields(line: dict[str, Any]) -> dict[str, Any]:
    """The :class:`CounterFacts` fields of one counter of ``Lobby.snapshot()``."""
    return {"number": line["number"], "status": line["status"], "staff": line["staff"],
            "services": tuple(line["services"])}


def lobby_board(app: AppContext) -> LobbyBoard:
    """The lobby now (the ``kiosk queue`` view)."""
    with app.read() as session:
        snap = Lobby(session).snapshot()
    return LobbyBoard(
        branch=snap["branch"], business_date=snap["business_date"], at=snap["at"],
        services=tuple(ServiceLine(**service_fields(s)) for s in snap["services"]),
        counters=tuple(CounterLine(
            **counter_fields(c), ticket=BoardTicket(**c["ticket"]) if c["ticket"] else None)
            for c in snap["counters"]))


__all__ = ["BoardTicket", "CounterFacts", "CounterLine", "LobbyBoard", "ServiceLine",
           "counter_fields", "lobby_board", "service_fields"]
