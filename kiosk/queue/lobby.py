"""The queue engine: numbering, calling, serving, transfers, pauses, estimates.

A :class:`Lobby` is made for one user action inside one unit of work
(``kiosk.db.unit_of_work(engine, write=True)``); its methods read and write through
that session and never commit. Every ticket transition adds a :class:`TicketEvent`,
which doubles as the outbox other subsystems read (a ``finish`` event is what asks a
counter's keypad for a rating).

``Lobby`` is the one class callers use. It holds the lookups, the business day, the
ticket transitions (take, call, recall, start, finish, no-show, cancel, transfer) and
their records; the rest of the package holds what those are made of, each testable
alone: :mod:`~kiosk.queue.numbering` (open hours, daily cap, the next number),
:mod:`~kiosk.queue.ordering` (who is called first, who is ahead),
:mod:`~kiosk.queue.estimates` (handling time, wait ranges),
:mod:`~kiosk.queue.counters` (open, close, pause rule, services) and
:mod:`~kiosk.queue.views` (the ticket and lobby views the screens and CLI show).

Race safety:
- numbering increments the (day, service) sequence row in one upsert: SQLite under
  the write lock the unit of work took at BEGIN, PostgreSQL under the row lock the
  upsert takes;
- calling flips a ticket from ``waiting`` to ``called`` with a compare-and-set UPDATE,
  so two counters can never both get it; the loser moves on to its next candidate.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import (
    PRIORITIES,
    Counter,
    CounterEvent,
    CounterService,
    Service,
    Ticket,
    TicketEvent,
)
from kiosk.queue import counters, day, estimates, ordering, views
from kiosk.queue.estimates import WaitEstimate
from kiosk.queue.numbering import check_open, insert_ticket, next_seq
from kiosk.queue.services import BranchServices

_INSERT_EVENT = insert(TicketEvent)  # run on the connection: Core


class Lobby:
    """The queue of one branch at one instant, for one unit of work."""

    def __init__(self, session: Session, branch: BranchInfo | None = None,
                 now: datetime | None = None) -> None:
        self.session = session
        self.branch = branch or load_branch(session)
        self.now = now or clock.now()
        self.today = day.business_day(session, self.branch, self.now)
        # Cached per settings revision only if read in this transaction (not handed in).
        self._services = BranchServices(session, self.branch.id,
                                        None if branch else self.branch.settings_rev)

    # ----- lookups -------------------------------------------------------------------

    def services(self) -> list[Service]:
        """The branch's services in display order (:mod:`~kiosk.queue.services`)."""
        return self._services.all()

    def service(self, code: str) -> Service:
        row = self._services.get(code)
        if row is None:
            codes = ", ".join(s.code for s in self.services())
            raise UsageError(f"未知服务 {code}，可选：{codes}",
                             f"unknown service {code!r}; valid: {codes}", code="unknown_service")
        return row

    def counter(self, number: int, *, lock: bool = False) -> Counter:
        query = select(Counter).where(Counter.branch_id == self.branch.id,
                                      Counter.number == number)
        if lock:
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"没有 {number} 号窗口", f"no counter {number}", code="unknown_counter")
        return row

    def counters(self) -> list[Counter]:
        return list(self.session.scalars(
            select(Counter).where(Counter.branch_id == self.branch.id).order_by(Counter.number)))

    def counter_services(self, counter: Counter) -> list[Service]:
        return list(self.session.scalars(
            select(Service).join(CounterService, CounterService.service_id == Service.id)
            .where(CounterService.counter_id == counter.id).order_by(CounterService.position)))

    def ticket(self, number: str, day: date | None = None, *, lock: bool = False) -> Ticket:
        query = select(Ticket).where(
            Ticket.branch_id == self.branch.id, Ticket.business_date == (day or self.today),
            Ticket.number == number.upper())
        if lock:
            # PostgreSQL: wait for a counter calling this ticket right now, then see
            # the state it committed.
            query = query.with_for_update()
        row = self.session.scalar(query)
        if row is None:
            raise NotFound(f"今天没有 {number} 号票", f"no ticket {number} today",
                           code="unknown_ticket")
        return row

    # ----- the business day (kiosk.queue.day) ---------------------------------------

    def roll_day(self) -> int:
        """Close every earlier business day that was left open; returns tickets expired.

        Runs at the start of every write action, so the first action of a new day
        expires yesterday's leftovers even if nobody ran ``kiosk day close``."""
        return day.roll_day(self)

    def close_day(self) -> int:
        """End of day: today's waiting and called tickets expire, counters close."""
        return day.close_day(self)

    # ----- taking a ticket -----------------------------------------------------------

    def take(self, service_code: str, priority: str = "normal") -> Ticket:
        """Issue the next number of ``service_code`` for today, or refuse with a reason."""
        if priority not in PRIORITIES:
            raise UsageError(f"优先级只能是 {', '.join(PRIORITIES)}",
                             f"priority must be one of {', '.join(PRIORITIES)}")
        service = self.service(service_code)
        self.roll_day()
        check_open(self.branch, self.today, self.now, service)
        priority = ordering.ticket_class(service.code, priority)
        seq = next_seq(self.session, self.branch.id, self.today, service)
        ticket = insert_ticket(self.session, branch_id=self.branch.id,
                               business_date=self.today, seq=seq,
                               number=f"{service.prefix}{seq:03d}", issue_service=service.code,
                               service_code=service.code, priority=priority, issued_at=self.now)
        self._event(ticket, "issue", None, "waiting", reason=priority)
        return ticket

    # ----- estimates (kiosk.queue.estimates, kiosk.queue.ordering) -------------------

    def handling_minutes(self, service: Service) -> float:
        """Rolling average handling time of today's finished tickets of ``service``."""
        return estimates.handling_minutes(self.session, self.branch.id, self.today, service)

    def serving_counters(self, service: Service) -> tuple[int, int]:
        """(open counters serving ``service``, all counters serving it)."""
        return estimates.serving_counters(self.session, service)

    def estimate(self, service: Service, ahead: int) -> tuple[int, int] | None:
        """Wait range in minutes for a customer with ``ahead`` people before them.

        With no counter open yet, the counters that serve the service are assumed to
        open; with none at all there is no estimate."""
        open_count, all_count = self.serving_counters(service)
        serving = open_count or all_count
        if serving == 0:
            return None
        return estimates.wait_range(ahead, serving, self.handling_minutes(service))

    def ahead_of(self, ticket: Ticket) -> int:
        """Waiting tickets of the same service that will be called before ``ticket``."""
        return ordering.ahead_of(self.session, self.branch.id, ticket)

    def wait_estimate(self, ticket: Ticket) -> WaitEstimate:
        if ticket.status != "waiting":
            return WaitEstimate(0, None)
        ahead = self.ahead_of(ticket)
        return WaitEstimate(ahead, self.estimate(self.service(ticket.service_code), ahead))

    # ----- counters ------------------------------------------------------------------

    def open_counter(self, number: int, staff: str | None = None) -> Counter:
        return counters.open_counter(self, number, staff)

    def close_counter(self, number: int) -> Counter:
        return counters.close_counter(self, number)

    def pause_counter(self, number: int, supervisor: str | None = None,
                      reason: str = "") -> Counter:
        """Pause (暂停办公); refused while this is the only open counter for one of its
        services, unless a supervisor overrides (the override is recorded)."""
        return counters.pause_counter(self, number, supervisor, reason)

    def resume_counter(self, number: int) -> Counter:
        return counters.resume_counter(self, number)

    def set_services(self, number: int, codes: list[str]) -> Counter:
        return counters.set_services(self, number, codes)

    def current_ticket(self, counter: Counter) -> Ticket | None:
        if counter.current_ticket_id is None:
            return None
        return self.session.get(Ticket, counter.current_ticket_id)

    def _working_counter(self, number: int) -> Counter:
        self.roll_day()
        counter = self.counter(number, lock=True)
        if counter.status != "open":
            state_zh = {"paused": "暂停中", "closed": "未开启"}.get(counter.status, counter.status)
            raise RuleRefused(f"{number} 号窗口{state_zh}",
                              f"counter {number} is {counter.status}", code="not_open")
        return counter

    def _current_or_refuse(self, counter: Counter, *states: str) -> Ticket:
        current = self.current_ticket(counter)
        if current is None or current.status not in states:
            raise RuleRefused(f"{counter.number} 号窗口当前没有可操作的号",
                              f"counter {counter.number} has no ticket in state "
                              f"{'/'.join(states)}", code="no_current")
        return current

    # ----- calling and serving -------------------------------------------------------

    def call_next(self, number: int, staff: str | None = None) -> Ticket | None:
        """Call the next ticket for counter ``number``; None when nobody waits.

        Order: a normal ticket waiting over twice its target overtakes everything
        (oldest first); then priority class (vip, care, normal); then the order of
        issue (the sequence, not the clock). A ticket still at the counter is
        finished first, as pressing 下一位 means the customer was served."""
        counter = self._working_counter(number)
        staff = staff or counter.staff
        current = self.current_ticket(counter)
        if current is not None and current.status in ("called", "serving"):
            self._finish(counter, current, staff, reason="next customer called")
        services = self.counter_services(counter)
        while found := ordering.candidates(self.session, self.branch.id, self.today,
                                           self.now, services):
            for ticket in found:
                if self._claim(ticket, counter, staff, "call"):
                    return ticket
            # Other counters took every candidate: look again at who still waits.
        counter.current_ticket_id = None
        return None

    def _claim(self, ticket: Ticket, counter: Counter, staff: str | None, kind: str,
               reason: str = "") -> bool:
        """Compare-and-set waiting → called; False when another counter got it first."""
        result = self.session.execute(
            update(Ticket).where(Ticket.id == ticket.id, Ticket.status == "waiting")
            .values(status="called", called_at=self.now, counter_number=counter.number,
                    staff=staff, recalls=0)
            .execution_options(synchronize_session=False))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        self.session.refresh(ticket)
        counter.current_ticket_id = ticket.id
        self._event(ticket, kind, "waiting", "called", counter=counter.number, staff=staff,
                    reason=reason)
        return True

    def call_number(self, number: int, ticket_number: str, staff: str | None = None) -> Ticket:
        """Call one waiting ticket out of order; recorded with the staff member."""
        counter = self._working_counter(number)
        staff = staff or counter.staff
        if not staff:
            raise UsageError("跳号呼叫须登记工作人员", "calling out of order needs a staff id")
        ticket = self.ticket(ticket_number)
        if ticket.status != "waiting":
            raise RuleRefused(f"{ticket.number} 当前状态为 {ticket.status}，不能呼叫",
                              f"{ticket.number} is {ticket.status}, not waiting",
                              code="not_waiting")
        current = self.current_ticket(counter)
        if current is not None and current.status in ("called", "serving"):
            self._finish(counter, current, staff, reason="next customer called")
        if not self._claim(ticket, counter, staff, "call_specific", reason="out of order"):
            raise RuleRefused(f"{ticket.number} 已被其他窗口呼叫",
                              f"{ticket.number} was just called by another counter",
                              code="taken")
        return ticket

    def recall(self, number: int) -> Ticket:
        counter = self._working_counter(number)
        ticket = self._current_or_refuse(counter, "called")
        ticket.recalls += 1
        self._event(ticket, "recall", "called", "called", counter=number, staff=counter.staff,
                    reason=f"recall {ticket.recalls}")
        return ticket

    def start(self, number: int) -> Ticket:
        counter = self._working_counter(number)
        ticket = self._current_or_refuse(counter, "called")
        ticket.status, ticket.started_at = "serving", self.now
        self._event(ticket, "start", "called", "serving", counter=number, staff=counter.staff)
        return ticket

    def finish(self, number: int) -> Ticket:
        """Finish the counter's ticket (a called ticket counts as served from its call)."""
        self.roll_day()  # before any lock, as every action: one lock order (kiosk.queue.day)
        counter = self.counter(number, lock=True)
        ticket = self._current_or_refuse(counter, "called", "serving")
        self._finish(counter, ticket, counter.staff)
        return ticket

    def _finish(self, counter: Counter, ticket: Ticket, staff: str | None,
                reason: str = "") -> None:
        previous = ticket.status
        if ticket.started_at is None:
            ticket.started_at = ticket.called_at or self.now
        ticket.status, ticket.finished_at = "done", self.now
        counter.current_ticket_id = None
        self._event(ticket, "finish", previous, "done", counter=counter.number,
                    staff=staff or ticket.staff, reason=reason)

    def no_show(self, number: int) -> Ticket:
        counter = self._working_counter(number)
        ticket = self._current_or_refuse(counter, "called")
        limit = int(self.branch.setting("recall_limit"))
        if ticket.recalls < limit:
            raise RuleRefused(f"请先重呼（已重呼 {ticket.recalls}/{limit} 次）",
                              f"recall first: recalled {ticket.recalls} of {limit} times",
                              code="recall_first")
        ticket.status, ticket.finished_at = "no_show", self.now
        counter.current_ticket_id = None
        self._event(ticket, "no_show", "called", "no_show", counter=number, staff=counter.staff,
                    reason=f"after {ticket.recalls} recalls")
        return ticket

    def cancel(self, ticket_number: str, reason: str = "") -> Ticket:
        self.roll_day()
        ticket = self.ticket(ticket_number, lock=True)
        if ticket.status not in ("waiting", "called"):
            raise RuleRefused(f"{ticket.number} 当前状态为 {ticket.status}，不能取消",
                              f"{ticket.number} is {ticket.status} and cannot be cancelled",
                              code="not_cancellable")
        previous = ticket.status
        ticket.status, ticket.finished_at = "cancelled", self.now
        for counter in self.counters():
            if counter.current_ticket_id == ticket.id:
                counter.current_ticket_id = None
        self._event(ticket, "cancel", previous, "cancelled", reason=reason)
        return ticket

    def transfer(self, number: int, service_code: str) -> Ticket:
        """Send the counter's ticket to another service's queue. It keeps its number and
        issue time, so it waits at the head of its priority class there."""
        counter = self._working_counter(number)
        ticket = self._current_or_refuse(counter, "called", "serving")
        target = self.service(service_code)
        if target.code == ticket.service_code:
            raise UsageError("不能转到同一业务", "the ticket is already in that service")
        if not target.enabled:
            raise RuleRefused(f"{target.name_zh}业务暂停办理", f"{target.name_en} is not available",
                              code="disabled")
        previous = ticket.status
        ticket.transferred_from = ticket.service_code
        ticket.service_code = target.code
        ticket.status, ticket.called_at, ticket.started_at = "waiting", None, None
        ticket.counter_number, ticket.recalls = None, 0
        counter.current_ticket_id = None
        self._event(ticket, "transfer", previous, "waiting", counter=number, staff=counter.staff,
                    reason=f"{ticket.transferred_from} -> {target.code}")
        return ticket

    # ----- records -------------------------------------------------------------------

    def transition(self, ticket: Ticket, kind: str, to_state: str, reason: str = "") -> None:
        previous = ticket.status
        ticket.status = to_state
        if to_state in ("expired", "cancelled", "no_show", "done"):
            ticket.finished_at = ticket.finished_at or self.now
        self._event(ticket, kind, previous, to_state, reason=reason)

    def _event(self, ticket: Ticket, kind: str, from_state: str | None, to_state: str, *,
               counter: int | None = None, staff: str | None = None, reason: str = "") -> None:
        # Core, no ORM object: inserted now, not at the flush (the ticket has its id).
        self.session.connection().execute(_INSERT_EVENT, dict(
            branch_id=self.branch.id, ticket_id=ticket.id, at=self.now, kind=kind,
            from_state=from_state, to_state=to_state, counter_number=counter, staff=staff,
            reason=reason, service_code=ticket.service_code, recalls=ticket.recalls))

    def counter_event(self, counter: Counter, kind: str, supervisor: str | None = None,
                       reason: str = "") -> None:
        self.session.add(CounterEvent(
            branch_id=self.branch.id, counter_number=counter.number, at=self.now, kind=kind,
            staff=counter.staff, supervisor=supervisor, reason=reason))

    # ----- views (kiosk.queue.views) ------------------------------------------------

    def ticket_view(self, ticket: Ticket) -> dict[str, Any]:
        """The ticket as the CLI and the screens show it (no personal data exists on it)."""
        return views.ticket_view(self, ticket)

    def snapshot(self) -> dict[str, Any]:
        """Waiting count and estimate per service; status and ticket per counter."""
        return views.snapshot(self)


__all__ = ["Lobby", "WaitEstimate"]
