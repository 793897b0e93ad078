"""The daily rollup of the service KPIs (``kiosk.reports``): one row per business day
and (service, counter, staff member) of the additive counts and sums, the waits as a
histogram in whole minutes (for percentiles), and the tickets issued per hour.

A day is rolled up once it is over and none of its tickets is still open; until then
the same figures are computed from the ticket and rating tables when asked. See
docs/reports.md."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kiosk.models.base import Base, BranchScoped, UTCDateTime


class _Grain:
    """The grain every rollup table shares: day, the service the customer asked for,
    the counter and the staff member who last had the ticket (None: never called)."""

    business_date: Mapped[date] = mapped_column(Date)
    service_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    counter_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    staff: Mapped[str | None] = mapped_column(String(40), nullable=True)


class KpiDay(_Grain, BranchScoped, Base):
    """Counts and sums of one grain; every KPI of a period is a ratio of their sums."""

    __tablename__ = "kpi_day"
    __table_args__ = (Index("ix_kpi_day_day", "branch_id", "business_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    issued: Mapped[int] = mapped_column(Integer, default=0)
    called: Mapped[int] = mapped_column(Integer, default=0)
    served: Mapped[int] = mapped_column(Integer, default=0)
    no_show: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    expired: Mapped[int] = mapped_column(Integer, default=0)
    within_target: Mapped[int] = mapped_column(Integer, default=0)
    wait_sum_s: Mapped[int] = mapped_column(BigInteger, default=0)
    handle_sum_s: Mapped[int] = mapped_column(BigInteger, default=0)
    rated: Mapped[int] = mapped_column(Integer, default=0)
    satisfied: Mapped[int] = mapped_column(Integer, default=0)
    not_rated: Mapped[int] = mapped_column(Integer, default=0)
    answered: Mapped[int] = mapped_column(Integer, default=0)
    unsolicited: Mapped[int] = mapped_column(Integer, default=0)


class KpiWait(_Grain, BranchScoped, Base):
    """How many tickets of a grain were first called within ``wait_min`` whole minutes
    (wait rounded up: 0 is "at once", 1 is up to 60 s)."""

    __tablename__ = "kpi_wait"
    __table_args__ = (Index("ix_kpi_wait_day", "branch_id", "business_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    wait_min: Mapped[int] = mapped_column(Integer)
    tickets: Mapped[int] = mapped_column(Integer)


class KpiHour(_Grain, BranchScoped, Base):
    """Tickets of a grain issued in one local hour of the day (0-23)."""

    __tablename__ = "kpi_hour"
    __table_args__ = (Index("ix_kpi_hour_day", "branch_id", "business_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"))
    hour: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer)


class KpiRollup(BranchScoped, Base):
    """A business day whose rows above are written (a day with no tickets has this row
    alone). The primary key makes a second writer of the same day a no-op."""

    __tablename__ = "kpi_rollup"

    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    rolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
