"""Finding the CJK font: fontconfig, a configured path, and the error naming the package."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.errors import ConfigError
from printers.documents import fonts


@pytest.fixture(autouse=True)
def _fresh_lookup() -> Iterator[None]:
    fonts.font_path.cache_clear()
    yield
    fonts.font_path.cache_clear()


def test_fontconfig_finds_the_installed_wqy_font() -> None:
    assert fonts.cjk_font() == fonts.FONT_NAME
    assert fonts.font_path().name == "wqy-microhei.ttc"


def test_a_configured_path_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    wqy = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
    monkeypatch.setenv("KIOSK_CJK_FONT", str(wqy))
    assert fonts.font_path() == wqy


def test_a_configured_file_that_is_no_font_is_refused(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"hello")
    monkeypatch.setenv("KIOSK_CJK_FONT", str(bogus))
    with pytest.raises(ConfigError) as caught:
        fonts.cjk_font()
    assert str(bogus) in caught.value.en
    assert "KIOSK_CJK_FONT" in caught.value.zh


def test_no_font_installed_names_the_debian_package(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # An empty PATH hides fc-list: the machine looks like a fresh install without fonts.
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConfigError) as caught:
        fonts.cjk_font()
    assert "fonts-wqy-microhei" in caught.value.en
    assert "fonts-wqy-microhei" in caught.value.zh
