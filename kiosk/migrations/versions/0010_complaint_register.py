"""complaint register: first owner (首问责任人), the time of each step, complex and
major-dispute flags with the investigation deadline, an index by state for the board

Revision ID: 0010_complaint_register
Revises: 0009_complaints
Create Date: 2026-11-27 00:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_complaint_register'
down_revision: str | None = '0009_complaints'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_owner', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('taken_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('feedback_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('complex', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('major_dispute', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('investigate_due', sa.Date(), nullable=True))
        batch_op.create_index('ix_complaint_state', ['branch_id', 'state'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index('ix_complaint_state')
        for column in ('investigate_due', 'major_dispute', 'complex', 'closed_at',
                       'replied_at', 'feedback_at', 'taken_at', 'first_owner'):
            batch_op.drop_column(column)
