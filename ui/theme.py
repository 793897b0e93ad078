"""Colours and sizes of the screens, rendered into the Qt style sheet (napari-style).

``resources/styles/kiosk.qss`` is a template: ``{{ name }}`` is replaced by the
:class:`Theme` field of that name (an unknown name is an error, not a blank). Widgets
choose a look with a dynamic property, never with colours of their own:
``button.setProperty("kind", "primary")`` (see docs/ui.md for the list).

Two modes: normal and large text. Large text scales every font and every touch target,
so a customer with poor eyesight gets bigger buttons too. :func:`apply_theme` switches
at run time; Qt re-polishes every widget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

STYLES_DIR = Path(__file__).resolve().parent.parent / "resources" / "styles"
TEMPLATE = STYLES_DIR / "kiosk.qss"
FONT_FAMILY = "WenQuanYi Micro Hei"
LARGE_TEXT_FACTOR = 1.3
MIN_TOUCH_PX = 80  # at 1920x1080: the smallest button or field a finger must hit


@dataclass(frozen=True)
class Theme:
    """Every variable the style sheet template may use. Colours are chosen for contrast
    (text on its background >= 7:1, WCAG AAA) and calm: navy, white, one accent."""

    background: str = "#eef2f6"
    surface: str = "#ffffff"
    text: str = "#14202e"
    text_muted: str = "#3f4d5c"
    border: str = "#a9b6c4"
    primary: str = "#0b4f8a"
    primary_pressed: str = "#073763"
    primary_text: str = "#ffffff"
    secondary_pressed: str = "#d5e1ee"
    danger: str = "#a3211a"
    danger_text: str = "#ffffff"
    info_bg: str = "#e3eefa"
    info_text: str = "#0a3a66"
    success_bg: str = "#e2f3e6"
    success_text: str = "#15522a"
    warning_bg: str = "#fff2db"
    warning_text: str = "#6b3a00"
    error_bg: str = "#fbe5e3"
    error_text: str = "#7d1711"
    disabled_bg: str = "#dfe5eb"
    disabled_text: str = "#4d5966"
    focus: str = "#e08a00"
    overlay: str = "rgba(20, 32, 46, 180)"
    font_family: str = FONT_FAMILY
    font_px: int = 26
    small_px: int = 21
    title_px: int = 40
    number_px: int = 140
    touch_px: int = MIN_TOUCH_PX
    key_px: int = 96
    pad_px: int = 24
    spacing_px: int = 16
    radius_px: int = 12
    border_px: int = 2
    large: bool = False

    def scaled(self, factor: float) -> Theme:
        """Every size times ``factor`` (colours and border width unchanged)."""
        sizes = ("font_px", "small_px", "title_px", "number_px", "touch_px", "key_px",
                 "pad_px", "spacing_px", "radius_px")
        return replace(self, **{name: round(getattr(self, name) * factor) for name in sizes})


NORMAL = Theme()
LARGE = replace(NORMAL.scaled(LARGE_TEXT_FACTOR), large=True)

_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def render_qss(theme: Theme, template: str | None = None) -> str:
    """The style sheet for ``theme``; an unknown ``{{ name }}`` raises ``KeyError``."""
    text = TEMPLATE.read_text(encoding="utf-8") if template is None else template
    values = {f.name: getattr(theme, f.name) for f in fields(theme)}

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"style sheet variable {{{{ {name} }}}} is not a Theme field")
        return str(values[name])

    return _VARIABLE.sub(value, _COMMENT.sub("", text))


class ThemeSignals(QObject):
    """``changed(Theme)`` after :func:`apply_theme`, for code that sizes things itself."""

    changed = Signal(object)


_signals: ThemeSignals | None = None
_current: Theme = NORMAL


def signals() -> ThemeSignals:
    global _signals
    if _signals is None:
        _signals = ThemeSignals()
    return _signals


def current_theme() -> Theme:
    return _current


def is_large_text() -> bool:
    return _current.large


def apply_theme(large: bool = False, app: QApplication | None = None) -> Theme:
    """Style the whole application in normal or large-text mode (at run time too)."""
    global _current
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        raise RuntimeError("apply_theme needs a QApplication")
    theme = LARGE if large else NORMAL
    font = QFont(theme.font_family)
    font.setPixelSize(theme.font_px)
    app.setFont(font)
    app.setStyleSheet(render_qss(theme))
    _current = theme
    signals().changed.emit(theme)
    return theme
