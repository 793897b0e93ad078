"""``kiosk queue`` on an up-to-date SQLite file reads the board with the standard
library's driver (``kiosk.queue.board_sqlite``), without SQLAlchemy. In every state it
prints byte for byte what the engine's path prints (exit code, stdout and stderr,
text and ``--json``); in every state where the engine would do more than read, it
leaves the answer to the engine; and it really imports no SQLAlchemy.

Each comparison runs both paths from the same saved state of the same file (the
messages name it): the read without the engine as the command runs it, then the
engine's path, the read turned off."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.cli import main
from kiosk.db import make_engine, unit_of_work
from kiosk.migrate import ensure_ready
from kiosk.queue import board_sqlite
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM
from tests.migration_support import OLD_BRANCH, upgraded_to
from tests.test_lobby_snapshot import busy_morning

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T11:30:00+08:00"  # 90 minutes into busy_morning's Monday
NEXT_DAY = "2026-11-24T09:00:00+08:00"
DAY_BEFORE = "2026-11-22T17:00:00+08:00"

Outcome = tuple[int, str, str]


def saved(path: Path) -> bytes | None:
    """The file's content with everything checkpointed into it (None: no file)."""
    if not path.exists():
        return None
    try:
        with closing(sqlite3.connect(path)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # a damaged file is saved as it is
    return path.read_bytes()


def restore(path: Path, content: bytes | None) -> None:
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    if content is not None:
        path.write_bytes(content)


@pytest.fixture
def compare(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
            ) -> Callable[..., Outcome]:
    """``compare(path, read=True)``: run ``kiosk queue`` and ``kiosk queue --json`` by
    both paths from the file's state now; assert that the read without the engine
    answers (``read``) or leaves it to the engine, and that both print the same.
    Returns the text outcome."""
    monkeypatch.setenv("KIOSK_NOW", NOW)

    def queue(url: str, *args: str) -> Outcome:
        code = main(["--db", url, "queue", *args])
        out, err = capsys.readouterr()
        return code, out, err

    def run(path: Path, *, read: bool = True) -> Outcome:
        url = f"sqlite:///{path}"
        state = saved(path)
        outcomes = []
        for args in ((), ("--json",)):
            restore(path, state)
            assert (board_sqlite.read_board(url) is not None) is read
            restore(path, state)
            without_engine = queue(url, *args)
            restore(path, state)
            with monkeypatch.context() as engine_only:
                engine_only.setattr(board_sqlite, "read_board", lambda url: None)
                by_engine = queue(url, *args)
            assert without_engine == by_engine
            outcomes.append(by_engine)
        restore(path, state)
        return outcomes[0]

    return run


@pytest.fixture
def branch(engine: Engine, sqlite_url: str) -> Path:
    """The default branch, its business day begun (no ticket yet); the engine closed."""
    with unit_of_work(engine, write=True) as session:
        Lobby(session, now=MONDAY_10AM).roll_day()
    engine.dispose()
    return Path(sqlite_url.removeprefix("sqlite:///"))


@pytest.fixture
def busy(sqlite_url: str) -> Path:
    """Twelve services and counters in the middle of a morning: tickets waiting in
    every queue, counters open, paused and serving, finished tickets enough for the
    rolling handling time; the branch open round the clock."""
    engine = make_engine(sqlite_url)
    ensure_ready(engine)
    busy_morning(engine, 12)
    engine.dispose()
    return Path(sqlite_url.removeprefix("sqlite:///"))


def sql(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in statements:
            conn.execute(statement)


def test_a_day_begun_without_tickets(branch: Path, compare: Callable[..., Outcome]) -> None:
    code, out, err = compare(branch)
    assert code == 0
    assert "waiting   0" in out
    assert "2027" in err  # the calendar notice, printed the same way


def test_tickets_waiting_counters_open_paused_and_serving(
        busy: Path, compare: Callable[..., Outcome]) -> None:
    code, out, _ = compare(busy)
    assert code == 0
    assert " open " in out
    assert " paused " in out
    assert " serving" in out


def test_a_disabled_service_a_national_calendar_and_the_branchs_own_days(
        busy: Path, compare: Callable[..., Outcome]) -> None:
    sql(busy, "UPDATE service SET enabled = 0 WHERE code = 'svc03'",
        "UPDATE setting SET value = 'true' WHERE key = 'national_calendar'",
        "INSERT INTO calendar_day (branch_id, day, kind, note) "
        "VALUES ('BR0001', '2027-02-10', 'holiday', 'own')",
        "UPDATE branch SET settings_rev = settings_rev + 1")
    code, out, err = compare(busy)
    assert code == 0
    assert err == ""  # 2027 has the branch's own day: no notice
    read = board_sqlite.read_board(f"sqlite:///{busy}")
    assert read is not None
    assert {s["code"]: s["enabled"] for s in read.board["services"]}["svc03"] is False


def test_the_branch_named_by_kiosk_branch_among_several(
        branch: Path, compare: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch) -> None:
    sql(branch, "INSERT INTO branch (id, name_zh, name_en, address, hotline, timezone, "
        "settings_rev) VALUES ('BR0002', '二号', 'Two', '', '', 'Asia/Shanghai', 1)")
    code, _, err = compare(branch, read=False)
    assert code == 2
    assert "KIOSK_BRANCH" in err
    monkeypatch.setenv("KIOSK_BRANCH", "BR0001")
    assert compare(branch)[0] == 0


@pytest.mark.parametrize("now", [NEXT_DAY, DAY_BEFORE], ids=["day-to-roll", "clock-behind"])
def test_a_day_to_roll_or_a_clock_behind_the_day_is_left_to_the_engine(
        busy: Path, compare: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch,
        now: str) -> None:
    monkeypatch.setenv("KIOSK_NOW", now)
    assert compare(busy, read=False)[0] == 0


def test_no_business_day_yet_is_left_to_the_engine(
        engine: Engine, sqlite_url: str, compare: Callable[..., Outcome]) -> None:
    engine.dispose()
    assert compare(Path(sqlite_url.removeprefix("sqlite:///")), read=False)[0] == 0


def test_an_old_schema_is_left_to_the_engine_which_migrates_it(
        tmp_path: Path, compare: Callable[..., Outcome]) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{path}")
    with upgraded_to(engine, "0001"):
        pass
    engine.dispose()
    sql(path, OLD_BRANCH)
    assert compare(path, read=False)[0] == 0


def test_a_file_not_in_wal_mode_is_left_to_the_engine(
        branch: Path, compare: Callable[..., Outcome]) -> None:
    with closing(sqlite3.connect(branch)) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    assert compare(branch, read=False)[0] == 0


def test_a_missing_file_or_folder_is_left_to_the_engine(
        tmp_path: Path, compare: Callable[..., Outcome]) -> None:
    assert compare(tmp_path / "new.db", read=False)[0] == 0  # created, as before
    code, _, err = compare(tmp_path / "no" / "such" / "k.db", read=False)
    assert code == 1
    assert "Traceback" not in err


def test_a_damaged_file_is_left_to_the_engine(
        branch: Path, compare: Callable[..., Outcome]) -> None:
    branch.write_bytes(b"not a database" * 100)
    code, _, err = compare(branch, read=False)
    assert code == 1
    assert "damaged" in err


def test_a_bad_station_name_is_the_same_usage_error(
        branch: Path, compare: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STATION", "two words")
    code, _, err = compare(branch)
    assert code == 2
    assert "station" in err


LOADED = """
import importlib, sys
status = importlib.import_module(sys.argv[1]).main(sys.argv[2:])
print("exit", status, *sorted({name.split(".")[0] for name in sys.modules} & {"sqlalchemy"}))
"""


@pytest.mark.parametrize("entry", ["kiosk.cli", "ui.cli"])
def test_kiosk_queue_on_an_up_to_date_sqlite_file_imports_no_sqlalchemy(
        busy: Path, entry: str) -> None:
    def loaded(now: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", LOADED, entry, "--db", f"sqlite:///{busy}", "queue"],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
            env={**os.environ, "KIOSK_NOW": now})
        return done.stdout.splitlines()[-1].split()[1:]

    assert loaded(NOW) == ["0"]
    assert loaded(NEXT_DAY) == ["0", "sqlalchemy"]  # the day to roll: the engine's path
