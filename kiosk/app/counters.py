"""The counter terminal's actions: open, close, pause (with the supervisor rule),
resume, call the next or a given number, recall, start, finish, no-show, transfer, set
the services. Each is one write unit of work and answers with the counter as its
terminal shows it (:class:`CounterView`), read in the same unit of work, so the screen
never shows a state between two actions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.tickets import TicketInfo
from kiosk.app.validate import text, whole
from kiosk.claims.views import check_view
from kiosk.models import ClaimCheck, Counter, CounterEvent, Ticket
from kiosk.privacy import audit
from kiosk.queue.lobby import Lobby


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


def open_counter(app: AppContext, counter: int, staff: str | None = None) -> CounterView:
    """Open (or reopen after a pause) with ``staff`` on duty."""
    staff = _staff(staff)
    return _act(app, counter, "open", lambda lobby: lobby.open_counter(counter, staff))


def close_counter(app: AppContext, counter: int) -> CounterView:
    """Close; refused while a customer is still at the counter."""
    return _act(app, counter, "close", lambda lobby: lobby.close_counter(counter))


def pause_counter(app: AppContext, counter: int, supervisor: str | None = None,
                  reason: str = "") -> CounterView:
    """Pause (暂停办公); refused while it is the only open counter of one of its services,
    unless ``supervisor`` overrides (recorded with the pause, and in the audit log)."""
    supervisor = text(supervisor, CounterEvent.supervisor, "主管", "the supervisor")
    why = text(reason, CounterEvent.reason, "原因", "the reason") or ""

    def pause(lobby: Lobby) -> None:
        lobby.pause_counter(counter, supervisor, why)
        event = lobby.session.scalar(
            select(CounterEvent).where(CounterEvent.branch_id == lobby.branch.id,
                                       CounterEvent.counter_number == counter,
                                       CounterEvent.kind == "pause")
            .order_by(CounterEvent.id.desc()).limit(1))
        if event is not None and event.supervisor:  # the pause rule was overridden
            _audit(app, lobby, event.supervisor, "counter.pause_override", f"counter {counter}",
                   why)

    return _act(app, counter, "pause", pause)


def resume_counter(app: AppContext, counter: int) -> CounterView:
    return _act(app, counter, "resume", lambda lobby: lobby.resume_counter(counter))


def call_next(app: AppContext, counter: int, staff: str | None = None) -> CounterView:
    """Finish the current customer and call the next (``ticket`` None: nobody waits)."""
    staff = _staff(staff)
    return _act(app, counter, "call", lambda lobby: lobby.call_next(counter, staff))


def call_number(app: AppContext, counter: int, number: str,
                staff: str | None = None) -> CounterView:
    """Call waiting ticket ``number`` out of order (needs a staff id; recorded with the
    ticket and in the audit log: it overrides the calling order)."""
    staff = _staff(staff)

    def call(lobby: Lobby) -> Ticket:
        ticket = lobby.call_number(counter, number, staff)
        _audit(app, lobby, ticket.staff or "", "counter.call_specific", ticket.number,
               f"counter {counter}")
        return ticket

    return _act(app, counter, "call", call)


def recall(app: AppContext, counter: int) -> CounterView:
    return _act(app, counter, "recall", lambda lobby: lobby.recall(counter))


def start_serving(app: AppContext, counter: int) -> CounterView:
    return _act(app, counter, "start", lambda lobby: lobby.start(counter))


def finish(app: AppContext, counter: int) -> CounterView:
    return _act(app, counter, "finish", lambda lobby: lobby.finish(counter))


def no_show(app: AppContext, counter: int) -> CounterView:
    """The called customer did not come (allowed after the branch's recall limit)."""
    return _act(app, counter, "no-show", lambda lobby: lobby.no_show(counter))


def transfer(app: AppContext, counter: int, service: str) -> CounterView:
    """Send the current ticket to ``service``'s queue (same number, same issue time)."""
    return _act(app, counter, "transfer", lambda lobby: lobby.transfer(counter, service))


def set_services(app: AppContext, counter: int, services: Sequence[str]) -> CounterView:
    """The services the counter serves, in order."""
    codes = [code.strip() for code in services if code.strip()]
    return _act(app, counter, "set", lambda lobby: lobby.set_services(counter, codes))


# ----- the view ----------------------------------------------------------------------


def _number(counter: int) -> int:
    return whole(counter, "窗口号", "the counter number")


def _staff(staff: str | None) -> str | None:
    return text(staff, Counter.staff, "工号", "the staff id")


def _audit(app: AppContext, lobby: Lobby, staff: str, action: str, subject: str,
           detail: str) -> None:
    """A rule overridden: recorded in the same unit of work as the action."""
    audit.record(lobby.session, lobby.branch.id, staff=staff, action=action, at=lobby.now,
                 station=app.station, subject=subject, detail=detail)


def _act(app: AppContext, counter: int, action: str,
         do: Callable[[Lobby], Any]) -> CounterView:
    _number(counter)
    with app.write() as session:
        lobby = Lobby(session)
        moved = do(lobby)
        return _view(lobby, counter, action, moved if isinstance(moved, Ticket) else None)


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
