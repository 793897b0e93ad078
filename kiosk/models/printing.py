"""The devices of each station (receipt printer, A4 output), their health, and the
print spool."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, JSONType, UTCDateTime

JOB_STATES = ("queued", "sending", "done", "failed", "cancelled", "expired")
"""queued: waiting for the printer (new, or interrupted and to be sent again);
sending: claimed by a spool run (a crash leaves it here until its lease ends);
done: every byte written; failed: kept for staff after too many attempts;
cancelled: by staff; expired: a queue ticket not printed in time, never printed."""


class Printer(BranchScoped, Base):
    """A station's receipt printer (``kiosk --station S devices set printer``)."""

    __tablename__ = "printer"
    __table_args__ = (UniqueConstraint("branch_id", "station", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    station: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(40), default="receipt")
    port: Mapped[str] = mapped_column(String(300))
    profile: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10))
    baud: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flow: Mapped[str | None] = mapped_column(String(10), nullable=True)  # None: the profile's


class PrintJob(BranchScoped, Base):
    """One document to print on one station's printer, written before a byte is sent."""

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_station_state", "branch_id", "station", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    station: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    reference: Mapped[str] = mapped_column(String(80), index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONType)
    printer: Mapped[str] = mapped_column(String(40), default="receipt")
    state: Mapped[str] = mapped_column(String(16), index=True, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reprint_of: Mapped[int | None] = mapped_column(ForeignKey("print_job.id"), nullable=True)


class A4Output(BranchScoped, Base):
    """Where a station's A4 documents go: a CUPS queue or a folder for PDFs."""

    __tablename__ = "a4_output"
    __table_args__ = (UniqueConstraint("branch_id", "station"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    station: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))  # cups | folder
    target: Mapped[str] = mapped_column(String(300))


class DeviceHealthRow(BranchScoped, Base):
    """A station's device as last seen by the process driving it: state (ok,
    problem, unknown), what is wrong, since when, when last checked."""

    __tablename__ = "device_health"
    __table_args__ = (UniqueConstraint("branch_id", "station", "device"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    station: Mapped[str] = mapped_column(String(40))
    device: Mapped[str] = mapped_column(String(60))
    state: Mapped[str] = mapped_column(String(10))
    problem_zh: Mapped[str] = mapped_column(String(200), default="")
    problem_en: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeviceEventRow(BranchScoped, Base):
    """A change of a station's device as the process driving it saw it (the event log
    beside :class:`DeviceHealthRow`'s last state): offline, back online, paper out,
    cover open... one row per change, never one per check."""

    __tablename__ = "device_event"
    __table_args__ = (Index("ix_device_event_branch_id_at", "branch_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    station: Mapped[str] = mapped_column(String(40))
    device: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10))
    problem_zh: Mapped[str] = mapped_column(String(200), default="")
    problem_en: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
