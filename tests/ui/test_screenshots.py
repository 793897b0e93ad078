"""Screenshot tours: each registered tour is rendered per language, text size and
screen size with clear names; a layout that does not fit its screen is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui import i18n, screenshots, theme
from ui.gallery import GalleryHome, GalleryState, GalleryWindow
from ui.screenshots import Camera, Variant, run_tours

GALLERY_SHOTS = ("home", "buttons-banner", "pinpad", "error-unexpected", "error-refused",
                 "idle-countdown")


def test_the_gallery_tour_renders_every_shot_in_each_variant(tmp_path: Path) -> None:
    variants = [Variant("en", True, 1080, 1920), Variant("zh_CN", False, 1280, 800)]
    result = run_tours(["gallery"], tmp_path, variants)
    assert result.problems == []
    names = sorted(p.name for p in result.written)
    assert names == sorted(f"ui-gallery-{shot}-{v.slug}.png" for shot in GALLERY_SHOTS
                           for v in variants)
    for path in result.written:
        image = QImage(str(path))
        width, height = (1080, 1920) if "1080x1920" in path.name else (1280, 800)
        assert (image.width(), image.height()) == (width, height)
    assert i18n.current_language() == "zh_CN"  # defaults restored for whoever runs next
    assert not theme.is_large_text()


def test_the_default_variants_cover_both_languages_sizes_and_orientations() -> None:
    slugs = {v.slug for v in screenshots.VARIANTS}
    assert {"zh-normal-1920x1080", "en-normal-1920x1080", "zh-large-1920x1080",
            "en-large-1920x1080", "zh-normal-1080x1920", "en-large-1080x1920",
            "zh-normal-1280x800", "en-normal-1280x800"} <= slugs


def overflowing_tour(camera: Camera) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    label = QLabel("too tall")
    label.setMinimumHeight(2000)
    layout.addWidget(label)
    camera.show(window)
    camera.take("tall")


def test_a_window_that_does_not_fit_its_screen_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(screenshots.TOURS, "tall", f"{__name__}:overflowing_tour")
    result = run_tours(["tall"], tmp_path, [Variant("zh_CN", False, 1920, 1080)])
    assert len(result.written) == 1
    (problem,) = result.problems
    assert "ui-tall-tall-zh-normal-1920x1080.png" in problem
    assert "does not fit" in problem


def test_an_unknown_tour_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="gallery"):
        screenshots.load_tour("nope")


def test_the_gallery_switches_language_and_text_size_at_run_time(qtbot: QtBot) -> None:
    window = GalleryWindow()
    qtbot.add_widget(window)
    home = window.screen(GalleryState.HOME)
    assert isinstance(home, GalleryHome)
    assert home.title.text() == "控件一览"
    qtbot.mouseClick(home.language_button, Qt.MouseButton.LeftButton)
    assert i18n.current_language() == "en"
    assert home.title.text() == "Widget gallery"
    assert home.language_button.text() == "中文"
    qtbot.mouseClick(home.large_button, Qt.MouseButton.LeftButton)
    assert theme.is_large_text()
    qtbot.mouseClick(home.entries[GalleryState.PIN], Qt.MouseButton.LeftButton)
    assert window.state is GalleryState.PIN
