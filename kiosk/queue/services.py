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

from collections.abc import Iterable
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


class BranchServices:
    """The services of one branch for one unit of work, in display order.

    ``settings_rev`` is the branch's revision read in this session's transaction, or
    None to read the table whatever is cached (a branch handed in from elsewhere).
    Nothing is read until a service is asked for; from the cache, only the services
    asked for become ``Service`` rows of the session (a take needs one)."""

    def __init__(self, session: Session, branch_id: str, settings_rev: int | None) -> None:
        self._session, self._branch_id, self._rev = session, branch_id, settings_rev
        self._values: dict[str, dict[str, Any]] | None = None
        self._rows: dict[str, Service] = {}

    def all(self) -> list[Service]:
        """Every service of the branch, in display order."""
        return [row for row in map(self.get, self._codes()) if row is not None]

    def get(self, code: str) -> Service | None:
        """The service ``code``, None if the branch has no such service."""
        if code not in self._rows and code in self._codes():
            assert self._values is not None
            self._rows[code] = as_loaded(self._session, Service, self._values[code])
        return self._rows.get(code)

    def _codes(self) -> Iterable[str]:
        if self._values is None:
            self._values = {v["code"]: v for v in self._read()}
        return self._values.keys()

    def _read(self) -> tuple[dict[str, Any], ...]:
        key = (self._session.get_bind().engine.url.render_as_string(), self._branch_id)
        cached = _cache.get(key) if self._rev is not None else None
        if cached is not None and cached[0] == self._rev:
            return cached[1]
        loaded = list(self._session.scalars(select(Service).from_statement(views.SERVICES),
                                            {"branch": self._branch_id}))
        self._rows = {row.code: row for row in loaded}
        values = tuple({name: getattr(row, name) for name in _COLUMNS} for row in loaded)
        if self._rev is not None:
            cache_when_committed(self._session, _cache, key, (self._rev, values))
        return values


__all__ = ["BranchServices"]
