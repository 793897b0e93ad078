"""The call feed: every ticket and counter event of a branch as one ordered list.

What the lobby display, the counter terminals, the admin board, the keypad service and
``kiosk watch`` follow. Each ``ticket_event`` and ``counter_event`` row has a place in
its branch's feed, ``feed_pos``, given by a database trigger (migration ``0007_feed``)
from the branch's ``feed_cursor`` row:

- on PostgreSQL the trigger is deferred to COMMIT and the cursor row stays locked
  until the commit ends, so a transaction holding position *p* commits before any
  transaction can take *p + 1*;
- on SQLite there is one writer at a time, holding the write lock until it commits.

Either way **positions become visible in order**: whatever a reader sees is every
position up to the committed cursor, with no hole a late commit could fill later
(row ids do not have this property on PostgreSQL: a sequence hands out ids at insert,
and a transaction with a lower id may commit after one with a higher id). So a reader
that asks for "everything after the position I last saw, up to the cursor" never skips
an event and never gets one twice: :func:`events_since`. The index on
``(branch_id, feed_pos)`` of both tables keeps that read a range scan however long the
history (docs/ARCHITECTURE.md "The call feed"). Waking up when something new commits
is :mod:`kiosk.queue.listen`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from kiosk import clock
from kiosk.branch.info import load_branch
from kiosk.db import dialect_insert
from kiosk.errors import UsageError
from kiosk.models import CounterEvent, FeedCursor, Ticket, TicketEvent

# PostgreSQL channel the feed trigger notifies at commit; the payload is the branch id.
NOTIFY_CHANNEL = "kiosk_feed"

TICKET_KINDS = ("issue", "call", "call_specific", "recall", "start", "finish", "no_show",
                "cancel", "transfer", "expire", "priority")
# Counter events appear in the feed as counter_<kind>.
COUNTER_KINDS = ("counter_open", "counter_pause", "counter_resume", "counter_close")
ALL_KINDS = TICKET_KINDS + COUNTER_KINDS
# What a lobby display or a voice box announces: issue 8's "call feed".
CALL_KINDS = ("call", "call_specific", "recall", "transfer", "no_show", "finish", "cancel",
              "expire") + COUNTER_KINDS

DEFAULT_LIMIT = 500


@dataclass(frozen=True)
class FeedEvent:
    """One event of the feed. ``id`` is its feed position (resume after it); ``ticket``
    and ``service`` are None for a counter event, ``counter`` for an issue, cancel or
    expire. ``service`` and ``recalls`` are the ticket's at the event (a transfer
    carries the service it went to)."""

    id: int
    kind: str
    at: datetime
    ticket: str | None
    service: str | None
    counter: int | None
    recalls: int | None
    staff: str | None
    reason: str
    row_id: int  # ticket_event.id or counter_event.id

    def as_json(self, timezone: str | None = None) -> dict[str, Any]:
        """The object ``kiosk watch --json`` prints; ``at`` in ISO 8601 to the
        millisecond, with the offset of ``timezone`` (the branch's), else UTC."""
        at = clock.local(self.at, timezone) if timezone else self.at
        return {"id": self.id, "type": self.kind, "ticket": self.ticket,
                "service": self.service, "counter": self.counter, "recalls": self.recalls,
                "staff": self.staff, "at": at.isoformat(timespec="milliseconds"),
                "reason": self.reason}


def check_kinds(kinds: Collection[str] | None) -> frozenset[str] | None:
    """``kinds`` as a set, refusing one the feed does not carry."""
    if kinds is None:
        return None
    unknown = sorted(set(kinds) - set(ALL_KINDS))
    if unknown:
        raise UsageError(f"未知的事件类型：{', '.join(unknown)}",
                         f"unknown event type {', '.join(unknown)}; valid: "
                         f"{', '.join(ALL_KINDS)}", code="unknown_kind")
    return frozenset(kinds)


def _branch(session: Session, branch_id: str | None) -> str:
    return branch_id or load_branch(session).id


def latest_id(session: Session, branch_id: str | None = None) -> int:
    """The newest committed position: everything up to it is readable now."""
    return int(session.scalar(_CURSOR, {"bid": _branch(session, branch_id)}) or 0)


def events_since(session: Session, after_id: int, *, branch_id: str | None = None,
                 kinds: Collection[str] | None = None,
                 limit: int = DEFAULT_LIMIT) -> tuple[list[FeedEvent], int]:
    """The events after position ``after_id``, oldest first, and the position to ask
    from next time.

    At most ``limit`` events; when more wait, the returned position is the last event's
    and the next call carries on. With ``kinds`` only those are returned, but the
    position still moves past the others. Safe under any isolation level: the cursor
    is read first, and every position up to it has committed."""
    if limit < 1:
        raise UsageError("limit 至少为 1", "limit must be at least 1")
    wanted = check_kinds(kinds)
    bid = _branch(session, branch_id)
    upper = latest_id(session, bid)
    if upper <= after_id:
        return [], max(upper, after_id)
    found: list[FeedEvent] = []
    full_at: list[int] = []  # the last position of each table that filled its limit
    if wanted is None or wanted & set(TICKET_KINDS):
        rows = _ticket_rows(session, bid, after_id, upper, wanted, limit)
        found += [_ticket_event(row) for row in rows]
        if len(rows) == limit:
            full_at.append(int(rows[-1].feed_pos))
    if wanted is None or wanted & set(COUNTER_KINDS):
        rows = _counter_rows(session, bid, after_id, upper, wanted, limit)
        found += [_counter_event(row) for row in rows]
        if len(rows) == limit:
            full_at.append(int(rows[-1].feed_pos))
    # A table that filled its limit may hold more rows below the other's last one:
    # deliver only up to the lower of those, in order, and carry on from there.
    through = min(full_at) if full_at else upper
    found = sorted((e for e in found if e.id <= through), key=lambda e: e.id)
    if len(found) > limit:
        found = found[:limit]
        through = found[-1].id
    return found, through


# The reads are built once with bound parameters (a feed follower reads on every
# wake-up; building the statements each time cost more than running them).
_TICKET_ROWS = (
    select(TicketEvent.feed_pos, TicketEvent.kind, TicketEvent.at, Ticket.number,
           func.coalesce(TicketEvent.service_code, Ticket.service_code).label("service"),
           TicketEvent.counter_number,
           func.coalesce(TicketEvent.recalls, Ticket.recalls).label("recalls"),
           TicketEvent.staff, TicketEvent.reason, TicketEvent.id)
    .join(Ticket, Ticket.id == TicketEvent.ticket_id)
    .where(TicketEvent.branch_id == bindparam("bid"),
           TicketEvent.feed_pos > bindparam("after"),
           TicketEvent.feed_pos <= bindparam("upper"))
    .order_by(TicketEvent.feed_pos).limit(bindparam("limit")))
_TICKET_ROWS_OF_KINDS = _TICKET_ROWS.where(
    TicketEvent.kind.in_(bindparam("kinds", expanding=True)))
_COUNTER_ROWS = (
    select(CounterEvent.feed_pos, CounterEvent.kind, CounterEvent.at,
           CounterEvent.counter_number, CounterEvent.staff, CounterEvent.reason,
           CounterEvent.id)
    .where(CounterEvent.branch_id == bindparam("bid"),
           CounterEvent.feed_pos > bindparam("after"),
           CounterEvent.feed_pos <= bindparam("upper"))
    .order_by(CounterEvent.feed_pos).limit(bindparam("limit")))
_COUNTER_ROWS_OF_KINDS = _COUNTER_ROWS.where(
    CounterEvent.kind.in_(bindparam("kinds", expanding=True)))
_CURSOR = select(FeedCursor.last_pos).where(FeedCursor.branch_id == bindparam("bid"))


def _ticket_rows(session: Session, bid: str, after: int, upper: int,
                 wanted: frozenset[str] | None, limit: int) -> Sequence[Any]:
    params = {"bid": bid, "after": after, "upper": upper, "limit": limit}
    if wanted is None:
        return session.execute(_TICKET_ROWS, params).all()
    return session.execute(_TICKET_ROWS_OF_KINDS, {
        **params, "kinds": sorted(wanted & set(TICKET_KINDS))}).all()


def _counter_rows(session: Session, bid: str, after: int, upper: int,
                  wanted: frozenset[str] | None, limit: int) -> Sequence[Any]:
    params = {"bid": bid, "after": after, "upper": upper, "limit": limit}
    if wanted is None:
        return session.execute(_COUNTER_ROWS, params).all()
    kinds = sorted(k.removeprefix("counter_") for k in wanted & set(COUNTER_KINDS))
    return session.execute(_COUNTER_ROWS_OF_KINDS, {**params, "kinds": kinds}).all()


def _ticket_event(row: Any) -> FeedEvent:
    return FeedEvent(id=int(row.feed_pos), kind=row.kind, at=row.at, ticket=row.number,
                     service=row.service, counter=row.counter_number, recalls=row.recalls,
                     staff=row.staff, reason=row.reason, row_id=row.id)


def _counter_event(row: Any) -> FeedEvent:
    return FeedEvent(id=int(row.feed_pos), kind=f"counter_{row.kind}", at=row.at, ticket=None,
                     service=None, counter=row.counter_number, recalls=None, staff=row.staff,
                     reason=row.reason, row_id=row.id)


def reserve(session: Session, branch_id: str, count: int) -> int:
    """Take ``count`` positions at once; returns the first. For a bulk writer (demo
    history) that inserts its events with ``feed_pos`` set, which the trigger then
    leaves alone. The cursor row stays locked until this transaction ends, so these
    positions, too, become visible in order."""
    if count < 1:
        raise UsageError("count 至少为 1", "count must be at least 1")
    last = session.scalar(
        dialect_insert(session)(FeedCursor).values(branch_id=branch_id, last_pos=count)
        .on_conflict_do_update(index_elements=[FeedCursor.branch_id],
                               set_={"last_pos": FeedCursor.last_pos + count})
        .returning(FeedCursor.last_pos))
    assert last is not None
    return int(last) - count + 1


def position_before(session: Session, since: datetime, *,
                    branch_id: str | None = None) -> int:
    """The position to read from to get the events at or after ``since``: walks back
    from the newest position (the index, newest first) while events are that recent,
    so it costs only the events since then."""
    bid = _branch(session, branch_id)
    position = latest_id(session, bid)
    for table in (TicketEvent, CounterEvent):
        older = session.scalar(
            select(table.feed_pos).where(table.branch_id == bid, table.at < since,
                                         table.feed_pos.is_not(None))
            .order_by(table.feed_pos.desc()).limit(1))
        recent_first = session.scalar(
            select(func.min(table.feed_pos)).where(
                table.branch_id == bid,
                table.feed_pos > (older if older is not None else 0)))
        if recent_first is not None:
            position = min(position, int(recent_first) - 1)
    return position


__all__ = ["ALL_KINDS", "CALL_KINDS", "COUNTER_KINDS", "NOTIFY_CHANNEL", "TICKET_KINDS",
           "FeedEvent", "check_kinds", "events_since", "latest_id", "position_before",
           "reserve"]
