"""The display's look: dark, high contrast, sized for reading across a lobby.

A lobby screen is read from ten metres, on 1920x1080, 1080x1920 or 3840x2160, and
nobody touches it. Its sizes therefore follow the screen, not the kiosk's touch theme:
:func:`display_scale` is 1.0 at 1920x1080 (and at 1080x1920, with the portrait layout)
and 2.0 at 3840x2160, and the style sheet ``resources/styles/display.qss`` is rendered
with :class:`DisplayTheme` scaled by it (``ui.theme.render_qss``, the same
``{{ name }}`` template rules as the kiosk's). Colours: white and amber on deep navy,
every text at least 7:1 against its background (WCAG AAA).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from ui.theme import FONT_FAMILY, STYLES_DIR, render_qss

TEMPLATE = STYLES_DIR / "display.qss"


@dataclass(frozen=True)
class DisplayTheme:
    background: str = "#081a33"
    panel: str = "#0f2a4d"
    line: str = "#2c4a73"
    text: str = "#ffffff"
    muted: str = "#c7d5e6"
    accent: str = "#ffc845"  # the called number
    flash_bg: str = "#ffc845"
    flash_text: str = "#081a33"
    paused_bg: str = "#7a2e00"
    paused_text: str = "#ffe4cc"
    closed_text: str = "#9fb3cc"
    warning: str = "#ffd27a"
    font_family: str = FONT_FAMILY
    header_px: int = 40
    clock_px: int = 52
    small_px: int = 22
    label_px: int = 32
    number_px: int = 220
    counter_px: int = 96
    counter_en_px: int = 38
    list_px: int = 50
    list_en_px: int = 26
    tile_px: int = 30
    count_px: int = 60
    chip_px: int = 28
    notice_px: int = 36
    pad_px: int = 20
    spacing_px: int = 10
    radius_px: int = 14
    border_px: int = 2

    def scaled(self, factor: float) -> DisplayTheme:
        """Every size times ``factor``."""
        return replace(self, **{f.name: max(1, round(getattr(self, f.name) * factor))
                                for f in fields(self) if f.name.endswith("_px")})


def display_scale(width: int, height: int) -> float:
    """1.0 at 1920x1080 and 1080x1920; proportional beyond (2.0 at 3840x2160)."""
    long_side, short_side = max(width, height), min(width, height)
    return max(0.4, min(long_side / 1920, short_side / 1080))


def display_qss(width: int, height: int) -> str:
    """The board's style sheet for a screen of ``width`` x ``height``. The kiosk's large
    text mode (for a customer at the touch screen) leaves it as it is: the board is
    already sized to be read across the hall, and every part must stay on screen."""
    theme = DisplayTheme().scaled(display_scale(width, height))
    return render_qss(theme, TEMPLATE.read_text(encoding="utf-8"))  # type: ignore[arg-type]
