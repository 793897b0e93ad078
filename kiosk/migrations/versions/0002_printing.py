"""printing: the branch's receipt printer and the print spool

Revision ID: 0002_printing
Revises: 0001
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_printing"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "printer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("port", sa.String(length=300), nullable=False),
        sa.Column("profile", sa.String(length=40), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("baud", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_printer_branch_id_branch")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_printer")),
        sa.UniqueConstraint("branch_id", "name", name=op.f("uq_printer_branch_id_name")),
    )
    with op.batch_alter_table("printer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_printer_branch_id"), ["branch_id"], unique=False)

    op.create_table(
        "print_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("document", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.Column("printer", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("printed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reprint_of", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_print_job_branch_id_branch")),
        sa.ForeignKeyConstraint(["reprint_of"], ["print_job.id"],
                                name=op.f("fk_print_job_reprint_of_print_job")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_print_job")),
    )
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_job_branch_id"), ["branch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_print_job_reference"), ["reference"], unique=False)
        batch_op.create_index(batch_op.f("ix_print_job_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_job_state"))
        batch_op.drop_index(batch_op.f("ix_print_job_reference"))
        batch_op.drop_index(batch_op.f("ix_print_job_branch_id"))
    op.drop_table("print_job")
    with op.batch_alter_table("printer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_printer_branch_id"))
    op.drop_table("printer")
