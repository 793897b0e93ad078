"""Services, counters, tickets and the event trail of every ticket."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, UTCDateTime

PRIORITIES = ("normal", "care", "vip")
PRIORITY_RANK = {"normal": 0, "care": 1, "vip": 2}
TICKET_STATES = ("waiting", "called", "serving", "done", "no_show", "cancelled", "expired")
OPEN_STATES = ("waiting", "called", "serving")
COUNTER_STATES = ("open", "paused", "closed")


class Service(BranchScoped, Base):
    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("branch_id", "code"),
                      UniqueConstraint("branch_id", "prefix"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    prefix: Mapped[str] = mapped_column(String(1))
    name_zh: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str] = mapped_column(String(60))
    target_wait_min: Mapped[int] = mapped_column(Integer)
    target_handle_min: Mapped[int] = mapped_column(Integer)
    daily_cap: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time | None] = mapped_column(Time, nullable=True)
    closes: Mapped[time | None] = mapped_column(Time, nullable=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(Integer, default=0)


class Counter(BranchScoped, Base):
    __tablename__ = "counter"
    __table_args__ = (UniqueConstraint("branch_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name_zh: Mapped[str] = mapped_column(String(40), default="")
    name_en: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[str] = mapped_column(String(8), default="closed")
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)
    current_ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", use_alter=True), nullable=True
    )


class CounterService(BranchScoped, Base):
    """The ordered list of services a counter serves (position 0 is its main business)."""

    __tablename__ = "counter_service"
    __table_args__ = (UniqueConstraint("counter_id", "service_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counter.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)


class TicketSequence(BranchScoped, Base):
    """The last number issued per service and business day: the row writers lock."""

    __tablename__ = "ticket_sequence"
    __table_args__ = (UniqueConstraint("branch_id", "business_date", "service_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    business_date: Mapped[date] = mapped_column(Date)
    service_code: Mapped[str] = mapped_column(String(32))
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(BranchScoped, Base):
    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("branch_id", "business_date", "issue_service", "seq"),
        Index("ix_ticket_queue", "branch_id", "business_date", "status", "service_code"),
        Index("ix_ticket_number", "branch_id", "business_date", "number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    business_date: Mapped[date] = mapped_column(Date)
    number: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    issue_service: Mapped[str] = mapped_column(String(32))
    service_code: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(8), default="normal")
    status: Mapped[str] = mapped_column(String(12), default="waiting")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from: Mapped[str | None] = mapped_column(String(32), nullable=True)


class TicketEvent(BranchScoped, Base):
    """One row per state transition: the ticket's full history.

    ``feed_pos`` is the row's place in the branch's call feed (:mod:`kiosk.queue.feed`):
    a database trigger gives it when the row's transaction commits (``feed_cursor``);
    ``service_code`` and ``recalls`` are the ticket's as they were at the event."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        ForeignKeyConstraint(["ticket_id"], ["ticket.id"], ondelete="CASCADE"),
        Index("ix_ticket_event_feed", "branch_id", "feed_pos", unique=True),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    ticket_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(12), nullable=True)
    to_state: Mapped[str] = mapped_column(String(12))
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    service_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    recalls: Mapped[int | None] = mapped_column(Integer, nullable=True)
    feed_pos: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class CounterEvent(BranchScoped, Base):
    """Counter status changes (open, pause, resume, close), with overrides recorded;
    ``feed_pos`` as for :class:`TicketEvent`."""

    __tablename__ = "counter_event"
    __table_args__ = (Index("ix_counter_event_feed", "branch_id", "feed_pos", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    counter_number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(16))
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)
    supervisor: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    feed_pos: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class FeedCursor(BranchScoped, Base):
    """The last call-feed position given out in a branch: the row whose lock, held from
    the position's allocation to the commit, makes positions commit in order."""

    __tablename__ = "feed_cursor"

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), primary_key=True)
    last_pos: Mapped[int] = mapped_column(BigInteger, default=0)


class DayState(BranchScoped, Base):
    """The business day the branch last acted in: the trigger for closing a stale day."""

    __tablename__ = "day_state"

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date)
