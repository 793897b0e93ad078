"""The receipt printer of the branch and the print spool."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, JSONType, UTCDateTime

JOB_STATES = ("queued", "sending", "done", "failed", "cancelled")
"""queued: waiting for the printer (new, or interrupted and to be sent again);
sending: claimed by a spool run (a crash leaves it here until its lease ends);
done: every byte written; failed: kept for staff after too many attempts;
cancelled: by staff."""


class Printer(BranchScoped, Base):
    """A receipt printer of the branch (``kiosk devices set printer``)."""

    __tablename__ = "printer"
    __table_args__ = (UniqueConstraint("branch_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    name: Mapped[str] = mapped_column(String(40), default="receipt")
    port: Mapped[str] = mapped_column(String(300))
    profile: Mapped[str] = mapped_column(String(40))
    mode: Mapped[str] = mapped_column(String(10))
    baud: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PrintJob(BranchScoped, Base):
    """One document to print, written before a byte is sent."""

    __tablename__ = "print_job"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
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
