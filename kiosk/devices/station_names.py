"""Which station a process runs as, and what may name one. No SQLAlchemy: the
command line checks ``--station`` for every command, and the lobby board's read on a
SQLite file (:mod:`kiosk.queue.board_sqlite`) resolves the station as the full path
does, without the database layer (:mod:`kiosk.devices.stations` re-exports these)."""

from __future__ import annotations

import os
import socket

from kiosk.errors import UsageError

STATION_ENV = "KIOSK_STATION"
MAX_STATION_NAME = 40  # the width of every ``station`` column


def validate_station(name: str) -> str:
    """``name`` stripped, if it can name a station: 1-40 characters, no spaces or
    control characters (it appears in file names, logs and the admin board)."""
    cleaned = name.strip()
    if not cleaned or len(cleaned) > MAX_STATION_NAME or any(
            ch.isspace() or not ch.isprintable() for ch in cleaned):
        raise UsageError(f"站点名须为 1–{MAX_STATION_NAME} 个字符，不含空格和控制字符：{name!r}",
                         f"a station name is 1-{MAX_STATION_NAME} characters without spaces "
                         f"or control characters, got {name!r}", code="station")
    return cleaned


def host_station() -> str:
    """The host name (its first label), as a station name; ``kiosk`` if it has none."""
    label = socket.gethostname().split(".")[0].strip()
    return label[:MAX_STATION_NAME] if label else "kiosk"


def resolve_station(explicit: str | None = None) -> str:
    """The station a process runs as: ``explicit`` (``--station``), else the
    ``KIOSK_STATION`` environment variable, else the host name.

    Raises:
        UsageError: the name given is empty, too long or has spaces."""
    if explicit is not None:
        return validate_station(explicit)
    from_env = os.environ.get(STATION_ENV)
    if from_env is not None and from_env.strip():
        return validate_station(from_env)
    return host_station()


__all__ = ["MAX_STATION_NAME", "STATION_ENV", "host_station", "resolve_station",
           "validate_station"]
