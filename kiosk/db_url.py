"""Which database a process uses: ``--db URL``, else ``KIOSK_DB_URL``, else a SQLite
file in the user data directory. No SQLAlchemy: the lobby board's read on a SQLite
file (:mod:`kiosk.queue.board_sqlite`) finds the file as the engine would
(:mod:`kiosk.db` re-exports these)."""

from __future__ import annotations

import os
from pathlib import Path


def default_url() -> str:
    """SQLite file in the user data directory (``$XDG_DATA_HOME/lobby-kiosk``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    folder = Path(base) / "lobby-kiosk"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'kiosk.db'}"


def resolve_url(cli_url: str | None) -> str:
    """``--db URL``, else ``KIOSK_DB_URL``, else the default SQLite file."""
    url = cli_url or os.environ.get("KIOSK_DB_URL") or default_url()
    if url.startswith("postgresql://"):
        # psycopg 3 is the driver we ship; a bare postgresql:// would ask for psycopg2.
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


__all__ = ["default_url", "resolve_url"]
