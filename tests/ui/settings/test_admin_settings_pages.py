"""The branch, hours and calendar settings pages through real widgets: load, edit,
save, a refused value shown next to its field in the user's language (nothing
written), the audit entry."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.admin_settings import SettingsSaved
from tests.ui.settings_support import (
    LEFT,
    SUPERVISOR,
    audit_details,
    save,
    settings_page,
    stored,
)
from ui import i18n
from ui.tasks import Failure


def test_hours_page_loads_saves_and_refuses_a_closing_time_before_opening(
        qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-hours") as page:
        assert page.opens["mon"].text() == "08:30"
        assert page.closes["mon"].text() == "17:30"
        assert page.open["sat"].isChecked()
        assert not page.open["sun"].isChecked()
        assert not page.opens["sun"].isEnabled()

        page.closes["mon"].setText("18:00")
        page.open["sun"].setChecked(True)
        page.opens["sun"].setText("10:00")
        page.closes["sun"].setText("12:00")
        result = save(qtbot, page)
        assert isinstance(result, SettingsSaved)
        assert stored(app).hours["mon"] == "08:30-18:00"
        assert stored(app).hours["sun"] == "10:00-12:00"
        assert audit_details(app, "settings.hours") == [
            (SUPERVISOR, 'hours.mon: "08:30-17:30" -> "08:30-18:00"\n'
                         'hours.sun: - -> "10:00-12:00"')]

        page.opens["tue"].setText("18:00")
        page.closes["tue"].setText("09:00")
        page.open["sat"].setChecked(False)
        refused = save(qtbot, page)
        assert isinstance(refused, Failure)
        label = page.error_label("hours.tue")
        assert label.isVisible()
        assert label.text() == "营业时间应为 HH:MM-HH:MM，且关门晚于开门：18:00-09:00"
        assert not page.error_label("hours.mon").isVisible()
        assert page.problem.text() == "未保存：请查看标出的项目。"
        i18n.set_language("en")
        assert "closing time is not after opening time" in label.text()
        assert page.problem.text() == "Not saved: see the marked field."
        # nothing of the refused save was written, Saturday included
        assert stored(app).hours["sat"] == "09:00-12:00"
        assert stored(app).hours["tue"] == "08:30-17:30"
        assert len(audit_details(app, "settings.hours")) == 1


def test_branch_page_saves_names_and_refuses_an_unknown_time_zone(
        qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-branch") as page:
        assert page.branch_id.text() == "BR0001"
        assert page.fields["timezone"].text() == "Asia/Shanghai"
        page.fields["name_zh"].setText("人民路客户服务中心")
        page.fields["timezone"].setText("Asia/Nowhere")
        refused = save(qtbot, page)
        assert isinstance(refused, Failure)
        assert page.error_label("branch.timezone").text() == "未知时区 Asia/Nowhere"
        assert stored(app).identity.name_zh == "客户服务中心"

        page.fields["timezone"].setText("Asia/Shanghai")
        assert isinstance(save(qtbot, page), SettingsSaved)
        assert not page.error_label("branch.timezone").isVisible()
        assert stored(app).identity.name_zh == "人民路客户服务中心"
        assert audit_details(app, "settings.branch") == [
            (SUPERVISOR, 'branch.name_zh: "客户服务中心" -> "人民路客户服务中心"')]
        # an empty name is refused by the same validator as a settings file
        page.fields["name_en"].setText("  ")
        save(qtbot, page)
        assert page.error_label("branch.name_en").text() == "不能为空"


def test_calendar_page_adds_and_removes_dates_and_refuses_a_date_listed_twice(
        qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-calendar") as page:
        assert page.national.isChecked()
        assert page.holidays.dates == []
        assert page.holidays.empty.isVisible()
        for text in ("2027-02-10", "2027-02-11"):
            page.holidays.field.setText(text)
            qtbot.mouseClick(page.holidays.add_button, LEFT)
        page.workdays.field.setText("2027-02-07")
        qtbot.mouseClick(page.workdays.add_button, LEFT)
        assert isinstance(save(qtbot, page), SettingsSaved)
        assert stored(app).holidays == ("2027-02-10", "2027-02-11")
        assert stored(app).workdays == ("2027-02-07",)
        [(who, detail)] = audit_details(app, "settings.calendar")
        assert who == SUPERVISOR
        assert 'calendar.workdays: [] -> ["2027-02-07"]' in detail

        # the same date as a holiday and a make-up day: refused under the lists
        page.workdays.field.setText("2027-02-10")
        qtbot.mouseClick(page.workdays.add_button, LEFT)
        save(qtbot, page)
        assert page.error_label("calendar").isVisible()
        assert "2027-02-10" in page.error_label("calendar").text()
        assert stored(app).workdays == ("2027-02-07",)

        # a typed date that is none: refused under its list
        page.workdays.remove("2027-02-10")
        page.holidays.field.setText("2027-02-30")
        qtbot.mouseClick(page.holidays.add_button, LEFT)
        save(qtbot, page)
        assert page.error_label("calendar.holidays").text() == "日期错误 2027-02-30"

        # touching a date removes it; saved
        page.holidays.remove("2027-02-30")
        button = page.holidays.findChild(type(page.save_button), "calendar-holidays-2027-02-11")
        qtbot.mouseClick(button, LEFT)
        assert page.holidays.dates == ["2027-02-10"]
        assert isinstance(save(qtbot, page), SettingsSaved)
        assert stored(app).holidays == ("2027-02-10",)
        assert len(audit_details(app, "settings.calendar")) == 2
