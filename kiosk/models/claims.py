"""Claim document checks: catalogue versions, stored checks, hand-overs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, JSONType, UTCDateTime


class ClaimCatalogueVersion(BranchScoped, Base):
    """One imported version of the claim document catalogue (TOML text as imported).

    The newest row of a branch is the catalogue in use; older rows stay so that every
    stored check can be read against the version it used."""

    __tablename__ = "claim_catalogue"
    __table_args__ = (UniqueConstraint("branch_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    version: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ClaimCheck(BranchScoped, Base):
    """One completeness check: what the customer has, what is missing, the promise.

    Holds no personal data: the reference is random, answers are yes/no, documents
    are codes."""

    __tablename__ = "claim_check"
    __table_args__ = (UniqueConstraint("branch_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    reference: Mapped[str] = mapped_column(String(20))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime)
    business_date: Mapped[date] = mapped_column(Date)
    claim_type: Mapped[str] = mapped_column(String(32))
    catalogue_version: Mapped[str] = mapped_column(String(40))
    answers: Mapped[dict[str, bool]] = mapped_column(JSONType)
    documents: Mapped[list[str]] = mapped_column(JSONType)
    required: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    missing: Mapped[list[str]] = mapped_column(JSONType)
    originals_needed: Mapped[list[str]] = mapped_column(JSONType)
    complete: Mapped[bool] = mapped_column(Boolean)
    decision_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True, index=True)
    ticket_number: Mapped[str | None] = mapped_column(String(8), nullable=True)


class ClaimHandover(BranchScoped, Base):
    """Documents the counter received for a check, each as original or copy."""

    __tablename__ = "claim_handover"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    check_id: Mapped[int] = mapped_column(
        ForeignKey("claim_check.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    staff: Mapped[str] = mapped_column(String(40), default="")
    received: Mapped[dict[str, str]] = mapped_column(JSONType)
