"""the call feed: a per-branch position for every ticket and counter event

Every ``ticket_event`` and ``counter_event`` row gets ``feed_pos``, its place in the
branch's call feed, from the branch's ``feed_cursor`` row, by a trigger (the same rule
holds for every writer, bulk inserts included):

- PostgreSQL: a deferred constraint trigger, so it runs at COMMIT, after every other
  lock the transaction takes; the cursor row stays locked until the commit ends, so
  positions become visible in order (a later position never commits before an earlier
  one). It also sends ``NOTIFY kiosk_feed, '<branch id>'``, delivered at the commit.
- SQLite: a plain AFTER INSERT trigger; SQLite has one writer at a time, holding the
  write lock until its commit, so positions again commit in order.

Rows that exist already are numbered by (time, counter events first, id).
``service_code`` and ``recalls`` keep the ticket's as they were at the event (NULL on
older rows: the feed shows the ticket's current ones).

Careful: on SQLite a later migration that recreates ``ticket_event`` or
``counter_event`` (batch mode "recreate") drops their triggers; re-create them
(``create_triggers``) or the feed stops (tests/test_feed.py fails).

Revision ID: 0007_feed
Revises: 0001
Create Date: 2026-11-23 09:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_feed"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("ticket_event", "counter_event")

PG_FUNCTION = """
CREATE FUNCTION kiosk_feed_position() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pos bigint;
BEGIN
    INSERT INTO feed_cursor AS c (branch_id, last_pos) VALUES (NEW.branch_id, 1)
        ON CONFLICT (branch_id) DO UPDATE SET last_pos = c.last_pos + 1
        RETURNING c.last_pos INTO pos;
    IF TG_TABLE_NAME = 'ticket_event' THEN
        UPDATE ticket_event SET feed_pos = pos WHERE id = NEW.id;
    ELSE
        UPDATE counter_event SET feed_pos = pos WHERE id = NEW.id;
    END IF;
    PERFORM pg_notify('kiosk_feed', NEW.branch_id);
    RETURN NULL;
END
$$
"""

PG_TRIGGER = """
CREATE CONSTRAINT TRIGGER {table}_feed AFTER INSERT ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW.feed_pos IS NULL) EXECUTE FUNCTION kiosk_feed_position()
"""

SQLITE_TRIGGER = """
CREATE TRIGGER {table}_feed AFTER INSERT ON {table} FOR EACH ROW
WHEN NEW.feed_pos IS NULL
BEGIN
    INSERT INTO feed_cursor (branch_id, last_pos) VALUES (NEW.branch_id, 1)
        ON CONFLICT (branch_id) DO UPDATE SET last_pos = last_pos + 1;
    UPDATE {table} SET feed_pos =
        (SELECT last_pos FROM feed_cursor WHERE branch_id = NEW.branch_id)
        WHERE id = NEW.id;
END
"""


def create_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for table in TABLES:
            op.execute(PG_TRIGGER.format(table=table))
    else:
        for table in TABLES:
            op.execute(SQLITE_TRIGGER.format(table=table))


def drop_triggers() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_feed" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS kiosk_feed_position()")


def upgrade() -> None:
    # Plain ALTERs (no batch "recreate"): nullable columns, added in place on both.
    op.add_column("ticket_event", sa.Column("service_code", sa.String(length=32), nullable=True))
    op.add_column("ticket_event", sa.Column("recalls", sa.Integer(), nullable=True))
    for table in TABLES:
        op.add_column(table, sa.Column("feed_pos", sa.BigInteger(), nullable=True))
    op.create_table(
        "feed_cursor",
        sa.Column("branch_id", sa.String(length=32), nullable=False),
        sa.Column("last_pos", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["branch_id"], ["branch.id"],
                                name=op.f("fk_feed_cursor_branch_id_branch")),
        sa.PrimaryKeyConstraint("branch_id", name=op.f("pk_feed_cursor")),
    )

    # Number the history: per branch, by time; counter events first at one instant.
    op.execute(
        "CREATE TEMPORARY TABLE feed_backfill AS SELECT tbl, id, branch_id, "
        "ROW_NUMBER() OVER (PARTITION BY branch_id ORDER BY at, tbl, id) AS pos FROM ("
        "SELECT 'c' AS tbl, id, branch_id, at FROM counter_event UNION ALL "
        "SELECT 't' AS tbl, id, branch_id, at FROM ticket_event) AS e")
    op.execute("CREATE INDEX feed_backfill_row ON feed_backfill (tbl, id)")
    for table, tag in (("ticket_event", "t"), ("counter_event", "c")):
        op.execute(f"UPDATE {table} SET feed_pos = b.pos FROM feed_backfill AS b "
                   f"WHERE b.tbl = '{tag}' AND b.id = {table}.id")
    op.execute("INSERT INTO feed_cursor (branch_id, last_pos) SELECT branch.id, "
               "COALESCE((SELECT MAX(pos) FROM feed_backfill AS b "
               "WHERE b.branch_id = branch.id), 0) FROM branch")
    op.execute("DROP TABLE feed_backfill")

    op.create_index("ix_ticket_event_feed", "ticket_event", ["branch_id", "feed_pos"],
                    unique=True)
    op.create_index("ix_counter_event_feed", "counter_event", ["branch_id", "feed_pos"],
                    unique=True)
    create_triggers()


def downgrade() -> None:
    drop_triggers()
    op.drop_index("ix_counter_event_feed", table_name="counter_event")
    op.drop_index("ix_ticket_event_feed", table_name="ticket_event")
    op.drop_table("feed_cursor")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("feed_pos")
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.drop_column("recalls")
        batch_op.drop_column("service_code")
