"""device events: the log of each station device's changes (offline, back online,
paper out, cover open...), beside its last state in device_health.

Revision ID: 0011_device_events
Revises: 0008_stations
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_device_events"
down_revision: str | tuple[str, ...] | None = "0008_stations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "device_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("station", sa.String(length=40), nullable=False),
        sa.Column("device", sa.String(length=60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("problem_zh", sa.String(length=200), nullable=False),
        sa.Column("problem_en", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_device_event_branch_id_branch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_event")),
    )
    with op.batch_alter_table("device_event", schema=None) as batch_op:
        batch_op.create_index("ix_device_event_branch_id_at", ["branch_id", "at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("device_event", schema=None) as batch_op:
        batch_op.drop_index("ix_device_event_branch_id_at")
    op.drop_table("device_event")
