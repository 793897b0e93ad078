"""The services, counters, retention and language settings pages through real widgets:
load, edit, save, a refused value shown next to its field in the user's language
(nothing written), the audit entry."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.admin_settings import SettingsSaved
from kiosk.queue.lobby import Lobby
from tests.ui.admin_support import session
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


def test_services_page_edits_one_service_adds_one_and_refuses_a_bad_cap(
        qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-services") as page:
        assert page.picker.buttons[0].text() == "A 咨询查询"
        assert page.fields["code"].isReadOnly()
        claims = [s.code for s in page.rows].index("claims")
        qtbot.mouseClick(page.picker.buttons[claims], LEFT)
        assert page.fields["prefix"].text() == "D"
        page.fields["daily_cap"].setText("120")
        page.enabled.setChecked(False)
        qtbot.mouseClick(page.picker.buttons[0], LEFT)   # the edits are kept meanwhile
        page.fields["name_zh"].setText("咨询")
        result = save(qtbot, page)
        assert isinstance(result, SettingsSaved)
        services = {s.code: s for s in stored(app).services}
        assert services["claims"].daily_cap == 120
        assert services["claims"].enabled is False
        assert services["enquiry"].name_zh == "咨询"
        assert page.picker.buttons[claims].text() == "D 理赔 · 已停用"
        [(who, detail)] = audit_details(app, "settings.services")
        assert who == SUPERVISOR
        assert "services.claims.daily_cap: " in detail
        assert "services.claims.enabled: true -> false" in detail

        # a new service with a cap that is no number: refused by its field, on its row
        qtbot.mouseClick(page.add_button, LEFT)
        assert not page.fields["code"].isReadOnly()
        for key, text in (("code", "pensions"), ("prefix", "P"), ("name_zh", "养老金"),
                          ("name_en", "Pensions"), ("daily_cap", "lots")):
            page.fields[key].setText(text)
        qtbot.mouseClick(page.picker.buttons[0], LEFT)  # away from the new row
        refused = save(qtbot, page)
        assert isinstance(refused, Failure)
        assert page.picker.current == len(page.rows) - 1  # the page went back to it
        label = page.error_label("service.daily_cap")
        assert label.isVisible()
        assert label.text() == "应为 int"
        i18n.set_language("en")
        assert label.text() == "expected int, got 'lots'"
        assert "pensions" not in {s.code for s in stored(app).services}

        page.fields["daily_cap"].setText("50")
        assert isinstance(save(qtbot, page), SettingsSaved)
        added = {s.code: s for s in stored(app).services}["pensions"]
        assert (added.prefix, added.daily_cap, added.enabled) == ("P", 50, True)
        assert page.fields["code"].isReadOnly()  # stored now: its code is fixed


def test_counters_page_ticks_services_adds_and_removes_counters(
        qtbot: QtBot, app: AppContext) -> None:
    with app.write() as db:
        Lobby(db).open_counter(2, "S0201")
    with settings_page(qtbot, app, "settings-counters") as page:
        assert page.picker.buttons[0].text() == "1 号窗口 · 关闭"
        assert page.picker.buttons[1].text() == "2 号窗口 · 营业中"
        before = stored(app).counters[0].services
        assert [c for c, box in page.boxes.items() if box.isChecked()] == sorted(
            before, key=list(page.boxes).index)
        untick = before[0]
        page.boxes[untick].setChecked(False)
        page.boxes["vip"].setChecked(True)
        page.new_number.setText("12")
        qtbot.mouseClick(page.add_button, LEFT)
        assert page.picker.current == len(page.rows) - 1
        page.boxes["enquiry"].setChecked(True)
        assert isinstance(save(qtbot, page), SettingsSaved)
        counters = {c.number: c for c in stored(app).counters}
        assert counters[1].services == (*before[1:], "vip")
        assert counters[12].services == ("enquiry",)
        detail = audit_details(app, "settings.counters")[0][1]
        assert "counters.12.services: - -> [\"enquiry\"]" in detail

        # an open counter cannot be removed; a closed one can
        qtbot.mouseClick(page.picker.buttons[1], LEFT)
        assert not page.remove_button.isEnabled()
        twelve = [c.number for c in page.rows].index(12)
        qtbot.mouseClick(page.picker.buttons[twelve], LEFT)
        qtbot.mouseClick(page.remove_button, LEFT)
        assert 12 not in [c.number for c in page.rows]

        # a counter serving nothing is refused under its services
        qtbot.mouseClick(page.picker.buttons[0], LEFT)
        for box in page.boxes.values():
            box.setChecked(False)
        refused = save(qtbot, page)
        assert isinstance(refused, Failure)
        assert page.error_label("counter.services").text() == "至少需要一项服务"
        assert 12 in {c.number for c in stored(app).counters}  # nothing written


def test_retention_page_saves_days_and_refuses_zero(qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-retention") as page:
        assert page.days.text() == "180"
        page.days.setText("0")
        save(qtbot, page)
        label = page.error_label("settings.personal_data_retention_days")
        assert label.isVisible()
        assert label.text() == "至少为 1"
        assert stored(app).values["personal_data_retention_days"] == 180
        page.days.setText("90")
        assert isinstance(save(qtbot, page), SettingsSaved)
        assert stored(app).values["personal_data_retention_days"] == 90
        assert audit_details(app, "settings.values") == [
            (SUPERVISOR, "settings.personal_data_retention_days: 180 -> 90")]


def test_language_page_saves_the_defaults_and_refuses_a_too_long_area(
        qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-language") as page:
        assert page.start_language.currentIndex() == 0
        assert page.voice.currentText() == "先中文，后英文"
        page.start_language.setCurrentIndex(1)
        page.voice.setCurrentIndex(3)
        page.area_zh.setText("二楼" * 30)
        save(qtbot, page)
        assert page.error_label("settings.wait_area_zh").text() == \
            "不能超过 40 个字符（现有 60 个）"
        assert stored(app).values["screen_language"] == "zh_CN"
        page.area_zh.setText("二楼等候区")
        assert isinstance(save(qtbot, page), SettingsSaved)
        values = stored(app).values
        assert values["screen_language"] == "en"
        assert values["voice_languages"] == ["en"]
        assert values["wait_area_zh"] == "二楼等候区"
        [(_, detail)] = audit_details(app, "settings.values")
        assert 'settings.screen_language: "zh_CN" -> "en"' in detail


def test_kiosk_run_starts_in_the_branchs_screen_language(
        app: AppContext, sqlite_url: str, tmp_path: object,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app.admin_settings import language_defaults, save_values
    from kiosk.cli import Context
    from ui import cli

    ctx = Context(sqlite_url, station="K1")
    assert cli.branch_language(ctx) == "zh_CN"
    save_values(app, session(), {"screen_language": "en", "voice_languages": ["en", "zh"]})
    assert language_defaults(app).voice_languages == ("en", "zh")
    assert cli.branch_language(Context(sqlite_url, station="K1")) == "en"
    # a database that cannot be opened: the screen starts in Chinese and says why itself
    assert cli.branch_language(Context(f"sqlite:///{tmp_path}/no/such/dir/x.db")) == "zh_CN"
    # the customer screen's reset returns to the language set at start-up
    monkeypatch.setattr(i18n, "DEFAULT_LANGUAGE", i18n.DEFAULT_LANGUAGE)
    assert i18n.set_default_language("en") == "en"
    assert i18n.DEFAULT_LANGUAGE == "en"


def test_rules_page_saves_deadlines_and_notices_and_refuses_an_out_of_range_volume(
        qtbot: QtBot, app: AppContext) -> None:
    with settings_page(qtbot, app, "settings-rules") as page:
        assert page.inputs["complaint_decision_days"].text() == "15"
        assert page.inputs["ticket_notice_zh"].toPlainText() == \
            "请留意叫号屏幕和语音提示\n过号需重新取号"
        page.inputs["voice_volume"].setText("150")
        page.inputs["complaint_complex_decision_days"].setText("45")
        save(qtbot, page)
        label = page.error_label("settings.voice_volume")
        assert label.text() == "应在 0 到 100 之间"
        assert stored(app).values["complaint_complex_decision_days"] == 30
        page.inputs["voice_volume"].setText("60")
        page.inputs["ticket_notice_zh"].setPlainText("请留意叫号\n过号需重新取号\n谢谢")
        page.inputs["claims_fast_lane"].setChecked(True)
        assert isinstance(save(qtbot, page), SettingsSaved)
        values = stored(app).values
        assert values["voice_volume"] == 60
        assert values["complaint_complex_decision_days"] == 45
        assert values["ticket_notice_zh"] == ["请留意叫号", "过号需重新取号", "谢谢"]
        assert values["claims_fast_lane"] is True
        [(_, detail)] = audit_details(app, "settings.values")
        assert detail.splitlines() == [
            "settings.claims_fast_lane: false -> true",
            "settings.complaint_complex_decision_days: 30 -> 45",
            'settings.ticket_notice_zh: ["请留意叫号屏幕和语音提示", "过号需重新取号"] -> '
            '["请留意叫号", "过号需重新取号", "谢谢"]',
            "settings.voice_volume: 80 -> 60"]


def test_every_branch_setting_has_a_field_on_a_settings_page() -> None:
    from kiosk.branch.values import SETTING_TYPES
    from ui.admin.settings_rules import GROUPS

    on_pages = {key for _, keys in GROUPS for key in keys} | {
        "national_calendar", "personal_data_retention_days", "screen_language",
        "voice_languages", "wait_area_zh", "wait_area_en"}
    assert on_pages == set(SETTING_TYPES)
