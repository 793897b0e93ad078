"""The counter terminal's actions: open, close, pause (with the supervisor rule),
resume, call the next or a given number, recall, start, finish, no-show, transfer, set
the services. Each is done by a member of staff (a :class:`StaffSession` from a PIN
login, or ``staff.console`` for a command line), checked by ``requires``, audited in
its own write unit of work and answers with the counter as its terminal shows it
(:class:`CounterView`), read in the same unit of work, so the screen never shows a
state between two actions.

Two actions override a rule and take a supervisor's PIN (:class:`SupervisorPin`):
pausing the last open counter of a service (暂停办公), and calling a number out of
order (with a reason, every time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.staff import SupervisorPin, approve, is_console, note, requires
from kiosk.app.tickets import TicketInfo
from kiosk.app.validate import text, whole
from kiosk.claims.views import check_view
from kiosk.errors import RuleRefused
from kiosk.models import ClaimCheck, Counter, CounterEvent, Ticket
from kiosk.queue.lobby import Lobby
from kiosk.staff.permissions import Permission, StaffSession


@dataclass(frozen=True)
class ServiceQueue(Result):
    """One of the counter's services and how many wait for it now."""

    code: str
    name_zh: str
    name_en: str
    waiting: int


@dataclass(frozen=True)
class DocumentName(Result):
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class LinkedCheck(Result):
    """The newest claim-document check linked to a ticket: what the clerk needs before
    the customer reaches the counter (``missing`` is everything still missing)."""

    reference: str
    claim_type: str
    claim_type_name_zh: str
    claim_type_name_en: str
    complete: bool
    missing: tuple[DocumentName, ...]
    originals_needed: tuple[str, ...]
    decision_by: str | None


@dataclass(frozen=True)
class CurrentTicket(TicketInfo):
    """The ticket at the counter, with how long its customer waited (issue → call, whole
    minutes, or until now while not yet called) and its linked claim check."""

    waited_min: int
    claim_check: LinkedCheck | None


@dataclass(frozen=True)
class CounterView(Result):
    """A counter as its terminal shows it after ``action``.

    ``services`` are its service codes in order (its first is its main business),
    ``queues`` the same with their waiting counts, ``current`` the ticket at the counter,
    ``ticket`` the ticket this action moved (the one called, finished, transferred...;
    None for a view or a change of the counter itself, or when nobody was waiting)."""

    counter: int
    action: str
    status: str
    staff: str | None
    services: tuple[str, ...]
    queues: tuple[ServiceQueue, ...]
    current: CurrentTicket | None
    ticket: TicketInfo | None


def counter_view(app: AppContext, counter: int) -> CounterView:
    """The counter now, without acting (what its terminal shows after a refresh)."""
    _number(counter)
    with app.read() as session:
        return _view(Lobby(session), counter, "view", None)


def _on_duty(staff: StaffSession, on_duty: str | None) -> str | None:
    """Who is recorded at the counter and on the tickets it calls: ``on_duty`` if
    given (a command line names the clerk), else the logged-in member of staff (a
    command line without it leaves the counter's own as it is)."""
    named = text(on_duty, Counter.staff, "工号", "the staff id")
    return named or (None if is_console(staff) else staff.number)


@requires(Permission.SERVE)
def open_counter(app: AppContext, staff: StaffSession, counter: int,
                 on_duty: str | None = None) -> CounterView:
    """Open (or reopen after a pause) with the logged-in clerk (or ``on_duty``) on duty."""
    clerk = _on_duty(staff, on_duty)
    return _act(app, staff, counter, "open", lambda lobby: lobby.open_counter(counter, clerk))


@requires(Permission.SERVE)
def close_counter(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    """Close; refused while a customer is still at the counter."""
    return _act(app, staff, counter, "close", lambda lobby: lobby.close_counter(counter))


@requires(Permission.SERVE)
def pause_counter(app: AppContext, staff: StaffSession, counter: int, reason: str = "",
                  supervisor: SupervisorPin | None = None) -> CounterView:
    """Pause (暂停办公). Refused (``only_open_counter``) while this is the last open
    counter of one of its services, unless ``supervisor`` approves with a PIN: the
    rule is tried first, so the PIN is checked only when it is needed."""
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
def resume_counter(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "resume", lambda lobby: lobby.resume_counter(counter))


@requires(Permission.SERVE)
def call_next(app: AppContext, staff: StaffSession, counter: int,
              on_duty: str | None = None) -> CounterView:
    """Finish the current customer and call the next (``ticket`` None: nobody waits)."""
    clerk = _on_duty(staff, on_duty)
    return _act(app, staff, counter, "call", lambda lobby: lobby.call_next(counter, clerk))


@requires(Permission.SERVE)
def call_number(app: AppContext, staff: StaffSession, counter: int, number: str, reason: str,
                supervisor: SupervisorPin, on_duty: str | None = None) -> CounterView:
    """Call waiting ticket ``number`` out of order: a reason and a supervisor's PIN
    every time (audited with both)."""
    why = text(reason, CounterEvent.reason, "跳号原因", "the reason for calling out of order",
               required=True) or ""
    wanted = text(number, Ticket.number, "号码", "the ticket number", required=True) or ""
    clerk = _on_duty(staff, on_duty) or staff.number
    approver = approve(app, supervisor.number, supervisor.pin, Permission.OVERRIDE)
    return _act(app, staff, counter, "call",
                lambda lobby: lobby.call_number(counter, wanted, clerk),
                f"approved by {approver.number}; {why}", audit="call_specific")


@requires(Permission.SERVE)
def recall(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "recall", lambda lobby: lobby.recall(counter))


@requires(Permission.SERVE)
def start_serving(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    return _act(app, staff, counter, "start", lambda lobby: lobby.start(counter))


@requires(Permission.SERVE)
def finish(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    """Finish the current ticket; its rating is then asked on the counter's keypad, or
    on the screen (``kiosk.app.desk``) when the counter has none."""
    return _act(app, staff, counter, "finish", lambda lobby: lobby.finish(counter))


@requires(Permission.SERVE)
def no_show(app: AppContext, staff: StaffSession, counter: int) -> CounterView:
    """The called customer did not come (allowed after the branch's recall limit)."""
    return _act(app, staff, counter, "no-show", lambda lobby: lobby.no_show(counter),
                audit="no_show")


@requires(Permission.SERVE)
def transfer(app: AppContext, staff: StaffSession, counter: int, service: str) -> CounterView:
    """Send the current ticket to ``service``'s queue (same number, same issue time)."""
    return _act(app, staff, counter, "transfer", lambda lobby: lobby.transfer(counter, service),
                f"to {service}")


@requires(Permission.SETTINGS)
def set_services(app: AppContext, staff: StaffSession, counter: int,
                 services: Sequence[str]) -> CounterView:
    """The services the counter serves, in order (a branch setting: supervisors)."""
    codes = [code.strip() for code in services if code.strip()]
    return _act(app, staff, counter, "set", lambda lobby: lobby.set_services(counter, codes),
                ",".join(codes), audit="services")


# ----- the view ----------------------------------------------------------------------


def _number(counter: int) -> int:
    return whole(counter, "窗口号", "the counter number")


def _act(app: AppContext, staff: StaffSession, counter: int, action: str,
         do: Callable[[Lobby], Any], detail: str = "", *, audit: str = "") -> CounterView:
    """``do`` the action, audit it (``counter.<audit or action>``, the ticket it moved
    as the subject) and read the view, all in one write unit of work."""
    _number(counter)
    with app.write() as session:
        lobby = Lobby(session)
        moved = do(lobby)
        ticket = moved if isinstance(moved, Ticket) else None
        note(session, app, staff, f"counter.{audit or action}",
             subject=ticket.number if ticket else f"counter {counter}",
             detail=f"counter {counter}" + (f"; {detail}" if detail else ""),
             branch=lobby.branch)
        return _view(lobby, counter, action, ticket)


def _view(lobby: Lobby, number: int, action: str, moved: Ticket | None) -> CounterView:
    counter = lobby.counter(number)
    services = lobby.counter_services(counter)
    codes = [s.code for s in services]
    waiting = dict(lobby.session.execute(
        select(Ticket.service_code, func.count()).where(
            Ticket.branch_id == lobby.branch.id, Ticket.business_date == lobby.today,
            Ticket.status == "waiting", Ticket.service_code.in_(codes))
        .group_by(Ticket.service_code)).all())
    current = lobby.current_ticket(counter)
    return CounterView(
        counter=counter.number, action=action, status=counter.status, staff=counter.staff,
        services=tuple(codes),
        queues=tuple(ServiceQueue(s.code, s.name_zh, s.name_en, int(waiting.get(s.code, 0)))
                     for s in services),
        current=_current(lobby, current) if current is not None else None,
        ticket=TicketInfo.from_view(lobby.ticket_view(moved)) if moved is not None else None)


def _current(lobby: Lobby, ticket: Ticket) -> CurrentTicket:
    info = TicketInfo.from_view(lobby.ticket_view(ticket))
    waited = (ticket.called_at or lobby.now) - ticket.issued_at
    check = lobby.session.scalar(
        select(ClaimCheck).where(ClaimCheck.ticket_id == ticket.id)
        .order_by(ClaimCheck.checked_at.desc(), ClaimCheck.id.desc()).limit(1))
    return CurrentTicket(**{k: getattr(info, k) for k in TicketInfo.__dataclass_fields__},
                         waited_min=max(0, int(waited.total_seconds() // 60)),
                         claim_check=_linked(lobby, check) if check is not None else None)


def _linked(lobby: Lobby, check: ClaimCheck) -> LinkedCheck:
    view = check_view(lobby.session, check, lobby.branch)
    names = {d["code"]: (d["name_zh"], d["name_en"]) for d in view["documents"]}
    return LinkedCheck(
        reference=view["reference"], claim_type=view["claim_type"],
        claim_type_name_zh=view["claim_type_name_zh"],
        claim_type_name_en=view["claim_type_name_en"], complete=view["complete"],
        missing=tuple(DocumentName(code, *names.get(code, (code, code)))
                      for code in view["missing"]),
        originals_needed=tuple(view["originals_needed"]), decision_by=view["decision_by"])


__all__ = ["CounterView", "CurrentTicket", "DocumentName", "LinkedCheck", "ServiceQueue",
           "call_next", "call_number", "close_counter", "counter_view", "finish", "no_show",
           "open_counter", "pause_counter", "recall", "resume_counter", "set_services",
           "start_serving", "transfer"]
