"""claim document checks

Revision ID: 0004_claims
Revises: 0001
Create Date: 2026-11-22 03:18:05.049766
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

revision: str = '0004_claims'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('claim_catalogue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_claim_catalogue_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_catalogue')),
    sa.UniqueConstraint('branch_id', 'version', name=op.f('uq_claim_catalogue_branch_id_version'))
    )
    with op.batch_alter_table('claim_catalogue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_catalogue_branch_id'), ['branch_id'], unique=False)

    op.create_table('claim_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('claim_type', sa.String(length=32), nullable=False),
    sa.Column('catalogue_version', sa.String(length=40), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('documents', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('required', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('missing', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('originals_needed', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('complete', sa.Boolean(), nullable=False),
    sa.Column('decision_by', sa.Date(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('ticket_number', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_claim_check_branch_id_branch')),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_claim_check_ticket_id_ticket'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_check')),
    sa.UniqueConstraint('branch_id', 'reference', name=op.f('uq_claim_check_branch_id_reference'))
    )
    with op.batch_alter_table('claim_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_check_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_check_ticket_id'), ['ticket_id'], unique=False)

    op.create_table('claim_handover',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('check_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('staff', sa.String(length=40), nullable=False),
    sa.Column('received', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_claim_handover_branch_id_branch')),
    sa.ForeignKeyConstraint(['check_id'], ['claim_check.id'], name=op.f('fk_claim_handover_check_id_claim_check'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_handover'))
    )
    with op.batch_alter_table('claim_handover', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_handover_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_claim_handover_check_id'), ['check_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('claim_handover', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_handover_check_id'))
        batch_op.drop_index(batch_op.f('ix_claim_handover_branch_id'))

    op.drop_table('claim_handover')
    with op.batch_alter_table('claim_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_check_ticket_id'))
        batch_op.drop_index(batch_op.f('ix_claim_check_branch_id'))

    op.drop_table('claim_check')
    with op.batch_alter_table('claim_catalogue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_catalogue_branch_id'))

    op.drop_table('claim_catalogue')
