"""Rating keypads, what they reported, rating requests and the ratings themselves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, UTCDateTime

RATING_VALUES = ("very_satisfied", "satisfied", "neutral", "dissatisfied", "very_dissatisfied")
NOT_RATED = "none"
REQUEST_STATES = ("pending", "sent", "rated", "not_rated", "superseded", "failed")


class KeypadPort(BranchScoped, Base):
    """A serial port (RS-485 bus or single keypad) of a station, driven by that
    station's keypad service."""

    __tablename__ = "keypad_port"
    __table_args__ = (UniqueConstraint("branch_id", "station", "url"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    station: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(String(200))
    baud: Mapped[int] = mapped_column(Integer, default=9600)
    rating_timeout_s: Mapped[int] = mapped_column(Integer, default=30)


class Keypad(BranchScoped, Base):
    """One keypad: its address on a port and the counter it sits at."""

    __tablename__ = "keypad"
    __table_args__ = (UniqueConstraint("port_id", "address"),
                      UniqueConstraint("branch_id", "counter_number"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    port_id: Mapped[int] = mapped_column(ForeignKey("keypad_port.id", ondelete="CASCADE"))
    address: Mapped[int] = mapped_column(Integer)
    counter_number: Mapped[int] = mapped_column(Integer)
    # Restarts seen so far: event ids start again at 1 after each, so duplicate
    # removal compares ids within one boot only.
    boot: Mapped[int] = mapped_column(Integer, default=0)
    online: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class KeypadEvent(BranchScoped, Base):
    """Everything a keypad reported or caused: key presses (with their event id, for
    duplicate removal) and device events (offline, restarted, voice fault, refused…)."""

    __tablename__ = "keypad_event"
    __table_args__ = (Index("ix_keypad_event_dedup", "keypad_id", "boot", "event_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    keypad_id: Mapped[int | None] = mapped_column(
        ForeignKey("keypad.id", ondelete="SET NULL"), nullable=True)
    port_url: Mapped[str] = mapped_column(String(200))
    address: Mapped[int] = mapped_column(Integer)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(20))
    boot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    event_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    session: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    key: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(String(300), default="")


class RatingRequest(BranchScoped, Base):
    """A counter's keypad asked to rate a finished ticket; ``id`` is the KP1 session."""

    __tablename__ = "rating_request"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    # The ``finish`` ticket event that caused it: one request per finish.
    finish_event_id: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)
    counter_number: Mapped[int] = mapped_column(Integer)
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)
    keypad_id: Mapped[int | None] = mapped_column(
        ForeignKey("keypad.id", ondelete="SET NULL"), nullable=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timeout_s: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Rating(BranchScoped, Base):
    """A customer's rating, or "not rated" (value ``none``). At most one per ticket;
    an unsolicited rating has no ticket but the counter and staff of that moment."""

    __tablename__ = "rating"
    # Covers the report: a period's ratings counted by day, counter, staff, value.
    __table_args__ = (Index("ix_rating_report", "branch_id", "business_date",
                            "counter_number", "staff", "value", "solicited"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), nullable=True, unique=True)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("rating_request.id", ondelete="SET NULL"), nullable=True)
    business_date: Mapped[date] = mapped_column(Date)
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)
    value: Mapped[str] = mapped_column(String(20))
    solicited: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(8), default="keypad")  # keypad | screen
