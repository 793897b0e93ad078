"""The branch and its settings: hours, calendar, key/value settings, audit log."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, JSONType, UTCDateTime


class Branch(Base):
    __tablename__ = "branch"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    hotline: Mapped[str] = mapped_column(String(40), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # Bumped by every settings import: long-running processes reload their cached
    # BranchInfo when it changes.
    settings_rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class OpeningHours(BranchScoped, Base):
    """Branch opening hours; weekday 0 = Monday. A weekday without a row is closed."""

    __tablename__ = "opening_hours"
    __table_args__ = (UniqueConstraint("branch_id", "weekday"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)


class CalendarDay(BranchScoped, Base):
    """An exception to the weekly pattern: a holiday, or a make-up working day."""

    __tablename__ = "calendar_day"
    __table_args__ = (UniqueConstraint("branch_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # "holiday" | "workday"
    note: Mapped[str] = mapped_column(String(100), default="")


class Setting(BranchScoped, Base):
    """A scalar branch setting (recall limit, rating scale, working-day promises...)."""

    __tablename__ = "setting"
    __table_args__ = (UniqueConstraint("branch_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSONType)


class AuditEntry(BranchScoped, Base):
    """A staff action that changed something, showed personal data or overrode a rule:
    who (``staff``: a staff number, ``cli:USER`` or ``system``), what, when, from which
    station. ``detail`` never holds unmasked personal data."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_when", "branch_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    station: Mapped[str] = mapped_column(String(40), default="", server_default="")
