"""Shared fixtures: real databases (a SQLite file, a PostgreSQL server started for the
run), a branch that is open round the clock, and instants to act at.

A migrated database is migrated once per run (per pytest-xdist worker): the fixtures
that hand a test one copy a template that ``ensure_ready`` built, a file for SQLite, a
``CREATE DATABASE ... TEMPLATE`` for PostgreSQL, then run ``ensure_ready`` on the copy,
which finds it current as every command on a set-up branch does. Migrating itself is
tested from empty databases (``sqlite_url``, ``pg_url``, ``db_url`` stay empty)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path

import pytest
from sqlalchemy import Engine

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The simulated printer and keypads are threads of a test process, not firmware: on a
# loaded machine (the suite on four workers beside other work) one sometimes answered
# after the protocols' waits (ESC/POS status 0.2 s, KP1 50 ms a try) and was taken for
# a silent device. Three times the waits, in this process and every command it starts;
# what the tests check does not depend on the figures (a scan keeps the KP1 figure).
os.environ.setdefault("KIOSK_PRINTER_STATUS_TIMEOUT_S", "0.6")
os.environ.setdefault("KIOSK_KP1_REPLY_TIMEOUT_S", "0.15")

from kiosk.branch.settings import BranchConfig, apply_config, default_config  # noqa: E402
from kiosk.db import make_engine, unit_of_work  # noqa: E402
from kiosk.migrate import ensure_ready  # noqa: E402
from printers.escpos.transport import close_all  # noqa: E402
from printers.simulators.printer import FakePrinter  # noqa: E402
from tests.pg import PostgresServer  # noqa: E402

# The voice tests' private sound server (fixtures ``pulse`` and ``speakers``).
pytest_plugins = ["tests.ui.voice_fixtures"]

ROUND_THE_CLOCK = (clock_time(0, 0), clock_time(23, 59, 59))
# Monday 2026-11-23, 10:00 in Shanghai: a normal working morning.
MONDAY_10AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked slow first, each group in its usual order: on several workers
    (scripts/test.sh), a test of minutes handed out last would run alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own database or log, or a fixed clock, by accident."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the screens' log
    monkeypatch.delenv("KIOSK_DB_URL", raising=False)
    monkeypatch.delenv("KIOSK_NOW", raising=False)
    monkeypatch.delenv("KIOSK_BRANCH", raising=False)
    monkeypatch.delenv("KIOSK_STATION", raising=False)
    monkeypatch.setenv("KIOSK_LOCK_DIR", str(tmp_path / "locks"))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'branch.db'}"


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    """A new empty PostgreSQL database."""
    return postgres.create_database()


def _migrated(url: str) -> None:
    engine = make_engine(url)
    ensure_ready(engine)
    engine.dispose()  # no connection left: SQLite folds its WAL in, PostgreSQL can copy


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated and seeded with the default branch settings."""
    path = tmp_path_factory.mktemp("template") / "branch.db"
    _migrated(f"sqlite:///{path}")
    assert not path.with_name(path.name + "-wal").exists(), "the copies would miss the WAL"
    return path


@pytest.fixture(scope="session")
def pg_template(postgres: PostgresServer) -> str:
    """The name of a PostgreSQL database migrated and seeded with the default branch
    settings, which no one connects to again (so it can be copied)."""
    url = postgres.create_database()
    _migrated(url)
    return url.rsplit("/", 1)[1]


def copy_sqlite(template: Path, url: str) -> None:
    """Copy the SQLite file ``template`` and the files its writers keep beside it (the
    writer lock and queue: ``branch.db.writer-queue``...) to the file of ``url``."""
    target = Path(url.removeprefix("sqlite:///"))
    for part in template.parent.glob(f"{template.name}*"):
        shutil.copyfile(part, target.with_name(target.name + part.name[len(template.name):]))


def migrated_copy(request: pytest.FixtureRequest, url: str) -> None:
    """Make the empty database at ``url`` (from ``sqlite_url`` or ``pg_url``) a copy of
    the migrated template of its backend."""
    if url.startswith("sqlite:///"):
        copy_sqlite(request.getfixturevalue("sqlite_template"), url)
    else:
        postgres: PostgresServer = request.getfixturevalue("postgres")
        postgres.replace_with_copy(url, request.getfixturevalue("pg_template"))


@pytest.fixture
def migrated_sqlite_url(sqlite_url: str, request: pytest.FixtureRequest) -> str:
    """``sqlite_url`` holding a migrated database with the default branch settings."""
    migrated_copy(request, sqlite_url)
    return sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Both backends the product supports; tests using it run on each."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


def open_all_hours(config: BranchConfig | None = None) -> BranchConfig:
    """The default branch, open every day round the clock, no calendar exceptions
    (not even the national holidays)."""
    config = config or default_config()
    return replace(config, hours=dict.fromkeys(range(7), ROUND_THE_CLOCK),
                   holidays=frozenset(), workdays=frozenset(),
                   settings={**config.settings, "national_calendar": False})


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[FakePrinter]:
    """A fake ESC/POS printer on a real pty, stopped (thread joined) after the test;
    every printer link the test opened is closed first."""
    fake = FakePrinter(link=tmp_path / "printer").start()
    yield fake
    close_all()
    fake.stop()
    assert fake.faults == []  # the simulated printer never choked on what it was sent


@pytest.fixture
def engine(migrated_sqlite_url: str) -> Iterator[Engine]:
    """A migrated SQLite file (at ``sqlite_url``) with the default branch settings."""
    eng = make_engine(migrated_sqlite_url)
    ensure_ready(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def any_engine(db_url: str, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database of each backend (at ``db_url``) with the default branch
    settings."""
    migrated_copy(request, db_url)
    eng = make_engine(db_url)
    ensure_ready(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def open_engine(any_engine: Engine) -> Engine:
    """Like ``any_engine``, with the branch open round the clock."""
    with unit_of_work(any_engine, write=True) as session:
        apply_config(session, open_all_hours())
    return any_engine
