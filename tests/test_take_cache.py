"""A take inside the write lock: the branch's services come from a per-process cache
checked against ``settings_rev`` in the take's own transaction (issue 8). A settings
change another process committed is seen by the very next action; one that rolled
back is never cached."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select

from kiosk.branch.settings import BranchConfig, apply_config, default_config
from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused
from kiosk.models import Service
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM

ROOT = Path(__file__).resolve().parent.parent

CHANGE_IN_ANOTHER_PROCESS = """
import sys
from dataclasses import replace
from kiosk.branch.settings import apply_config, default_config
from kiosk.db import make_engine, unit_of_work
config = default_config()
services = tuple(replace(s, enabled=False) if s.code == "claims" else
                 replace(s, name_en="Enquiries, renamed") if s.code == "enquiry" else s
                 for s in config.services)
with unit_of_work(make_engine(sys.argv[1]), write=True) as session:
    apply_config(session, replace(config, services=services,
                                  settings={**config.settings, "recall_limit": 3}))
"""


def changed(name_en: str, recall_limit: int) -> BranchConfig:
    config = default_config()
    return replace(config, services=tuple(
        replace(s, name_en=name_en) if s.code == "enquiry" else s for s in config.services),
        settings={**config.settings, "recall_limit": recall_limit})


def take(engine: Engine, code: str) -> str:
    with unit_of_work(engine, write=True) as session:
        return Lobby(session, now=MONDAY_10AM).take(code).number


def test_a_settings_change_by_another_process_is_seen_by_the_next_take(
        engine: Engine) -> None:
    assert take(engine, "claims") == "D001"  # this process has the services cached now
    with unit_of_work(engine) as session:
        assert Lobby(session, now=MONDAY_10AM).branch.setting("recall_limit") != 3
    subprocess.run([sys.executable, "-c", CHANGE_IN_ANOTHER_PROCESS, str(engine.url)],
                   cwd=ROOT, check=True, timeout=60)
    with pytest.raises(RuleRefused) as refused:
        take(engine, "claims")
    assert refused.value.code == "disabled"
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        assert lobby.service("enquiry").name_en == "Enquiries, renamed"
        assert lobby.branch.setting("recall_limit") == 3


def test_a_settings_change_rolled_back_is_never_cached(engine: Engine) -> None:
    """The rolled-back import bumped settings_rev to the number the next import takes
    again: what was read inside it must not pass for that revision's settings."""
    take(engine, "enquiry")
    read: list[tuple[str, int]] = []

    def change_read_then_fail() -> None:
        with unit_of_work(engine, write=True) as session:
            apply_config(session, changed("Rolled back", 2))
            lobby = Lobby(session, now=MONDAY_10AM)
            read.append((lobby.service("enquiry").name_en, lobby.branch.setting("recall_limit")))
            raise RuntimeError("the action fails after reading its own change")

    with pytest.raises(RuntimeError):
        change_read_then_fail()
    assert read == [("Rolled back", 2)]
    with unit_of_work(engine, write=True) as session:
        apply_config(session, changed("Committed", 3))
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        assert lobby.service("enquiry").name_en == "Committed"
        assert lobby.branch.setting("recall_limit") == 3


def test_cached_services_are_the_sessions_own_rows(engine: Engine) -> None:
    take(engine, "claims")
    with unit_of_work(engine, write=True) as session:
        held = session.scalars(select(Service).where(Service.code == "claims")).one()
        lobby = Lobby(session, now=MONDAY_10AM)
        assert lobby.service("claims") is held
        other = lobby.service("enquiry")
        assert inspect(other).persistent
        assert other in session
        other.name_en = "Changed through the ORM"
    with unit_of_work(engine) as session:
        assert session.scalars(select(Service.name_en).where(
            Service.code == "enquiry")).one() == "Changed through the ORM"
