"""Personal data through the application layer: revealing is a supervisor's right and
always audited (never with the value), the daily purge runs once per business day
and is audited as the system, the audit log is for those allowed to read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from kiosk.app import AppContext, privacy
from kiosk.app import staff as staff_app
from kiosk.models import StaffMember
from kiosk.staff.permissions import NotPermitted
from tests.conftest import MONDAY_10AM
from tests.staff_support import PINS, add, at, audit_rows


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)
    return AppContext(any_engine, "K1")


def test_revealing_personal_data_needs_a_supervisor_and_is_audited_without_the_value(
        app: AppContext) -> None:
    add(app, "S0401", "counter")
    add(app, "S0001", "supervisor")
    counter = staff_app.login(app, "S0401", PINS["counter"])
    supervisor = staff_app.login(app, "S0001", PINS["supervisor"])

    def read(session: Session) -> str:
        return "13812345678"

    with pytest.raises(NotPermitted):
        privacy.reveal(app, counter, "complaint.phone", "F-20261123-001", read)
    shown = privacy.reveal(app, supervisor, "complaint.phone", "F-20261123-001", read)
    assert shown == "13812345678"
    assert audit_rows(app)[-1] == ("S0001", "personal_data.reveal", "F-20261123-001", "K1")
    entries = privacy.audit_log(app, supervisor)
    assert entries[-1].detail == "complaint.phone"
    assert not any("13812345678" in repr(e) for e in entries)
    with pytest.raises(NotPermitted):
        privacy.audit_log(app, counter)


def test_the_daily_purge_runs_once_a_day_whichever_station_asks(
        app: AppContext, any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    add(app, "S0401", "counter")
    with app.write() as session:
        session.execute(update(StaffMember).values(
            enabled=False, disabled_at=MONDAY_10AM - timedelta(days=181),
            photo=b"\x89PNG\r\n\x1a\n", photo_type="image/png"))
    first = privacy.daily_purge(app)
    assert first is not None
    assert first.total == 1
    assert privacy.daily_purge(AppContext(any_engine, "C4")) is None
    assert audit_rows(app)[-1] == ("system", "personal_data.purge", "", "K1")
    at(monkeypatch, 24 * 60)
    assert privacy.daily_purge(AppContext(any_engine, "C4")) is not None


def test_only_a_supervisor_may_purge_or_change_settings_level_things(app: AppContext) -> None:
    add(app, "S0401", "counter")
    add(app, "T01", "technician")
    add(app, "S0001", "supervisor")
    for number, role in (("S0401", "counter"), ("T01", "technician")):
        session = staff_app.login(app, number, PINS[role])
        with pytest.raises(NotPermitted):
            privacy.purge(app, session, dry_run=True)
        assert audit_rows(app)[-1] == (number, "denied", "settings", "K1")
    supervisor = staff_app.login(app, "S0001", PINS["supervisor"])
    assert privacy.purge(app, supervisor, dry_run=True).dry_run
