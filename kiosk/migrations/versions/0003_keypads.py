"""keypads and ratings

Revision ID: 0003_keypads
Revises: 0001
Create Date: 2026-11-22 03:23:08.211077
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op



revision: str = '0003_keypads'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('keypad_port',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('url', sa.String(length=200), nullable=False),
    sa.Column('baud', sa.Integer(), nullable=False),
    sa.Column('rating_timeout_s', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_keypad_port_branch_id_branch')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keypad_port')),
    sa.UniqueConstraint('branch_id', 'url', name=op.f('uq_keypad_port_branch_id_url'))
    )
    with op.batch_alter_table('keypad_port', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keypad_port_branch_id'), ['branch_id'], unique=False)

    op.create_table('keypad',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('port_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.Integer(), nullable=False),
    sa.Column('counter_number', sa.Integer(), nullable=False),
    sa.Column('boot', sa.Integer(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_keypad_branch_id_branch')),
    sa.ForeignKeyConstraint(['port_id'], ['keypad_port.id'], name=op.f('fk_keypad_port_id_keypad_port'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keypad')),
    sa.UniqueConstraint('branch_id', 'counter_number', name=op.f('uq_keypad_branch_id_counter_number')),
    sa.UniqueConstraint('port_id', 'address', name=op.f('uq_keypad_port_id_address'))
    )
    with op.batch_alter_table('keypad', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keypad_branch_id'), ['branch_id'], unique=False)

    op.create_table('keypad_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('keypad_id', sa.Integer(), nullable=True),
    sa.Column('port_url', sa.String(length=200), nullable=False),
    sa.Column('address', sa.Integer(), nullable=False),
    sa.Column('counter_number', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('boot', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('session', sa.BigInteger(), nullable=True),
    sa.Column('key', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_keypad_event_branch_id_branch')),
    sa.ForeignKeyConstraint(['keypad_id'], ['keypad.id'], name=op.f('fk_keypad_event_keypad_id_keypad'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keypad_event'))
    )
    with op.batch_alter_table('keypad_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keypad_event_branch_id'), ['branch_id'], unique=False)
        batch_op.create_index('ix_keypad_event_dedup', ['keypad_id', 'boot', 'event_id'], unique=False)

    op.create_table('rating_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('finish_event_id', sa.Integer(), nullable=True),
    sa.Column('counter_number', sa.Integer(), nullable=False),
    sa.Column('staff', sa.String(length=40), nullable=True),
    sa.Column('keypad_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timeout_s', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_rating_request_branch_id_branch')),
    sa.ForeignKeyConstraint(['keypad_id'], ['keypad.id'], name=op.f('fk_rating_request_keypad_id_keypad'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_rating_request_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating_request')),
    sa.UniqueConstraint('finish_event_id', name=op.f('uq_rating_request_finish_event_id'))
    )
    with op.batch_alter_table('rating_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_request_branch_id'), ['branch_id'], unique=False)

    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('branch_id', sa.String(length=32), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('rated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counter_number', sa.Integer(), nullable=True),
    sa.Column('staff', sa.String(length=40), nullable=True),
    sa.Column('value', sa.String(length=20), nullable=False),
    sa.Column('solicited', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['branch_id'], ['branch.id'], name=op.f('fk_rating_branch_id_branch')),
    sa.ForeignKeyConstraint(['request_id'], ['rating_request.id'], name=op.f('fk_rating_request_id_rating_request'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ticket_id'], ['ticket.id'], name=op.f('fk_rating_ticket_id_ticket'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating')),
    sa.UniqueConstraint('ticket_id', name=op.f('uq_rating_ticket_id'))
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index('ix_rating_day', ['branch_id', 'business_date'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index('ix_rating_day')

    op.drop_table('rating')
    with op.batch_alter_table('rating_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_request_branch_id'))

    op.drop_table('rating_request')
    with op.batch_alter_table('keypad_event', schema=None) as batch_op:
        batch_op.drop_index('ix_keypad_event_dedup')
        batch_op.drop_index(batch_op.f('ix_keypad_event_branch_id'))

    op.drop_table('keypad_event')
    with op.batch_alter_table('keypad', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_keypad_branch_id'))

    op.drop_table('keypad')
    with op.batch_alter_table('keypad_port', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_keypad_port_branch_id'))

    op.drop_table('keypad_port')

