"""Database failures as the errors a screen can show and the CLI can report.

The database driver raises its own exceptions (``sqlite3``, ``psycopg``, wrapped by
SQLAlchemy); nothing above the application layer should see them. Every use case runs
its units of work inside :func:`database_errors`, which turns them into
:class:`DatabaseError` kinds carrying both languages and the database they concern
(the SQLite file or the PostgreSQL host, never a password):

============================  ================  ==============================================
kind                          ``code``          when
============================  ================  ==============================================
:class:`DatabaseUnreachable`  ``database``      cannot connect: server down, network, no file
:class:`DatabaseBusy`         ``database_busy`` another program held the lock past the timeout
:class:`DiskFull`             ``disk_full``     the disk (or the PostgreSQL volume) is full
:class:`DatabaseCorrupt`      ``database_corrupt``  the file is not a database or is damaged
:class:`DatabaseRefused`      ``database_conflict`` a constraint refused a write (a race lost)
============================  ================  ==============================================

A value the database cannot hold (a text over its column's length, an integer out of
range) is a :class:`~kiosk.errors.UsageError` (code ``value_too_large``); the use
cases check their input before it gets that far, this is the net beneath.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError

from kiosk.errors import KioskError, UsageError

# SQLite primary result codes (sqlite3.h).
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_IOERR, _SQLITE_CORRUPT = 5, 6, 10, 11
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_NOTADB = 13, 14, 26
# An I/O error while the disk holding the file has less than this free is a full disk
# (SQLite reports a write refused with EFBIG or a short write on a full disk as IOERR).
_NEARLY_FULL_BYTES = 1 << 20


class DatabaseError(KioskError):
    """The database failed; the action was not saved. ``where`` names the database."""

    def __init__(self, zh: str, en: str, *, code: str, where: str) -> None:
        super().__init__(zh, en, code=code)
        self.where = where


class DatabaseUnreachable(DatabaseError):
    """The database cannot be reached (server down, network, missing folder)."""


class DatabaseBusy(DatabaseError):
    """Another program held the database's lock for longer than the wait allows."""


class DiskFull(DatabaseError):
    """No space left where the database writes."""


class DatabaseCorrupt(DatabaseError):
    """The SQLite file is not a database, or is damaged (truncated, overwritten)."""


class DatabaseRefused(DatabaseError):
    """A constraint refused the write: usually another kiosk changed the same thing."""


def describe(url: URL) -> str:
    """Which database, for a person: the SQLite file, or host:port/name (no password)."""
    if url.get_backend_name() == "sqlite":
        return str(Path(url.database or ":memory:").resolve()) if url.database else ":memory:"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


@contextmanager
def database_errors(engine: Engine) -> Iterator[None]:
    """Run the body; a driver exception leaves it as a :class:`DatabaseError` kind (or
    a ``UsageError`` for a value the column cannot hold). Other errors pass unchanged."""
    try:
        yield
    except DBAPIError as exc:
        raise translate(exc, engine.url) from exc


def translate(exc: DBAPIError, url: URL) -> KioskError:
    """The bilingual error for a driver exception on the database at ``url``."""
    where = describe(url)
    if url.get_backend_name() == "sqlite":
        return _sqlite(exc, where)
    return _postgresql(exc, where)


def _sqlite(exc: DBAPIError, where: str) -> KioskError:
    code = int(getattr(exc.orig, "sqlite_errorcode", 0)) & 0xFF
    detail = str(exc.orig)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return corrupt(where, detail)
    if code == _SQLITE_FULL or (code == _SQLITE_IOERR and _nearly_full(where)):
        return disk_full(where, detail)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return busy(where, detail)
    if code == _SQLITE_CANTOPEN:
        return unreachable(where, detail)
    if isinstance(exc, IntegrityError):
        return refused(where, detail)
    return _failed(where, detail)


def _postgresql(exc: DBAPIError, where: str) -> KioskError:
    state = str(getattr(exc.orig, "sqlstate", "") or "")
    detail = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else repr(exc)
    if state == "53100":
        return disk_full(where, detail)
    if state in ("XX001", "XX002"):
        return corrupt(where, detail)
    if state in ("55P03", "40P01", "40001", "57014"):
        return busy(where, detail)
    if state.startswith("22"):
        return UsageError(f"数值超出数据库允许的范围：{detail}",
                          f"a value does not fit the database: {detail}",
                          code="value_too_large")
    if state.startswith("23") or isinstance(exc, IntegrityError):
        return refused(where, detail)
    return unreachable(where, detail)


def _nearly_full(where: str) -> bool:
    try:
        return shutil.disk_usage(Path(where).parent).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def unreachable(where: str, detail: str) -> DatabaseUnreachable:
    return DatabaseUnreachable(
        f"数据库无法访问（{where}）：请检查数据库服务器、网络或文件夹",
        f"database unreachable ({where}): {detail}", code="database", where=where)


def busy(where: str, detail: str) -> DatabaseBusy:
    return DatabaseBusy(
        f"数据库正忙（{where}）：另一程序长时间占用，请稍后重试；本次操作未保存",
        f"database busy ({where}): another program held it too long ({detail}); try "
        "again; this action was not saved", code="database_busy", where=where)


def disk_full(where: str, detail: str) -> DiskFull:
    return DiskFull(
        f"磁盘已满，无法写入数据库（{where}）：请清理磁盘空间后重试；本次操作未保存",
        f"disk full: cannot write the database ({where}; {detail}); free some disk space "
        "and try again; this action was not saved", code="disk_full", where=where)


def corrupt(where: str, detail: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"数据库文件 {where} 已损坏或不是本系统的数据库：请从备份恢复该文件，"
        "或将其移到别处后运行 kiosk init 新建数据库",
        f"the database file {where} is damaged or is not a kiosk database ({detail}): "
        "restore it from the backup, or move it aside and run `kiosk init` to start a "
        "new one", code="database_corrupt", where=where)


def refused(where: str, detail: str) -> DatabaseRefused:
    return DatabaseRefused(
        f"数据库拒绝了本次修改（{where}），可能另一台设备刚刚修改了同一数据，请重试",
        f"the database refused the change ({where}): {detail}; another device may have "
        "just changed the same thing, try again", code="database_conflict", where=where)


def _failed(where: str, detail: str) -> DatabaseError:
    return DatabaseError(f"数据库读写出错（{where}）：{detail}；请检查磁盘和文件权限",
                         f"database error ({where}): {detail}; check the disk and the file's "
                         "permissions", code="database", where=where)


__all__ = ["DatabaseBusy", "DatabaseCorrupt", "DatabaseError", "DatabaseRefused",
           "DatabaseUnreachable", "DiskFull", "database_errors", "describe", "translate"]
