"""Retention (kiosk.privacy.retention): every registered holder's personal data past
the limit is erased and the rest of its records kept; dry runs only count; the daily
purge runs once per business day across stations, on both backends."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.models import DailyRun, StaffMember
from kiosk.privacy import retention
from kiosk.staff import accounts
from tests.conftest import MONDAY_10AM

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
ROOT = Path(__file__).resolve().parent.parent

# A subsystem of the kind that will plug in (complaint contacts, callback requests): a
# real table holding phone numbers, with its own holder registered like theirs.
_meta = MetaData()
callbacks = Table("test_callback", _meta, Column("id", Integer, primary_key=True),
                  Column("branch_id", String(32)), Column("phone", String(20), nullable=True),
                  Column("asked_at", DateTime(timezone=True)), Column("topic", String(20)))


def _past(branch_id: str, cutoff: datetime) -> tuple[object, ...]:
    return (callbacks.c.branch_id == branch_id, callbacks.c.asked_at < cutoff,
            callbacks.c.phone.is_not(None))


def _count(session: Session, branch_id: str, cutoff: datetime) -> int:
    return int(session.scalar(select(func.count()).select_from(callbacks)
                              .where(*_past(branch_id, cutoff))) or 0)


def _erase(session: Session, branch_id: str, cutoff: datetime) -> int:
    return int(session.execute(update(callbacks).where(*_past(branch_id, cutoff))
                               .values(phone=None)).rowcount)  # type: ignore[attr-defined]


@pytest.fixture
def callback_holder(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    _meta.create_all(any_engine)
    # Only the holders this test seeds: the others a run has imported by now (complaint
    # contacts) hold nothing here, but would be listed in every report.
    monkeypatch.setattr(retention, "_holders", {"staff_photo": accounts.STAFF_PHOTOS})
    retention.register_holder(retention.PersonalDataHolder(
        "test_callback", "回电请求的电话", "callback phone numbers", _count, _erase))
    yield any_engine
    retention._holders.pop("test_callback")


def seed(engine: Engine) -> str:
    """Callbacks and disabled colleagues' photos on both sides of the 180-day limit."""
    with unit_of_work(engine, write=True) as session:
        bid = load_branch(session).id
        for days in (10, 179, 181, 400):
            session.execute(callbacks.insert().values(
                branch_id=bid, phone="13812345678", topic=f"d{days}",
                asked_at=MONDAY_10AM - timedelta(days=days)))
        for number, disabled_days in (("S1", None), ("S2", 30), ("S3", 200)):
            member = accounts.add_member(session, bid, number, "王小明", "counter", "2580",
                                         MONDAY_10AM - timedelta(days=900))
            accounts.set_photo(member, PNG)
            if disabled_days is not None:
                accounts.set_enabled(member, False, MONDAY_10AM - timedelta(days=disabled_days))
    return bid


def phones(engine: Engine) -> dict[str, str | None]:
    with unit_of_work(engine) as session:
        return dict(session.execute(select(callbacks.c.topic, callbacks.c.phone)).all())


def photos(engine: Engine) -> dict[str, bool]:
    with unit_of_work(engine) as session:
        return {m.number: m.photo is not None for m in session.scalars(select(StaffMember))}


def test_a_dry_run_counts_and_a_purge_erases_only_what_is_past_the_limit(
        callback_holder: Engine) -> None:
    engine = callback_holder
    seed(engine)
    with unit_of_work(engine, write=True) as session:
        dry = retention.purge(session, load_branch(session), MONDAY_10AM, dry_run=True)
    assert dry.dry_run
    assert dry.retention_days == 180
    assert dry.cutoff == MONDAY_10AM - timedelta(days=180)
    assert {i.name: i.records for i in dry.items} == {"test_callback": 2, "staff_photo": 1}
    assert phones(engine)["d400"] == "13812345678"  # a dry run erases nothing

    with unit_of_work(engine, write=True) as session:
        done = retention.purge(session, load_branch(session), MONDAY_10AM)
    assert {i.name: i.records for i in done.items} == {"test_callback": 2, "staff_photo": 1}
    assert done.total == 3
    assert phones(engine) == {"d10": "13812345678", "d179": "13812345678",
                              "d181": None, "d400": None}
    # The records themselves stay for the reports; only the personal data went.
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(callbacks)) == 4
    assert photos(engine) == {"S1": True, "S2": True, "S3": False}
    with unit_of_work(engine, write=True) as session:
        again = retention.purge(session, load_branch(session), MONDAY_10AM)
    assert again.total == 0


def test_the_daily_purge_runs_once_per_business_day(callback_holder: Engine) -> None:
    engine = callback_holder
    seed(engine)
    with unit_of_work(engine, write=True) as session:
        first = retention.purge_once_today(session, load_branch(session), MONDAY_10AM, "K1")
    assert first is not None
    assert first.total == 3
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session)
        assert retention.purge_once_today(session, branch, MONDAY_10AM + timedelta(hours=5),
                                          "C4") is None
    with unit_of_work(engine, write=True) as session:
        nextday = retention.purge_once_today(session, load_branch(session),
                                             MONDAY_10AM + timedelta(days=1), "C4")
    assert nextday is not None
    assert nextday.total == 0
    with unit_of_work(engine) as session:
        runs = session.execute(select(DailyRun.station, DailyRun.business_date,
                                      DailyRun.summary).order_by(DailyRun.id)).all()
    assert [(r.station, r.business_date.isoformat()) for r in runs] == [
        ("K1", "2026-11-23"), ("C4", "2026-11-24")]
    assert runs[0].summary == {"test_callback": 2, "staff_photo": 1}


def test_a_failed_purge_leaves_the_day_to_the_next_try(callback_holder: Engine) -> None:
    def broken(session: Session, branch_id: str, cutoff: datetime) -> int:
        raise RuntimeError("disk trouble")

    retention.register_holder(retention.PersonalDataHolder("broken", "坏", "broken",
                                                           broken, broken))
    try:
        with pytest.raises(RuntimeError), unit_of_work(callback_holder, write=True) as session:
            retention.purge_once_today(session, load_branch(session), MONDAY_10AM, "K1")
    finally:
        retention._holders.pop("broken")
    with unit_of_work(callback_holder, write=True) as session:
        report = retention.purge_once_today(session, load_branch(session), MONDAY_10AM, "K2")
    assert report is not None


@pytest.mark.slow
def test_stations_asking_at_once_purge_exactly_once(any_engine: Engine, tmp_path: Path) -> None:
    go = tmp_path / "go"
    url = any_engine.url.render_as_string(hide_password=False)
    workers = [subprocess.Popen([sys.executable, "-m", "tests.purge_worker", url, f"K{i}",
                                 MONDAY_10AM.isoformat(), str(go)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for i in range(4)]
    go.touch()
    outcomes = []
    for proc in workers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outcomes.append(out.strip())
    assert sorted(outcomes) == ["ran"] + ["skipped"] * 3
    with unit_of_work(any_engine) as session:
        assert session.scalar(select(func.count()).select_from(DailyRun)) == 1
