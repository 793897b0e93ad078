"""The application's handle on the branch: its database engine and the station it runs on.

A screen (or the CLI) opens one :class:`AppContext` at start-up and passes it to every
use case of :mod:`kiosk.app`. It is safe to share between threads: each use case opens
its own short units of work (``read()`` / ``write()``), and a session never outlives
the call. Use cases are blocking (database, printer): a screen calls them from a
worker thread, never on the GUI thread.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kiosk.app.errors import database_errors, describe
from kiosk.db import make_engine, resolve_url, unit_of_work


def resolve_station(name: str | None = None) -> str:
    """The station this process acts for: ``name``, else ``KIOSK_STATION``, else the
    host name (:func:`kiosk.devices.station_names.resolve_station`; a name that cannot
    be a station is a ``UsageError``)."""
    from kiosk.devices.station_names import resolve_station as resolve

    return resolve(name)


@dataclass
class AppContext:
    """The database engine and the station name every use case needs.

    ``print_wait_s``: how long a print may hold its caller. None (the CLI): the print
    is tried in the caller's thread and the answer waits for the printer's first try.
    A number (a screen: 1.0): prints go to the station's background spool and the
    answer comes within that time whatever the printer does; :meth:`close` stops the
    background spool after its current job."""

    engine: Engine
    station: str
    print_wait_s: float | None = None

    @classmethod
    def open(cls, url: str | None = None, *, station: str | None = None,
             migrate: bool = True, print_wait_s: float | None = None) -> AppContext:
        """Connect to ``url`` (``--db``, else ``KIOSK_DB_URL``, else the default SQLite
        file), migrate and seed it on first use.

        Raises:
            UsageError: the URL cannot be used.
            DatabaseError: the database is unreachable, busy, full or corrupt.
        """
        engine = make_engine(resolve_url(url))
        app = cls(engine, resolve_station(station), print_wait_s)
        if migrate:
            from kiosk.migrate import ensure_ready

            try:
                with database_errors(engine):
                    ensure_ready(engine)
            except BaseException:
                engine.dispose()
                raise
        return app

    @property
    def database(self) -> str:
        """Which database, for messages: the SQLite file or host:port/name."""
        return describe(self.engine.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work; driver failures leave as ``DatabaseError``."""
        with database_errors(self.engine), unit_of_work(self.engine) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write unit of work (SQLite's write lock taken at BEGIN), committed at the
        end of the block or rolled back on any error."""
        with database_errors(self.engine), unit_of_work(self.engine, write=True) as session:
            yield session

    def close(self) -> None:
        spooler = sys.modules.get("kiosk.devices.spooler")  # imported only if one ran
        if spooler is not None:
            spooler.stop_spoolers(self.engine)  # lets a job being sent settle first
        self.engine.dispose()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


__all__ = ["AppContext", "resolve_station"]
