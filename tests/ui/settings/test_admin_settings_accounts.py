"""The staff accounts, claim checklists and stations pages through real widgets: an
account added, its PIN reset and disabled (PINs never on screen), refusals by their
field; a catalogue file refused naming its line, a new version imported; the stations'
devices shown read-only. Every change audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.app.admin import catalogue_versions
from kiosk.app.staff import StaffView
from kiosk.claims.catalogue import shipped_text
from kiosk.devices import health
from kiosk.staff.accounts import LoginRefused
from tests.staff_support import add
from tests.ui.admin_support import admin_window, session
from tests.ui.settings_support import (
    LEFT,
    SUPERVISOR,
    audit_details,
    save,
    settings_page,
    wait_loaded,
)
from ui.tasks import Failure


def screen_text(page: object) -> str:
    """Every label's and field's text on the page (what anyone could read off it)."""
    texts = [w.text() for w in page.findChildren(QLabel)]  # type: ignore[attr-defined]
    texts += [w.text() for w in page.findChildren(QLineEdit)  # type: ignore[attr-defined]
              if w.echoMode() == QLineEdit.EchoMode.Normal]
    return "\n".join(texts)


def act(qtbot: QtBot, page: object, button: object) -> object:
    """Touch an action button of the staff page; the result or the failure."""
    outcome: list[object] = []
    page.saved.connect(outcome.append)  # type: ignore[attr-defined]
    page.refused.connect(outcome.append)  # type: ignore[attr-defined]
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    qtbot.waitUntil(lambda: page.task is None, timeout=60_000)  # type: ignore[attr-defined]
    return outcome[0]


def test_staff_page_adds_resets_a_pin_and_disables_an_account(
        qtbot: QtBot, app: AppContext) -> None:
    add(app, "S0101", "counter", "李柜员")
    with settings_page(qtbot, app, "settings-staff") as page:
        rows = [b.text() for b in page.picker.buttons]
        assert "S0101 李柜员 · 柜员" in rows
        assert f"{SUPERVISOR} 王主管 · 主管" in rows

        qtbot.mouseClick(page.new_button, LEFT)
        page.number.setText("S0102")
        page.person.setText("赵柜员")
        page.pin.setText("1357")
        page.pin_again.setText("1358")
        qtbot.mouseClick(page.add_button, LEFT)   # the two PINs differ: checked here
        assert page.error_label("staff.pin").text() == "两次输入的密码不一致，请重新输入。"
        assert page.pin.text() == ""
        page.pin.setText("1234")
        page.pin_again.setText("1234")
        refused = act(qtbot, page, page.add_button)   # a PIN too easy to guess
        assert isinstance(refused, Failure)
        assert refused.error.code == "weak_pin"  # type: ignore[attr-defined]
        assert page.error_label("staff.pin").isVisible()
        assert page.pin.text() == ""
        page.pin.setText("1357")
        page.pin_again.setText("1357")
        added = act(qtbot, page, page.add_button)
        assert isinstance(added, StaffView)
        assert page.title.text() == "S0102 赵柜员"
        assert staff_app.login(app, "S0102", "1357").role == "counter"
        assert "1357" not in screen_text(page)

        # a new PIN for S0101, then disabled: it cannot log in
        qtbot.mouseClick(page.picker.buttons[[b.text() for b in page.picker.buttons]
                                             .index("S0101 李柜员 · 柜员")], LEFT)
        page.pin.setText("8642")
        page.pin_again.setText("8642")
        act(qtbot, page, page.pin_button)
        assert staff_app.login(app, "S0101", "8642").number == "S0101"
        assert page.enable_button.text() == "停用"
        act(qtbot, page, page.enable_button)
        assert page.enable_button.text() == "启用"
        assert "S0101 李柜员 · 柜员 · 已停用" in [b.text() for b in page.picker.buttons]
        with pytest.raises(LoginRefused):
            staff_app.login(app, "S0101", "8642")
        # S0102 becomes a technician
        qtbot.mouseClick(page.picker.buttons[[b.text() for b in page.picker.buttons]
                                             .index("S0102 赵柜员 · 柜员")], LEFT)
        page.role.setCurrentIndex(2)
        act(qtbot, page, page.role_button)
        assert "S0102 赵柜员 · 技术员" in [b.text() for b in page.picker.buttons]
        assert audit_details(app, "staff.role") == [(SUPERVISOR, "counter -> technician")]
        actions = {a: detail for a in ("staff.add", "staff.reset_pin", "staff.disable")
                   for _, detail in audit_details(app, a)}
        assert set(actions) == {"staff.add", "staff.reset_pin", "staff.disable"}
        assert all("8642" not in d and "1357" not in d for d in actions.values())
        assert [who for who, _ in audit_details(app, "staff.reset_pin")] == [SUPERVISOR]


def test_claim_checklists_page_names_the_line_of_a_bad_file_and_imports_a_version(
        qtbot: QtBot, app: AppContext, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(shipped_text().replace('name_zh = "理赔申请书"', 'name_zh = 5', 1),
                   encoding="utf-8")
    good = tmp_path / "claims-2027.toml"
    good.write_text(shipped_text().replace('version = "2026.1"', 'version = "2027.1"'),
                    encoding="utf-8")
    line = shipped_text().splitlines().index('name_zh = "理赔申请书"') + 1
    with settings_page(qtbot, app, "settings-claims") as page:
        assert page.versions.row_texts()[0][0] == "2026.1"
        assert page.versions.row_texts()[0][3] == "使用中"
        assert page.types.row_texts()
        page.path.setText(str(bad))
        refused = save(qtbot, page)
        assert isinstance(refused, Failure)
        label = page.error_label("catalogue.file")
        assert label.isVisible()
        assert f"{bad}" in label.text()
        assert f"第 {line} 行" in label.text()
        assert [v.version for v in catalogue_versions(app).versions] == ["2026.1"]

        page.path.setText(str(good))
        assert save(qtbot, page).version == "2027.1"  # type: ignore[attr-defined]
        assert [r[0] for r in page.versions.row_texts()] == ["2027.1", "2026.1"]
        assert page.versions.row_texts()[0][3] == "使用中"
        assert audit_details(app, "settings.claim_catalogue") == [
            (SUPERVISOR, f"{good}: {len(page.types.row_texts())} claim types")]


def test_stations_page_shows_devices_read_only_to_a_technician(
        qtbot: QtBot, app: AppContext) -> None:
    from kiosk.app.printer import set_printer

    set_printer(AppContext(app.engine, "K1"), "/dev/ttyUSB0")
    health.record_health(app.engine, "K1", "printer", "problem",
                         ("缺纸", "out of paper"), "")
    add(app, "T0001", "technician", "钱技术员")
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session("technician", "T0001", "钱技术员"))
        # of the settings pages a technician reaches only the stations (read-only)
        assert [k for k in window.desk.keys if k.startswith("settings-")] == [
            "settings-stations"]
        window.desk.open("settings-stations")
        page = window.desk.page("settings-stations")
        wait_loaded(qtbot, page)
        [station] = page.stations.row_texts()
        assert station[0] == "K1"
        assert station[1].startswith("/dev/ttyUSB0")
        [device] = page.health.row_texts()
        assert device[:4] == ["K1", "小票打印机", "故障", "缺纸"]
        assert page.health.row_levels() == ["error"]
        assert not page.save_button.isVisible()


def test_logging_out_forgets_typed_pins_and_fields(qtbot: QtBot, app: AppContext) -> None:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session(), page="settings-staff")
        page = window.desk.page("settings-staff")
        wait_loaded(qtbot, page)
        page.number.setText("S0777")
        page.pin.setText("9753")
        page.pin_again.setText("9753")
        hours = window.desk.page("settings-hours")
        window.desk.open("settings-hours")
        wait_loaded(qtbot, hours)
        hours.opens["mon"].setText("07:00")
        window.logout()
        assert page.pin.text() == ""
        assert page.pin_again.text() == ""
        assert page.number.text() == ""
        assert hours.view is None
