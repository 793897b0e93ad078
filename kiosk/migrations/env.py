"""Alembic environment. ``kiosk.migrate.upgrade`` passes an open connection (already
inside the locked transaction); the ``alembic`` command line uses KIOSK_DB_URL."""

from __future__ import annotations

from typing import Literal

from alembic import context
from sqlalchemy import Connection

from kiosk.db import make_engine, resolve_url
from kiosk.models import Base, UTCDateTime

config = context.config
connection = config.attributes.get("connection")


def render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Render our UTC column type as the plain type it stores, so migrations never
    import model code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(conn: Connection) -> None:
    context.configure(connection=conn, target_metadata=Base.metadata, render_as_batch=True,
                      compare_type=True, render_item=render_item)

if connection is None:
    engine = make_engine(resolve_url(None))
    with engine.begin() as conn:
        configure(conn)
        context.run_migrations()
else:
    configure(connection)
    with context.begin_transaction():
        context.run_migrations()
