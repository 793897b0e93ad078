"""The virtual display helper: a free display number each time, several monitors on
one desktop, and nothing left running after stop."""

from __future__ import annotations

import subprocess

import pytest

from ui.display import DisplayError, VirtualDisplay


@pytest.mark.slow
def test_two_displays_at_once_get_different_numbers_and_stop_cleanly() -> None:
    with VirtualDisplay(800, 600) as first, VirtualDisplay(1024, 768) as second:
        assert first.name != second.name
        info = subprocess.run(["xdpyinfo"], env=second.env(), capture_output=True,
                              text=True, timeout=30, check=True).stdout
        assert "1024x768 pixels" in info
        assert second.env()["QT_QPA_PLATFORM"] == "xcb"
    assert not first.running
    assert not second.running
    with pytest.raises(DisplayError):
        _ = first.name


@pytest.mark.slow
def test_two_monitors_side_by_side() -> None:
    with VirtualDisplay(1280, 800, screens=2) as display:
        monitors = subprocess.run(["xrandr", "--listmonitors"], env=display.env(),
                                  capture_output=True, text=True, timeout=30, check=True).stdout
    assert "1280/" in monitors
    assert "+0+0" in monitors
    assert "+1280+0" in monitors
