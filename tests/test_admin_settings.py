"""The settings pages' use cases on both backends: a save goes through the same
validator as ``kiosk settings import``, refuses naming the field, writes nothing when
refused, is audited with before/after, and checks the supervisor's permission."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select

from kiosk.app import AppContext
from kiosk.app import admin_settings as settings_app
from kiosk.app.admin import export_settings
from kiosk.app.admin_settings import BranchIdentity, CounterSetting
from kiosk.branch.settings import FieldProblem, parse_config
from kiosk.errors import RuleRefused
from kiosk.models import AuditEntry, Branch, OpeningHours, Service
from kiosk.staff.permissions import NotPermitted, StaffSession
from tests.conftest import MONDAY_10AM
from tests.staff_support import add, at

SUPERVISOR = "S9001"


@pytest.fixture
def app(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)
    context = AppContext(any_engine, "ADMIN")
    add(context, SUPERVISOR, "supervisor", "王主管")
    add(context, "S0101", "counter")
    return context


def staff(number: str = SUPERVISOR, role: str = "supervisor") -> StaffSession:
    return StaffSession(number=number, name="", role=role, station="ADMIN",
                        started_at=MONDAY_10AM)


def audit(app: AppContext, action: str) -> list[AuditEntry]:
    with app.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                    .order_by(AuditEntry.id)))


def test_load_shows_every_section_with_the_defaults(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    assert view.identity.timezone == "Asia/Shanghai"
    assert view.hours["mon"] == "08:30-17:30"
    assert view.values["personal_data_retention_days"] == 180
    assert [s.code for s in view.services][:2] == ["enquiry", "new_business"]
    assert {c.number: c.status for c in view.counters}[1] == "closed"
    # what the pages show is the settings file itself: it validates as an import would
    parse_config(export_settings(app).toml, "export")


def test_hours_saved_are_written_audited_with_before_and_after(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    hours = dict(view.hours, sat="09:00-13:00", sun="10:00-12:00", fri="")
    saved = settings_app.save_hours(app, staff(), hours, rev=view.rev)
    assert saved.changes == ('hours.fri: "08:30-17:30" -> -',
                             'hours.sat: "09:00-12:00" -> "09:00-13:00"',
                             'hours.sun: - -> "10:00-12:00"')
    assert saved.rev == view.rev + 1
    after = settings_app.load_settings(app, staff())
    assert after.hours["sat"] == "09:00-13:00"
    assert "fri" not in after.hours
    [entry] = audit(app, "settings.hours")
    assert entry.staff == SUPERVISOR
    assert entry.station == "ADMIN"
    assert entry.detail == "\n".join(saved.changes)
    # the same values again change nothing and write nothing
    again = settings_app.save_hours(app, staff(), hours, rev=after.rev)
    assert again.changes == ()
    assert again.rev == after.rev
    assert len(audit(app, "settings.hours")) == 1


def test_a_refused_value_names_its_field_and_nothing_is_written(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    with pytest.raises(FieldProblem) as refused:
        settings_app.save_hours(app, staff(), dict(view.hours, mon="18:00-09:00",
                                                   tue="09:00-12:00"))
    assert refused.value.where == "hours.mon"
    assert "closing time is not after opening time" in refused.value.problem("en")
    assert refused.value.problem("zh") == (
        "营业时间应为 HH:MM-HH:MM，且关门晚于开门：18:00-09:00")
    with app.read() as session:
        assert session.scalar(select(func.count()).select_from(OpeningHours).where(
            OpeningHours.weekday == 1, OpeningHours.closes == OpeningHours.opens)) == 0
        assert session.scalar(select(Branch.settings_rev)) == view.rev
    assert settings_app.load_settings(app, staff()).hours == view.hours
    assert audit(app, "settings.hours") == []


def test_services_refused_on_one_row_leave_every_row_as_it_was(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    edited = list(view.services)
    edited[0] = replace(edited[0], name_zh="咨询", daily_cap="150")
    edited[2] = replace(edited[2], daily_cap="lots")
    with pytest.raises(FieldProblem) as refused:
        settings_app.save_services(app, staff(), edited)
    assert refused.value.where == "services[2].daily_cap"
    assert refused.value.problem("en") == "expected int, got 'lots'"
    with app.read() as session:
        assert session.scalar(select(Service.name_zh).where(Service.code == "enquiry")) \
            == view.services[0].name_zh
    edited[2] = view.services[2]
    saved = settings_app.save_services(app, staff(), edited)
    assert set(saved.changes) == {"services.enquiry.daily_cap: 200 -> 150"
                                  .replace("200", str(view.services[0].daily_cap)),
                                  f"services.enquiry.name_zh: \"{view.services[0].name_zh}\""
                                  " -> \"咨询\""}


def test_calendar_holiday_and_make_up_day_cannot_be_the_same_date(app: AppContext) -> None:
    with pytest.raises(FieldProblem) as refused:
        settings_app.save_calendar(app, staff(), ["2027-02-10"], ["2027-02-10"], True)
    assert refused.value.where == "calendar"
    saved = settings_app.save_calendar(app, staff(), ["2027-02-10", "2027-02-11"],
                                       ["2027-02-07"], False)
    view = settings_app.load_settings(app, staff())
    assert view.holidays == ("2027-02-10", "2027-02-11")
    assert view.workdays == ("2027-02-07",)
    assert view.values["national_calendar"] is False
    assert "settings.national_calendar: true -> false" in saved.changes


def test_branch_identity_and_single_values(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    with pytest.raises(FieldProblem) as refused:
        settings_app.save_branch(app, staff(), replace(view.identity, timezone="Mars/Base"))
    assert refused.value.where == "branch.timezone"
    settings_app.save_branch(app, staff(), replace(view.identity, hotline="95500"))
    assert settings_app.load_settings(app, staff()).identity.hotline == "95500"
    with pytest.raises(FieldProblem) as zero:
        settings_app.save_values(app, staff(), {"personal_data_retention_days": "0"})
    assert zero.value.where == "settings.personal_data_retention_days"
    assert zero.value.problem("en") == "must be at least 1"
    settings_app.save_values(app, staff(), {"personal_data_retention_days": "365"})
    assert settings_app.load_settings(app, staff()).values[
        "personal_data_retention_days"] == 365
    [entry] = audit(app, "settings.values")
    assert entry.detail == "settings.personal_data_retention_days: 180 -> 365"


def test_counters_refuse_an_unknown_service(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    counters = [*view.counters, CounterSetting(12, ("enquiry", "nothing"))]
    with pytest.raises(FieldProblem) as refused:
        settings_app.save_counters(app, staff(), counters)
    assert refused.value.where == f"counters[{len(view.counters)}].services"
    counters[-1] = CounterSetting("12", ("enquiry",))
    settings_app.save_counters(app, staff(), counters)
    assert settings_app.load_settings(app, staff()).counters[-1].number == 12


def test_a_stale_page_is_refused_and_other_roles_may_not_save(app: AppContext) -> None:
    view = settings_app.load_settings(app, staff())
    settings_app.save_values(app, staff(), {"recall_limit": 3})
    with pytest.raises(RuleRefused) as stale:
        settings_app.save_branch(app, staff(), BranchIdentity(
            "新名", "New", "", "", "Asia/Shanghai"), rev=view.rev)
    assert stale.value.code == "settings_changed"
    with pytest.raises(NotPermitted):
        settings_app.save_values(app, staff("S0101", "counter"), {"recall_limit": 1})
    with pytest.raises(NotPermitted):
        settings_app.load_settings(app, staff("S0101", "counter"))
