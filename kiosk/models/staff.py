"""Staff accounts (who may log in, in which role, with which PIN) and the guard that
lets a daily task run once per branch and business day whichever station gets there
first."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, JSONType, UTCDateTime

ROLES = ("counter", "supervisor", "technician")


class StaffMember(BranchScoped, Base):
    """A member of staff who logs in with a PIN.

    The PIN is kept only as a slow salted hash (``kiosk.staff.pins``); ``failed_pins``
    counts wrong PINs since the last good one and ``locked_until`` ends a lockout."""

    __tablename__ = "staff_member"
    __table_args__ = (UniqueConstraint("branch_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    pin_set_at: Mapped[datetime] = mapped_column(UTCDateTime)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The photo on the lobby's staff board (PNG or JPEG bytes), shared by every PC.
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    photo_type: Mapped[str | None] = mapped_column(String(20), nullable=True)


class DailyRun(BranchScoped, Base):
    """One row per daily task and business day: the station that inserts it runs the
    task; the unique key makes every other station skip it that day."""

    __tablename__ = "daily_run"
    __table_args__ = (UniqueConstraint("branch_id", "task", "business_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    task: Mapped[str] = mapped_column(String(32))
    business_date: Mapped[date] = mapped_column(Date)
    station: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
