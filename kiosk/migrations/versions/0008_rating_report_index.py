"""rating: one index that covers the report (day, counter, staff, value, solicited)

The ratings report counts a period's ratings grouped by day, counter, staff, value and
solicited; with these columns in the index, in that order, the database reads only
the index and gets the rows already grouped. It replaces ix_rating_day, its prefix.

Revision ID: 0008_rating_report_index
Revises: 0003_keypads
Create Date: 2026-11-26 23:00:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0008_rating_report_index"
down_revision: str | None = "0003_keypads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["branch_id", "business_date", "counter_number", "staff", "value", "solicited"]


def upgrade() -> None:
    op.create_index("ix_rating_report", "rating", COLUMNS, unique=False)
    op.drop_index("ix_rating_day", table_name="rating")


def downgrade() -> None:
    op.create_index("ix_rating_day", "rating", ["branch_id", "business_date"], unique=False)
    op.drop_index("ix_rating_report", table_name="rating")
