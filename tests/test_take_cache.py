"""A take inside the write lock: the branch's services come from a per-process cache
checked against ``settings_rev`` in the take's own transaction, and the ticket and its
event are inserted by Core statements (issue 8). A settings change another process
committed is seen by the very next action; one that rolled back is never cached."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, inspect, select

from kiosk.branch.settings import BranchConfig, apply_config, default_config
from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused
from kiosk.models import Service, TicketEvent
from kiosk.models.base import as_loaded
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


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_a_settings_change_by_another_process_is_seen_by_the_next_take(
        any_engine: Engine) -> None:
    engine = any_engine
    assert take(engine, "claims") == "D001"  # this process has the services cached now
    with unit_of_work(engine) as session:
        assert Lobby(session, now=MONDAY_10AM).branch.setting("recall_limit") != 3
    url = engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", CHANGE_IN_ANOTHER_PROCESS, url],
                   cwd=ROOT, check=True, timeout=60)
    with pytest.raises(RuleRefused) as refused:
        take(engine, "claims")
    assert refused.value.code == "disabled"
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        assert lobby.service("enquiry").name_en == "Enquiries, renamed"
        assert lobby.branch.setting("recall_limit") == 3


def test_a_settings_change_rolled_back_is_never_cached(any_engine: Engine) -> None:
    """The rolled-back import bumped settings_rev to the number the next import takes
    again: what was read inside it must not pass for that revision's settings."""
    engine = any_engine
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


def test_a_take_reads_the_services_from_the_cache_and_inserts_in_three_statements(
        engine: Engine) -> None:
    take(engine, "claims")
    with statements(engine) as seen, unit_of_work(engine, write=True) as session:
        ticket = Lobby(session, now=MONDAY_10AM).take("claims")
        state = inspect(ticket)
        assert state.persistent
        assert not state.unloaded
        assert not session.dirty
        taken = (ticket.id, ticket.number, ticket.status, ticket.called_at, ticket.recalls)
    assert not [s for s in seen if "FROM service" in s], seen
    writes = [s.split(" (")[0] for s in seen if s.startswith("INSERT")]
    assert writes == ["INSERT INTO ticket_sequence", "INSERT INTO ticket",
                      "INSERT INTO ticket_event"], seen
    assert not [s for s in seen if s.startswith(("SELECT ticket", "UPDATE ticket"))], seen
    with unit_of_work(engine) as session:
        lobby = Lobby(session, now=MONDAY_10AM)
        stored = lobby.ticket("D002")
        assert (stored.id, stored.number, stored.status, stored.called_at,
                stored.recalls) == taken
        issue = session.scalars(select(TicketEvent).where(
            TicketEvent.ticket_id == stored.id)).one()
        assert (issue.kind, issue.to_state, issue.service_code, issue.feed_pos is None) == (
            "issue", "waiting", "claims", False)


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


def test_a_row_as_loaded_needs_every_column(engine: Engine) -> None:
    """A column added to the table but not given by insert_ticket must fail every
    take loudly, not load the ticket again behind the caller's back."""
    with unit_of_work(engine) as session:
        values = {a.key: None for a in inspect(Service).column_attrs if a.key != "sort"}
        with pytest.raises(ValueError, match="sort"):
            as_loaded(session, Service, {**values, "id": 1})
