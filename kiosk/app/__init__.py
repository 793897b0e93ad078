"""The application layer: the use cases the screens and the CLI share.

Open one :class:`AppContext` (the engine and the station name) and call the use cases
of the capability modules with it; each call is one unit of work (or a documented
sequence of them), returns a typed frozen dataclass (:mod:`kiosk.app.results`: JSON by
one convention) and raises only ``KioskError``\\ s: business refusals, usage errors,
device errors, and database failures translated here (:mod:`kiosk.app.errors`).
Calls block on the database and devices: a screen makes them from a worker thread.
See docs/ARCHITECTURE.md, "The application layer: how a screen calls it".
"""

from kiosk.app.context import AppContext, resolve_station
from kiosk.app.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseError,
    DatabaseRefused,
    DatabaseUnreachable,
    DiskFull,
)
from kiosk.app.results import Result

__all__ = ["AppContext", "DatabaseBusy", "DatabaseCorrupt", "DatabaseError",
           "DatabaseRefused", "DatabaseUnreachable", "DiskFull", "Result", "resolve_station"]
