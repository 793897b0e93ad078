"""The comment book: feedback and complaints, and the history of each.

A complaint is taken in by the customer kiosk or by staff (``source``); the register
(owner, state, history) works from these rows. States run
``received -> investigating -> replied -> closed``; every change of owner or state is
a :class:`ComplaintEvent`, the first one being ``received``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, UTCDateTime

COMPLAINT_STATES = ("received", "investigating", "replied", "closed")
COMPLAINT_SOURCES = ("kiosk", "staff")


class Complaint(BranchScoped, Base):
    """One piece of feedback or one complaint.

    Personal data: ``contact_phone`` (given only for a call back, with ``consent``) and
    any number the customer wrote into ``text``. Both are shown masked everywhere;
    once the retention period is over the phone is erased and the numbers in the text
    are masked for good (``personal_purged_at``). ``contact_masked`` is the only form
    any screen, printout or output shows, and it stays."""

    __tablename__ = "complaint"
    __table_args__ = (UniqueConstraint("branch_id", "reference"),
                      Index("ix_complaint_received", "branch_id", "received_at"),
                      Index("ix_complaint_state", "branch_id", "state"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    business_date: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(8))
    station: Mapped[str] = mapped_column(String(40), default="")
    entered_by: Mapped[str] = mapped_column(String(40), default="")
    category: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    contact_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_masked: Mapped[str | None] = mapped_column(String(24), nullable=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True, index=True)
    ticket_number: Mapped[str | None] = mapped_column(String(8), nullable=True)
    # Deadlines, fixed when the complaint is received (the calendar may change later).
    feedback_due: Mapped[date] = mapped_column(Date)
    reply_due: Mapped[date] = mapped_column(Date)
    decision_due: Mapped[date] = mapped_column(Date)
    # The register's columns: who owns it now (first-contact responsibility) and where
    # it stands.
    state: Mapped[str] = mapped_column(String(16), default="received")
    owner: Mapped[str | None] = mapped_column(String(40), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The register (kiosk.feedback.complaint_register, migration 0010): who took it
    # first (首问责任人: the one who confirms it is done), when each step happened,
    # and what makes its deadlines different (complex: a longer decision; a major
    # claim dispute: investigated within a working day).
    first_owner: Mapped[str | None] = mapped_column(String(40), nullable=True)
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    complex: Mapped[bool] = mapped_column(Boolean, default=False)
    major_dispute: Mapped[bool] = mapped_column(Boolean, default=False)
    investigate_due: Mapped[date | None] = mapped_column(Date, nullable=True)
    personal_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ComplaintEvent(BranchScoped, Base):
    """One step in a complaint's history: received, taken, handed over, updated,
    replied, closed. ``note`` holds masked personal data only."""

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(24))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    staff: Mapped[str] = mapped_column(String(40), default="")
    owner: Mapped[str | None] = mapped_column(String(40), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
