"""printer flow control: a station's receipt printer may override its profile's flow
control (none, rtscts, xonxoff: what the cable carries). NULL: the profile's.

Revision ID: 0012_printer_flow
Revises: 0011_device_events
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_printer_flow"
down_revision: str | tuple[str, ...] | None = "0011_device_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("printer", schema=None) as batch_op:
        batch_op.add_column(sa.Column("flow", sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("printer", schema=None) as batch_op:
        batch_op.drop_column("flow")
