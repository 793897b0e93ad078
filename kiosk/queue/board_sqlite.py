"""The lobby board read straight from a SQLite file with the standard library's
driver: ``kiosk queue`` without SQLAlchemy, whose import alone is most of a command's
cold start (issue 8: a command on an up-to-date database in 0.3 s).

It answers only when the engine's path would do nothing more than read, and then
exactly as that path does: the same statements and assembly
(:mod:`kiosk.queue.board_sql`), the same clock and business date
(:mod:`kiosk.clock`: ``KIOSK_NOW``, the branch's time zone), the same choice of
branch (:func:`kiosk.branch.basics.choose_branch`: ``KIOSK_BRANCH``) and the same
calendar gap (:func:`kiosk.branch.calendar.calendar_gap`). It opens the file read-only
and reads in one transaction. Whenever the engine would do something more, or
anything is unusual, it answers None and the caller takes the engine's path, which
then does it or reports it as always: a URL that is not a plain SQLite file, a file
that is missing or not in WAL mode (the engine would create or convert it), a schema
not at the heads this code knows (:data:`kiosk.migrations.heads.HEADS`: the engine
migrates), no branch or no business day yet (it seeds; the first action of the day
rolls it), a business day behind the clock's date (the day must roll) or ahead of it
(the clock stepped back: the engine logs it), a database busy or damaged.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from kiosk import clock
from kiosk.branch.basics import SETTING_DEFAULTS, choose_branch
from kiosk.branch.calendar import CalendarGap, calendar_gap
from kiosk.errors import KioskError
from kiosk.migrations.heads import HEADS
from kiosk.queue import board_sql

# A read in WAL mode does not wait for writers; if it must wait at all (a recovery),
# the engine's path waits instead, with its own busy timeout.
BUSY_TIMEOUT_S = 1.0


@dataclass(frozen=True)
class BoardRead:
    """The board (the ``kiosk queue --json`` object) and the calendar gap of its day."""

    board: dict[str, Any]
    calendar_gap: CalendarGap | None


def sqlite_file(url: str) -> str | None:
    """The file of a plain ``sqlite:///PATH`` URL; None for anything else (another
    database or driver, memory, a URI file name, options, escapes)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix):]
    if not path or path == ":memory:" or path.startswith("file:") or any(
            ch in path for ch in "?#%"):
        return None
    return path


def read_board(url: str) -> BoardRead | None:
    """The lobby board now from the SQLite file of ``url``, or None when the engine's
    path must answer (see the module)."""
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                               isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        conn.row_factory = sqlite3.Row
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return None
        conn.execute("BEGIN")
        try:
            return _read(conn)
        finally:
            conn.execute("ROLLBACK")
    except (sqlite3.Error, KioskError, LookupError, TypeError, ValueError):
        # Something unusual (a time zone unknown here, a row not as the schema says):
        # the engine's path reports it as it always has.
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection) -> BoardRead | None:
    stamped = frozenset(row[0] for row in conn.execute("SELECT version_num FROM alembic_version"))
    if stamped != HEADS:
        return None
    branch = choose_branch([row[0] for row in conn.execute("SELECT id FROM branch ORDER BY id")])
    timezone = conn.execute("SELECT timezone FROM branch WHERE id = ?", (branch,)).fetchone()[0]
    reached = conn.execute("SELECT business_date FROM day_state WHERE branch_id = ?",
                           (branch,)).fetchone()
    now = clock.now()
    today = clock.business_date(now, timezone)
    if reached is None or reached[0] != today.isoformat():
        return None
    params = {**board_sql.parameters(branch, today), "day": today.isoformat()}

    def rows(sql: str) -> list[sqlite3.Row]:
        return conn.execute(sql, params).fetchall()

    board = board_sql.assemble(
        branch, today, clock.isoformat_local(now, timezone),
        [board_sql.ServiceRow.of(row) for row in rows(board_sql.SERVICES)],
        rows(board_sql.WAITING), rows(board_sql.HANDLING), rows(board_sql.COUNTERS),
        rows(board_sql.LINKS))
    own_years = frozenset(int(row[0][:4]) for row in conn.execute(
        "SELECT day FROM calendar_day WHERE branch_id = ?", (branch,)))
    national = conn.execute("SELECT value FROM setting WHERE branch_id = ? AND key = ?",
                            (branch, "national_calendar")).fetchone()
    return BoardRead(board, calendar_gap(today, own_years, national=bool(
        SETTING_DEFAULTS["national_calendar"] if national is None else _json(national[0]))))


def _json(value: Any) -> Any:
    """A JSON column's value as SQLite holds it (a number is stored as a number)."""
    return value if isinstance(value, int | float) or value is None else json.loads(value)


__all__ = ["BUSY_TIMEOUT_S", "BoardRead", "read_board", "sqlite_file"]
