"""What a counter terminal needs besides the counter actions (``kiosk.app.counters``):
its set-up once per login, and the rating a customer gives on its screen when the
counter has no keypad."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kiosk.app.context import AppContext
from kiosk.app.ratings import RatingGiven
from kiosk.app.results import Result
from kiosk.app.staff import requires
from kiosk.app.validate import whole
from kiosk.errors import RuleRefused
from kiosk.feedback import ratings
from kiosk.feedback.ratings import scale_values
from kiosk.models import Keypad
from kiosk.queue.lobby import Lobby
from kiosk.staff.accounts import StaffPolicy
from kiosk.staff.permissions import Permission, StaffSession


@dataclass(frozen=True)
class ServiceName(Result):
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class DeskSetup(Result):
    """What a counter terminal needs once per login: whether the counter has a rating
    keypad (else the customer rates on the screen, with ``rating_values``, best
    first), the services a ticket can be transferred to, and after how many idle
    minutes the terminal locks itself."""

    counter: int
    has_keypad: bool
    rating_values: tuple[str, ...]
    services: tuple[ServiceName, ...]
    idle_lock_minutes: int


@requires(Permission.SERVE)
def desk_setup(app: AppContext, staff: StaffSession, counter: int) -> DeskSetup:
    whole(counter, "窗口号", "the counter number")
    with app.read() as session:
        lobby = Lobby(session)
        lobby.counter(counter)  # NotFound for a counter the branch does not have
        keypad = session.scalar(select(Keypad.id).where(
            Keypad.branch_id == lobby.branch.id, Keypad.counter_number == counter))
        return DeskSetup(
            counter=counter, has_keypad=keypad is not None,
            rating_values=tuple(scale_values(int(lobby.branch.setting("rating_scale")))),
            services=tuple(ServiceName(s.code, s.name_zh, s.name_en)
                           for s in lobby.services() if s.enabled),
            idle_lock_minutes=StaffPolicy.of(lobby.branch).idle_lock_minutes)


@requires(Permission.SERVE)
def rate_on_screen(app: AppContext, staff: StaffSession, counter: int, ticket: str,
                   value: str) -> RatingGiven:
    """The rating the customer chose on this counter's screen (``none``: skipped) for
    ``ticket``, which must have been finished at this counter."""
    with app.write() as session:
        lobby = Lobby(session)
        rating = ratings.rate_on_screen(session, lobby.branch, ticket, value, at=lobby.now)
        if rating.counter_number != counter:
            raise RuleRefused(f"{ticket} 不是在 {counter} 号窗口办结的",
                              f"{ticket} was not finished at counter {counter}",
                              code="other_counter")
        return RatingGiven(ticket.upper(), rating.value, rating.counter_number, rating.staff,
                           rating.source)


__all__ = ["DeskSetup", "ServiceName", "desk_setup", "rate_on_screen"]
