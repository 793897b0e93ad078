"""counter.current_ticket_id references ticket on PostgreSQL too

0001 declared this foreign key inside CREATE TABLE counter with use_alter, which
Alembic leaves out on PostgreSQL (ticket did not exist yet); SQLite kept it inline.

Revision ID: 0006_counter_ticket_fk
Revises: 0005_settings_rev
Create Date: 2026-11-22 03:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0006_counter_ticket_fk"
down_revision: str | None = "0005_settings_rev"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key("fk_counter_current_ticket_id_ticket", "counter", "ticket",
                              ["current_ticket_id"], ["id"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("fk_counter_current_ticket_id_ticket", "counter",
                           type_="foreignkey")
