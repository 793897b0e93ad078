"""Languages: every tr() string has Chinese, the build names what is missing, and a
language switch re-translates live widgets without a restart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.errors import RuleRefused
from ui import i18n
from ui.tasks import Failure
from ui.widgets import PageHeader, PinPad


def test_every_tr_string_in_ui_has_a_zh_cn_translation(tmp_path: Path) -> None:
    result = i18n.build(out_dir=tmp_path)  # raises MissingTranslations naming each one
    messages = ET.parse(result.ts).getroot().iter("message")
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation") is not None
                  and m.find("translation").get("type") == "unfinished"]
    assert result.translated >= 10
    assert unfinished == []
    assert result.qm.stat().st_size > 0


def test_build_fails_naming_every_untranslated_string(tmp_path: Path) -> None:
    source = tmp_path / "screen.py"
    source.write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "class Welcome(QWidget):\n"
        "    def retranslate(self):\n"
        "        self.tr('Take a ticket')\n"
        "        self.tr('Service information')\n"
        "        self.tr('Back')\n", encoding="utf-8")
    catalogue = tmp_path / "zh.toml"
    catalogue.write_text('["*"]\n"Back" = "返回"\n', encoding="utf-8")
    with pytest.raises(i18n.MissingTranslations) as caught:
        i18n.build(sources=[source], catalogue_files=[catalogue], out_dir=tmp_path / "out")
    assert caught.value.missing == [("Welcome", "Take a ticket"),
                                    ("Welcome", "Service information")]
    assert "Take a ticket" in str(caught.value)
    assert "Service information" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_context_table_wins_over_the_any_table_and_clashes_are_refused(
        tmp_path: Path) -> None:
    source = tmp_path / "screen.py"
    source.write_text(
        "from PySide6.QtWidgets import QWidget\n"
        "class Counter(QWidget):\n"
        "    def retranslate(self):\n"
        "        self.tr('Open')\n"
        "class Door(QWidget):\n"
        "    def retranslate(self):\n"
        "        self.tr('Open')\n", encoding="utf-8")
    catalogue = tmp_path / "zh.toml"
    catalogue.write_text('["*"]\n"Open" = "打开"\n[Counter]\n"Open" = "开始办公"\n',
                         encoding="utf-8")
    result = i18n.build(sources=[source], catalogue_files=[catalogue], out_dir=tmp_path)
    pairs = {(c.findtext("name"), m.findtext("translation"))
             for c in ET.parse(result.ts).getroot().iter("context") for m in c.iter("message")}
    assert pairs == {("Counter", "开始办公"), ("Door", "打开")}
    other = tmp_path / "other.toml"
    other.write_text('["*"]\n"Open" = "开"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="translated twice"):
        i18n.load_catalogue([catalogue, other])


def test_the_build_command_exits_1_listing_missing_strings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "catalogue"
    empty.mkdir()
    monkeypatch.setattr(i18n, "CATALOGUE_DIR", empty)
    assert i18n.main(["check"]) == 1
    err = capsys.readouterr().err
    assert "[PageHeader] 'Back'" in err
    assert "[PinPad] 'Digit %1'" in err
    assert "without a zh_CN translation" in err


def test_switching_language_retranslates_live_widgets(qtbot: QtBot) -> None:
    header = PageHeader()
    pad = PinPad()
    qtbot.add_widget(header)
    qtbot.add_widget(pad)
    assert header.back_button.text() == "返回"
    assert header.home_button.text() == "首页"
    assert pad.ok_button.text() == "确定"
    assert i18n.set_language("en") == "en"
    assert header.back_button.text() == "Back"
    assert header.home_button.accessibleName() == "Home"
    assert pad.ok_button.text() == "OK"
    assert pad.digit_buttons["7"].accessibleName() == "Digit 7"
    i18n.set_language("zh_CN")
    assert header.back_button.text() == "返回"
    assert pad.digit_buttons["7"].accessibleName() == "数字 7"


def test_a_kiosk_error_speaks_the_current_language() -> None:
    failure = Failure(RuleRefused("今日号码已取完", "no more tickets today"))
    assert failure.message() == "今日号码已取完"
    i18n.set_language("en")
    assert i18n.error_language() == "en"
    assert failure.message() == "no more tickets today"


def test_unknown_language_falls_back_to_chinese() -> None:
    i18n.set_language("en")
    assert i18n.set_language("fr") == "zh_CN"
    assert i18n.current_language() == "zh_CN"
