"""Theme: the style sheet is rendered from the theme variables, touch targets are at
least 80 px, large text scales text and targets, and the CJK font is there."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui import theme
from ui.widgets import PageHeader, PinPad, TouchButton


def test_every_template_variable_is_a_theme_field_and_all_are_replaced() -> None:
    qss = theme.render_qss(theme.NORMAL)
    assert "{{" not in qss
    assert "}}" not in qss
    assert f"min-height: {theme.MIN_TOUCH_PX}px" in qss
    assert theme.NORMAL.primary in qss


def test_an_unknown_variable_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError, match="colour_of_money"):
        theme.render_qss(theme.NORMAL, "QWidget { color: {{ colour_of_money }}; }")


def test_large_text_scales_text_and_touch_targets() -> None:
    assert theme.LARGE.font_px > theme.NORMAL.font_px
    assert theme.LARGE.touch_px > theme.NORMAL.touch_px >= 80
    assert theme.LARGE.large
    assert not theme.NORMAL.large
    assert theme.LARGE.primary == theme.NORMAL.primary


def _form(qtbot: QtBot) -> tuple[QWidget, TouchButton, QLineEdit]:
    form = QWidget()
    layout = QVBoxLayout(form)
    button, field = TouchButton("OK"), QLineEdit()
    layout.addWidget(button)
    layout.addWidget(field)
    layout.addStretch(1)
    qtbot.add_widget(form)
    form.resize(1920, 1080)
    form.show()
    qtbot.wait_exposed(form)
    return form, button, field


def test_buttons_and_fields_are_at_least_80_px_and_grow_with_large_text(qtbot: QtBot) -> None:
    form, button, field = _form(qtbot)
    assert button.height() >= 80
    assert button.width() >= 80
    assert field.height() >= 80
    normal_font = button.fontInfo().pixelSize()
    theme.apply_theme(large=True)
    qtbot.wait_until(lambda: button.height() >= theme.LARGE.touch_px)
    assert field.height() >= theme.LARGE.touch_px
    assert button.fontInfo().pixelSize() > normal_font
    assert theme.is_large_text()
    theme.apply_theme(large=False)
    qtbot.wait_until(lambda: button.height() < theme.LARGE.touch_px)
    assert button.height() >= 80


def test_common_widgets_meet_the_touch_minimum(qtbot: QtBot) -> None:
    holder = QWidget()
    layout = QVBoxLayout(holder)
    header, pad = PageHeader("取号"), PinPad()
    layout.addWidget(header)
    layout.addWidget(pad)
    qtbot.add_widget(holder)
    holder.resize(1920, 1080)
    holder.show()
    qtbot.wait_exposed(holder)
    buttons = holder.findChildren(TouchButton)
    assert len(buttons) == 2 + 13
    small = [(b.objectName(), b.size().toTuple()) for b in buttons
             if b.isVisible() and (b.width() < 80 or b.height() < 80)]
    assert small == []


def test_the_cjk_font_is_installed_and_covers_chinese() -> None:
    assert theme.FONT_FAMILY in QFontDatabase.families()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(
        theme.FONT_FAMILY)
