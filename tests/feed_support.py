"""Helpers shared by the call-feed tests: queue actions as the CLI and screens run
them, and the ``kiosk`` command in a process of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from kiosk.branch.settings import apply_config
from kiosk.db import make_engine, unit_of_work
from kiosk.migrate import ensure_ready
from kiosk.queue import feed
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM, open_all_hours

ROOT = Path(__file__).resolve().parent.parent


def open_all_hours_engine(url: str) -> Engine:
    """An engine on ``url``, migrated, with the default branch open round the clock."""
    engine = make_engine(url)
    ensure_ready(engine)
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
    return engine


def act(engine: Engine, fn: str, *args: Any, minutes: int = 0, **kwargs: Any) -> Any:
    """One Lobby action in its own write unit of work, at MONDAY_10AM + ``minutes``."""
    with unit_of_work(engine, write=True) as session:
        return getattr(Lobby(session, now=MONDAY_10AM + timedelta(minutes=minutes)), fn)(
            *args, **kwargs)


def latest(engine: Engine) -> int:
    with unit_of_work(engine) as session:
        return feed.latest_id(session)


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def kiosk_env() -> dict[str, str]:
    return {**os.environ, "KIOSK_NOW": MONDAY_10AM.isoformat()}


def kiosk(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The ``kiosk`` command in a process of its own (another PC, as far as the feed
    can tell), at MONDAY_10AM."""
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", url, *args], cwd=ROOT,
                          env=kiosk_env(), capture_output=True, text=True, timeout=120)
