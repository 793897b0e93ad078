"""the daily rollup of the service KPIs

Revision ID: 0010_kpi_rollup
Revises: 0001
Create Date: 2026-11-27 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_kpi_rollup"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _grain() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("service_code", sa.String(length=32), nullable=True),
        sa.Column("counter_number", sa.Integer(), nullable=True),
        sa.Column("staff", sa.String(length=40), nullable=True),
    ]


def _keys(table: str) -> list[sa.Constraint]:
    return [sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                    name=op.f(f"fk_{table}_branch_id_branch")),
            sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}"))]


def upgrade() -> None:
    counts = ["issued", "called", "served", "no_show", "cancelled", "expired",
              "within_target"]
    ratings = ["rated", "satisfied", "not_rated", "answered", "unsolicited"]
    op.create_table(
        "kpi_day", *_grain(),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in counts],
        sa.Column("wait_sum_s", sa.BigInteger(), nullable=False),
        sa.Column("handle_sum_s", sa.BigInteger(), nullable=False),
        *[sa.Column(name, sa.Integer(), nullable=False) for name in ratings],
        *_keys("kpi_day"))
    op.create_index("ix_kpi_day_day", "kpi_day", ["branch_id", "business_date"])
    op.create_table(
        "kpi_wait", *_grain(),
        sa.Column("wait_min", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        *_keys("kpi_wait"))
    op.create_index("ix_kpi_wait_day", "kpi_wait", ["branch_id", "business_date"])
    op.create_table(
        "kpi_hour", *_grain(),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("issued", sa.Integer(), nullable=False),
        *_keys("kpi_hour"))
    op.create_index("ix_kpi_hour_day", "kpi_hour", ["branch_id", "business_date"])
    op.create_table(
        "kpi_rollup",
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("business_date", sa.Date(), nullable=False),
        sa.Column("rolled_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_kpi_rollup_branch_id_branch")),
        sa.PrimaryKeyConstraint("branch_id", "business_date", name=op.f("pk_kpi_rollup")))


def downgrade() -> None:
    op.drop_table("kpi_rollup")
    for table in ("kpi_hour", "kpi_wait", "kpi_day"):
        op.drop_index(f"ix_{table}_day", table_name=table)
        op.drop_table(table)
