"""The queue engine: numbering, calling, serving, transfers, pauses, estimates.

A :class:`Lobby` is made for one user action inside one unit of work
(``kiosk.db.unit_of_work(engine, write=True)``); its methods read and write through
that session and never commit. Every ticket transition adds a :class:`TicketEvent`,
which doubles as the outbox other subsystems read (a ``finish`` event is what asks a
counter's keypad for a rating).

Race safety:
- numbering increments the (day, service) sequence row in one upsert: SQLite under
  the write lock the unit of work took at BEGIN, PostgreSQL under the row lock the
  upsert takes;
- calling flips a ticket from ``waiting`` to ``called`` with a compare-and-set UPDATE,
  so two counters can never both get it; the loser moves on to its next candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.errors import NotFound, RuleRefused, UsageError
from kiosk.models import (
    PRIORITIES,
    PRIORITY_RANK,
    Counter,
    CounterEvent,
    CounterService,
    DayState,
    Service,
    Ticket,
    TicketEvent,
    TicketSequence,
)

# Tickets finished today that feed the rolling handling-time average, and how many
# are needed before it replaces the service's target.
ROLLING_WINDOW = 20
ROLLING_MINIMUM = 5
# A normal ticket waiting longer than this many target waits overtakes priority ones.
STARVATION_FACTOR = 2
# Tickets read per service and ordering when calling: enough to outlast the counters
# racing for the same queue; if all are taken, call_next reads again.
CANDIDATES_PER_SERVICE = 8

# The business day each (database, branch) is known to have rolled to. The day state
# only moves forward, so once this process has seen today it need not read it again.
_rolled_until: dict[tuple[str, str], date] = {}


@dataclass(frozen=True)
class WaitEstimate:
    ahead: int
    minutes: tuple[int, int] | None


def _insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


class Lobby:
    """The queue of one branch at one instant, for one unit of work."""

    def __init__(self, session: Session, branch: BranchInfo | None = None,
                 now: datetime | None = None) -> None:
        self.session = session
        self.branch = branch or load_branch(session)
        self.now = now or clock.now()
        self.today = self.branch.business_date(self.now)
        self._services: dict[str, Service] | None = None

    # ----- lookups -------------------------------------------------------------------

    def services(self) -> list[Service]:
        """The branch's services in display order (read once per unit of work)."""
        if self._services is None:
            self._services = {s.code: s for s in self.session.scalars(
                select(Service).where(Service.branch_id == self.branch.id)
                .order_by(Service.sort))}
        return list(self._services.values())

    def service(self, code: str) -> Service:
        row = next((s for s in self.services() if s.code == code), None)
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

    # ----- the business day ----------------------------------------------------------

    def roll_day(self) -> int:
        """Close every earlier business day that was left open; returns tickets expired.

        Runs at the start of every write action, so the first action of a new day
        expires yesterday's leftovers even if nobody ran ``kiosk day close``."""
        key = (self.session.get_bind().engine.url.render_as_string(), self.branch.id)
        if _rolled_until.get(key, date.min) >= self.today:
            return 0  # this process has already seen today's day state
        state = self.session.get(DayState, self.branch.id)
        if state is not None and state.business_date >= self.today:
            _rolled_until[key] = state.business_date
            return 0
        if state is None:
            self.session.execute(_insert(self.session)(DayState).values(
                branch_id=self.branch.id, business_date=self.today).on_conflict_do_nothing())
        else:
            state.business_date = self.today
        return self._expire(Ticket.business_date < self.today, "new business day")

    def close_day(self) -> int:
        """End of day: today's waiting and called tickets expire, counters close."""
        self.roll_day()
        expired = self._expire(Ticket.business_date <= self.today, "day closed")
        for counter in self.counters():
            if counter.status != "closed":
                self._counter_event(counter, "close", reason="day closed")
            counter.status, counter.staff = "closed", None
            current = self._current(counter)
            if current is None or current.status not in ("serving",):
                counter.current_ticket_id = None
        return expired

    def _expire(self, which: Any, reason: str) -> int:
        stale = list(self.session.scalars(select(Ticket).where(
            Ticket.branch_id == self.branch.id, which,
            Ticket.status.in_(("waiting", "called")))))
        for ticket in stale:
            self._transition(ticket, "expire", "expired", reason=reason)
        if stale:
            ids = [t.id for t in stale]
            for counter in self.counters():
                if counter.current_ticket_id in ids:
                    counter.current_ticket_id = None
        return len(stale)

    # ----- taking a ticket -----------------------------------------------------------

    def take(self, service_code: str, priority: str = "normal") -> Ticket:
        """Issue the next number of ``service_code`` for today, or refuse with a reason."""
        if priority not in PRIORITIES:
            raise UsageError(f"优先级只能是 {', '.join(PRIORITIES)}",
                             f"priority must be one of {', '.join(PRIORITIES)}")
        service = self.service(service_code)
        self.roll_day()
        self._check_open(service)
        if service.code == "vip" and priority == "normal":
            priority = "vip"
        seq = self._next_seq(service)
        ticket = Ticket(
            branch_id=self.branch.id, business_date=self.today, seq=seq,
            number=f"{service.prefix}{seq:03d}", issue_service=service.code,
            service_code=service.code, priority=priority, status="waiting",
            issued_at=self.now, recalls=0)
        self.session.add(ticket)
        self.session.flush()
        self._event(ticket, "issue", None, "waiting", reason=priority)
        return ticket

    def _check_open(self, service: Service) -> None:
        names = f"{service.name_zh}", f"{service.name_en}"
        if not service.enabled:
            raise RuleRefused(f"{names[0]}业务暂停办理", f"{names[1]} is not available",
                              code="disabled")
        hours = self.branch.hours_on(self.today)
        if hours is None:
            raise RuleRefused("今日休息，暂停取号", "The branch is closed today", code="closed")
        now_local = self.branch.local(self.now).time()
        opens, closes = hours
        if service.opens and service.closes:
            opens, closes = max(opens, service.opens), min(closes, service.closes)
        if not opens <= now_local < closes:
            span = f"{opens.strftime('%H:%M')}–{closes.strftime('%H:%M')}"
            raise RuleRefused(f"{names[0]}取号时间为 {span}",
                              f"{names[1]} tickets are issued {span}", code="outside_hours")

    def _next_seq(self, service: Service) -> int:
        """Increment the day's counter of ``service`` in one atomic upsert.

        The row lock it takes (PostgreSQL) or the write lock already held (SQLite)
        keeps concurrent takes apart; a refusal puts the counter back, so a caller
        that goes on in the same unit of work leaves no trace of it."""
        key = {"branch_id": self.branch.id, "business_date": self.today,
               "service_code": service.code}
        seq = self.session.execute(
            _insert(self.session)(TicketSequence).values(**key, last_seq=1)
            .on_conflict_do_update(index_elements=list(key),
                                   set_={"last_seq": TicketSequence.last_seq + 1})
            .returning(TicketSequence.last_seq)).scalar_one()
        if seq > service.daily_cap:
            self.session.execute(update(TicketSequence).filter_by(**key)
                                 .values(last_seq=service.daily_cap))
            raise RuleRefused(f"{service.name_zh}今日号码已发完（{service.daily_cap} 个）",
                              f"{service.name_en} has reached today's limit of "
                              f"{service.daily_cap} tickets", code="daily_cap")
        return int(seq)

    # ----- estimates -----------------------------------------------------------------

    def handling_minutes(self, service: Service) -> float:
        """Rolling average handling time of today's finished tickets of ``service``."""
        rows = self.session.execute(
            select(Ticket.started_at, Ticket.finished_at).where(
                Ticket.branch_id == self.branch.id, Ticket.business_date == self.today,
                Ticket.status == "done", Ticket.service_code == service.code,
                Ticket.started_at.is_not(None))
            .order_by(Ticket.finished_at.desc()).limit(ROLLING_WINDOW)).all()
        if len(rows) < ROLLING_MINIMUM:
            return float(service.target_handle_min)
        total = sum(((f - s).total_seconds() for s, f in rows if s and f), 0.0)
        return total / len(rows) / 60.0

    def serving_counters(self, service: Service) -> tuple[int, int]:
        """(open counters serving ``service``, all counters serving it)."""
        rows = self.session.execute(
            select(Counter.status).join(CounterService, CounterService.counter_id == Counter.id)
            .where(CounterService.service_id == service.id)).scalars().all()
        return sum(1 for s in rows if s == "open"), len(rows)

    def estimate(self, service: Service, ahead: int) -> tuple[int, int] | None:
        """Wait range in minutes for a customer with ``ahead`` people before them.

        position ÷ open counters × rolling handling time, widened by ±20 % and
        rounded out to 5-minute steps. With no counter open yet, the counters that
        serve the service are assumed to open; with none at all there is no estimate."""
        open_count, all_count = self.serving_counters(service)
        counters = open_count or all_count
        if counters == 0:
            return None
        point = ahead / counters * self.handling_minutes(service)
        low = 5 * math.floor(point * 0.8 / 5)
        high = max(5 * math.ceil(point * 1.2 / 5), low + 5)
        return low, high

    def ahead_of(self, ticket: Ticket) -> int:
        """Waiting tickets of the same service that will be called before ``ticket``."""
        if ticket.status != "waiting":
            return 0
        rank = PRIORITY_RANK[ticket.priority]
        higher = [p for p, r in PRIORITY_RANK.items() if r > rank]
        same = [p for p, r in PRIORITY_RANK.items() if r == rank]
        base = select(func.count()).select_from(Ticket).where(
            Ticket.branch_id == self.branch.id, Ticket.business_date == ticket.business_date,
            Ticket.status == "waiting", Ticket.service_code == ticket.service_code,
            Ticket.id != ticket.id)
        earlier = (Ticket.issued_at < ticket.issued_at) | (
            (Ticket.issued_at == ticket.issued_at) & (Ticket.id < ticket.id))
        count = self.session.scalar(base.where(
            Ticket.priority.in_(higher) | (Ticket.priority.in_(same) & earlier)))
        return int(count or 0)

    def wait_estimate(self, ticket: Ticket) -> WaitEstimate:
        if ticket.status != "waiting":
            return WaitEstimate(0, None)
        ahead = self.ahead_of(ticket)
        return WaitEstimate(ahead, self.estimate(self.service(ticket.service_code), ahead))

    # ----- counters ------------------------------------------------------------------

    def open_counter(self, number: int, staff: str | None = None) -> Counter:
        self.roll_day()
        counter = self.counter(number, lock=True)
        kind = "resume" if counter.status == "paused" else "open"
        counter.status = "open"
        if staff:
            counter.staff = staff
        self._counter_event(counter, kind)
        return counter

    def close_counter(self, number: int) -> Counter:
        counter = self.counter(number, lock=True)
        current = self._current(counter)
        if current is not None and current.status in ("called", "serving"):
            raise RuleRefused(f"{number} 号窗口还有 {current.number} 未办结",
                              f"counter {number} still has {current.number}; finish or "
                              f"transfer it first", code="busy")
        counter.status, counter.staff, counter.current_ticket_id = "closed", None, None
        self._counter_event(counter, "close")
        return counter

    def pause_counter(self, number: int, supervisor: str | None = None,
                      reason: str = "") -> Counter:
        """Pause (暂停办公); refused while this is the only open counter for one of its
        services, unless a supervisor overrides (the override is recorded)."""
        # Lock every counter of the branch, always in the same order, before asking who
        # else is open: on PostgreSQL two counters pausing at once would otherwise each
        # see the other open and both pause (SQLite's write lock already keeps them apart).
        self.session.scalars(select(Counter.id).where(Counter.branch_id == self.branch.id)
                             .order_by(Counter.id).with_for_update()).all()
        counter = self.counter(number)
        if counter.status != "open":
            raise RuleRefused(f"{number} 号窗口未在营业", f"counter {number} is not open",
                              code="not_open")
        alone = [s for s in self.counter_services(counter) if self._open_others(s, counter) == 0]
        if alone and not supervisor:
            names_zh = "、".join(s.name_zh for s in alone)
            names_en = ", ".join(s.name_en for s in alone)
            raise RuleRefused(
                f"{number} 号窗口是{names_zh}唯一在营业的窗口，暂停需主管授权",
                f"counter {number} is the only open counter for {names_en}; pausing needs "
                f"a supervisor", code="only_open_counter")
        counter.status = "paused"
        self._counter_event(counter, "pause", supervisor=supervisor if alone else None,
                            reason=reason or ("supervisor override" if alone else ""))
        return counter

    def resume_counter(self, number: int) -> Counter:
        counter = self.counter(number, lock=True)
        if counter.status != "paused":
            raise RuleRefused(f"{number} 号窗口未暂停", f"counter {number} is not paused",
                              code="not_paused")
        counter.status = "open"
        self._counter_event(counter, "resume")
        return counter

    def set_services(self, number: int, codes: list[str]) -> Counter:
        from kiosk.branch.settings import set_counter_services

        counter = self.counter(number, lock=True)
        services = [self.service(code) for code in codes]
        if not services:
            raise UsageError("至少指定一项服务", "name at least one service")
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            # The link table holds each service once per counter; say so, not a crash.
            raise UsageError(f"服务重复：{', '.join(twice)}",
                             f"service named twice: {', '.join(twice)}", code="duplicate_service")
        set_counter_services(self.session, counter, services)
        return counter

    def _open_others(self, service: Service, counter: Counter) -> int:
        return int(self.session.scalar(
            select(func.count()).select_from(Counter)
            .join(CounterService, CounterService.counter_id == Counter.id)
            .where(CounterService.service_id == service.id, Counter.status == "open",
                   Counter.id != counter.id)) or 0)

    def _current(self, counter: Counter) -> Ticket | None:
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
        current = self._current(counter)
        if current is None or current.status not in states:
            raise RuleRefused(f"{counter.number} 号窗口当前没有可操作的号",
                              f"counter {counter.number} has no ticket in state "
                              f"{'/'.join(states)}", code="no_current")
        return current

    # ----- calling and serving -------------------------------------------------------

    def call_next(self, number: int, staff: str | None = None) -> Ticket | None:
        """Call the next ticket for counter ``number``; None when nobody waits.

        Order: a normal ticket waiting over twice its target overtakes everything
        (oldest first); then priority class (vip, care, normal); then the longest
        wait; the counter's own service order only breaks a tie. A ticket still at the counter is
        finished first, as pressing 下一位 means the customer was served."""
        counter = self._working_counter(number)
        staff = staff or counter.staff
        current = self._current(counter)
        if current is not None and current.status in ("called", "serving"):
            self._finish(counter, current, staff, reason="next customer called")
        services = self.counter_services(counter)
        while candidates := self._candidates(services):
            for ticket in candidates:
                if self._claim(ticket, counter, staff, "call"):
                    return ticket
            # Other counters took every candidate: look again at who still waits.
        counter.current_ticket_id = None
        return None

    def _candidates(self, services: list[Service]) -> list[Ticket]:
        """The tickets that can come first, best first.

        The best ticket is always among the first few of one service, either by
        (priority class, issue time) or as that service's oldest normal ticket (the
        one that may be starving), so only those are read: the cost of a call does not
        grow with the length of the queue."""
        position = {s.code: i for i, s in enumerate(services)}
        target = {s.code: timedelta(minutes=s.target_wait_min * STARVATION_FACTOR)
                  for s in services}
        rank = case(PRIORITY_RANK, value=Ticket.priority, else_=0)
        found: dict[int, Ticket] = {}
        for code in position:
            waiting = select(Ticket).where(
                Ticket.branch_id == self.branch.id, Ticket.business_date == self.today,
                Ticket.status == "waiting", Ticket.service_code == code)
            for query in (
                    waiting.order_by(rank.desc(), Ticket.issued_at, Ticket.id),
                    waiting.where(Ticket.priority == "normal")
                    .order_by(Ticket.issued_at, Ticket.id)):
                found.update((t.id, t) for t in self.session.scalars(
                    query.limit(CANDIDATES_PER_SERVICE)))

        def order(t: Ticket) -> tuple[int, int, datetime, int, int]:
            starving = t.priority == "normal" and self.now - t.issued_at > target[t.service_code]
            return (0 if starving else 1, -PRIORITY_RANK[t.priority] if not starving else 0,
                    t.issued_at, position[t.service_code], t.id)

        return sorted(found.values(), key=order)

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
        current = self._current(counter)
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
        counter = self.counter(number, lock=True)
        self.roll_day()
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

    def _transition(self, ticket: Ticket, kind: str, to_state: str, reason: str = "") -> None:
        previous = ticket.status
        ticket.status = to_state
        if to_state in ("expired", "cancelled", "no_show", "done"):
            ticket.finished_at = ticket.finished_at or self.now
        self._event(ticket, kind, previous, to_state, reason=reason)

    def _event(self, ticket: Ticket, kind: str, from_state: str | None, to_state: str, *,
               counter: int | None = None, staff: str | None = None, reason: str = "") -> None:
        self.session.add(TicketEvent(
            branch_id=self.branch.id, ticket_id=ticket.id, at=self.now, kind=kind,
            from_state=from_state, to_state=to_state, counter_number=counter, staff=staff,
            reason=reason))

    def _counter_event(self, counter: Counter, kind: str, supervisor: str | None = None,
                       reason: str = "") -> None:
        self.session.add(CounterEvent(
            branch_id=self.branch.id, counter_number=counter.number, at=self.now, kind=kind,
            staff=counter.staff, supervisor=supervisor, reason=reason))

    # ----- views ---------------------------------------------------------------------

    def ticket_view(self, ticket: Ticket) -> dict[str, Any]:
        """The ticket as the CLI and the screens show it (no personal data exists on it)."""
        service = self.service(ticket.service_code)
        estimate = self.wait_estimate(ticket)
        return {
            "number": ticket.number,
            "service": ticket.service_code,
            "service_name_zh": service.name_zh,
            "service_name_en": service.name_en,
            "status": ticket.status,
            "priority": ticket.priority,
            "issued_at": self.branch.iso(ticket.issued_at),
            "business_date": ticket.business_date.isoformat(),
            "ahead": estimate.ahead,
            "wait_min": list(estimate.minutes) if estimate.minutes else None,
            "counter": ticket.counter_number,
            "recalls": ticket.recalls,
            "called_at": self.branch.iso(ticket.called_at) if ticket.called_at else None,
            "transferred_from": ticket.transferred_from,
        }

    def snapshot(self) -> dict[str, Any]:
        """Waiting count and estimate per service; status and ticket per counter."""
        waiting = dict(self.session.execute(
            select(Ticket.service_code, func.count()).where(
                Ticket.branch_id == self.branch.id, Ticket.business_date == self.today,
                Ticket.status == "waiting").group_by(Ticket.service_code)).all())
        services = []
        for s in self.services():
            count = int(waiting.get(s.code, 0))
            estimate = self.estimate(s, count)
            open_count, _ = self.serving_counters(s)
            services.append({
                "code": s.code, "prefix": s.prefix, "name_zh": s.name_zh,
                "name_en": s.name_en, "enabled": s.enabled, "waiting": count,
                "open_counters": open_count,
                "wait_min": list(estimate) if estimate else None})
        counters = []
        for c in self.counters():
            current = self._current(c)
            counters.append({
                "number": c.number, "status": c.status, "staff": c.staff,
                "services": [s.code for s in self.counter_services(c)],
                "ticket": None if current is None else {
                    "number": current.number, "status": current.status,
                    "service": current.service_code}})
        return {"branch": self.branch.id, "business_date": self.today.isoformat(),
                "at": self.branch.iso(self.now), "services": services, "counters": counters}


__all__ = ["Lobby", "WaitEstimate"]
