"""The branch's services as one unit of work sees them, read once per settings revision.

Every action of the queue needs the services (a take checks the one asked for, the
views name them), and reading them is a statement plus the ORM's mapping of every row,
inside the write lock for a writer. They change only through the settings import
(:func:`kiosk.branch.settings.apply_config`), which bumps the branch's
``settings_rev`` in the same transaction. So a process keeps their column values per
(database, branch) with the revision they were read at, and a unit of work reuses
them only when the revision :func:`kiosk.branch.info.load_branch` read at the start
of this same transaction is that one: a settings change committed by another process
before this action began moves the revision and the services are read afresh.

Only plain column values are shared between threads and sessions: each unit of work
gets its own ``Service`` objects, persistent in its session as if the query had
loaded them (an object its session holds already is the one returned, as a query
would return it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from kiosk.branch.info import cache_when_committed
from kiosk.models import Service
from kiosk.models.base import as_loaded
from kiosk.queue import views

# (database URL, branch id) -> (settings_rev, every service's column values in order)
_cache: dict[tuple[str, str], tuple[int, tuple[dict[str, Any], ...]]] = {}
_COLUMNS = tuple(attr.key for attr in inspect(Service).column_attrs)


def load_services(session: Session, branch_id: str, settings_rev: int | None) -> list[Service]:
    """The services of ``branch_id`` in display order.

    ``settings_rev`` is the branch's revision read in this session's transaction, or
    None to read the table whatever is cached (a branch handed in from elsewhere)."""
    key = (session.get_bind().engine.url.render_as_string(), branch_id)
    cached = _cache.get(key) if settings_rev is not None else None
    if cached is None or cached[0] != settings_rev:
        rows = list(session.scalars(select(Service).from_statement(views.SERVICES),
                                    {"branch": branch_id}))
        if settings_rev is not None:
            cache_when_committed(session, _cache, key, (settings_rev, tuple(
                {name: getattr(row, name) for name in _COLUMNS} for row in rows)))
        return rows
    return [as_loaded(session, Service, values) for values in cached[1]]


__all__ = ["load_services"]
