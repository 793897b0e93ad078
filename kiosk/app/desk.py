"""The counter terminal's actions under a staff session: who is logged in at the
counter acts, the action is audited in its own unit of work, and the two overrides
need a supervisor's PIN.

- **暂停办公.** :func:`pause` first tries without a supervisor; only when the rule
  refuses (``only_open_counter``: the last open counter of one of its services) and a
  :class:`SupervisorPin` is given does it check that PIN and pause with the
  supervisor recorded on the counter event and in the audit entry.
- **Calling a number out of order** (:func:`call_number`) needs a reason and a
  supervisor's PIN every time.

A supervisor's PIN counts toward that supervisor's lockout like a login. Each action
answers with the :class:`~kiosk.app.counters.CounterView` its terminal shows, read in
the same unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kiosk.app.context import AppContext
from kiosk.app.counters import CounterView
from kiosk.app.counters import _view as counter_view_of
from kiosk.app.results import Result
from kiosk.app.staff import approve, note, requires
from kiosk.app.validate import text, whole
from kiosk.errors import RuleRefused
from kiosk.feedback import ratings
from kiosk.feedback.ratings import scale_values
from kiosk.models import CounterEvent, Keypad, Ticket
from kiosk.queue.lobby import Lobby
from kiosk.staff.accounts import StaffPolicy
from kiosk.staff.permissions import Permission, StaffSession


@dataclass(frozen=True)
class SupervisorPin:
    """The supervisor's number and PIN typed to approve one override. Never stored."""

    number: str
    pin: str

    def __repr__(self) -> str:  # keeps the PIN out of logs and tracebacks
        return f"SupervisorPin({self.number!r}, pin=***)"


def _act(app: AppContext, staff: StaffSession, counter: int, action: str,
         do: Callable[[Lobby], Any], detail: str = "") -> CounterView:
    whole(counter, "窗口号", "the counter number")
    with app.write() as session:
        lobby = Lobby(session)
        moved = do(lobby)
        ticket = moved if isinstance(moved, Ticket) else None
        note(session, app, staff, f"counter.{action}",
             subject=ticket.number if ticket else f"counter {counter}",
             detail=f"counter {counter}" + (f"; {detail}" if detail else ""),
             branch=lobby.branch)
        return counter_view_of(lobby, counter, action, ticket)


@requires(Permission.SERVE)
def open_counter(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    """Open (or reopen after a pause) with the logged-in member of staff on duty."""
    return _act(app, staff, counter, "open",
                lambda lobby: lobby.open_counter(counter, staff.number))


@requires(Permission.SERVE)
def close_counter(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "close", lambda lobby: lobby.close_counter(counter))


@requires(Permission.SERVE)
def pause(app: AppContext, staff: StaffSession, counter: int, reason: str = "",
          supervisor: SupervisorPin | None = None) -> CounterView:
    """Pause (暂停办公). Refused (``only_open_counter``) when this is the last open
    counter of one of its services, unless ``supervisor`` approves with a PIN."""
    why = text(reason, CounterEvent.reason, "原因", "the reason") or ""
    try:
        return _act(app, staff, counter, "pause",
                    lambda lobby: lobby.pause_counter(counter, None, why), why)
    except RuleRefused as refused:
        if refused.code != "only_open_counter" or supervisor is None:
            raise
    approver = approve(app, supervisor.number, supervisor.pin, Permission.OVERRIDE)
    return _act(app, staff, counter, "pause",
                lambda lobby: lobby.pause_counter(counter, approver.number, why),
                f"override by {approver.number}" + (f"; {why}" if why else ""))


@requires(Permission.SERVE)
def resume(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "resume", lambda lobby: lobby.resume_counter(counter))


@requires(Permission.SERVE)
def call_next(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    """Finish the current customer and call the next (``ticket`` None: nobody waits)."""
    return _act(app, staff, counter, "call",
                lambda lobby: lobby.call_next(counter, staff.number))


@requires(Permission.SERVE)
def call_number(app: AppContext, staff: StaffSession, counter: int, number: str, reason: str,
                supervisor: SupervisorPin) -> CounterView:
    """Call waiting ticket ``number`` out of order: a reason and a supervisor's PIN."""
    why = text(reason, CounterEvent.reason, "跳号原因", "the reason for calling out of order",
               required=True) or ""
    wanted = text(number, Ticket.number, "号码", "the ticket number", required=True) or ""
    approver = approve(app, supervisor.number, supervisor.pin, Permission.OVERRIDE)
    return _act(app, staff, counter, "call_specific",
                lambda lobby: lobby.call_number(counter, wanted, staff.number),
                f"approved by {approver.number}; {why}")


@requires(Permission.SERVE)
def recall(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "recall", lambda lobby: lobby.recall(counter))


@requires(Permission.SERVE)
def start_serving(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "start", lambda lobby: lobby.start(counter))


@requires(Permission.SERVE)
def finish(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    """Finish the current ticket; its rating is then asked on the counter's keypad, or
    on the screen when :func:`desk_setup` says it has none."""
    return _act(app, staff, counter, "finish", lambda lobby: lobby.finish(counter))


@requires(Permission.SERVE)
def no_show(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "no_show", lambda lobby: lobby.no_show(counter))


@requires(Permission.SERVE)
def transfer(app: AppContext, staff: StaffSession, counter: int, service: str) -> CounterView:
    return _act(app, staff, counter, "transfer", lambda lobby: lobby.transfer(counter, service),
                f"to {service}")


@requires(Permission.SERVE)
def rate_on_screen(app: AppContext, staff: StaffSession, counter: int, ticket: str,
                   value: str) -> str:
    """The rating the customer chose on this counter's screen (``none``: skipped) for
    ``ticket``, finished here; returns the value stored."""
    with app.write() as session:
        lobby = Lobby(session)
        rating = ratings.rate_on_screen(session, lobby.branch, ticket, value, at=lobby.now)
        if rating.counter_number != counter:
            raise RuleRefused(f"{ticket} 不是在 {counter} 号窗口办结的",
                              f"{ticket} was not finished at counter {counter}",
                              code="other_counter")
        return rating.value


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


__all__ = ["DeskSetup", "ServiceName", "SupervisorPin", "call_next", "call_number",
           "close_counter", "desk_setup", "finish", "no_show", "open_counter", "pause",
           "rate_on_screen", "recall", "resume", "start_serving", "transfer"]
