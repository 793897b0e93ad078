"""Putting a kiosk window on screen: full screen with or without a window manager.

Without a window manager (a bare X session, the usual kiosk set-up, and Xvfb in
tests) ``showFullScreen()`` alone leaves the window at its natural size while
``isFullScreen()`` says True (platform notes), so the geometry is set to the screen's
first, and again whenever that screen's geometry changes.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

from kiosk.errors import UsageError

DEFAULT_WINDOWED_SIZE = (1280, 800)


class KioskWindow(QWidget):
    """A top-level window that no keyboard shortcut or window-manager close request
    (Alt+F4, a close button: *spontaneous* close events) can shut while
    ``allow_close`` is False (a staff action sets it to leave). The program's own
    ``close()`` and ``app.quit()`` still work: Qt 6 cancels a quit if a window refuses."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.allow_close = False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if event.spontaneous() and not self.allow_close:
            event.ignore()
        else:
            event.accept()


def target_screen(index: int | None = None) -> QScreen:
    """Screen ``index`` (0 = first), or the primary screen; a wrong number is a usage
    error naming how many screens there are."""
    screens = QGuiApplication.screens()
    if index is None:
        primary = QGuiApplication.primaryScreen()
        if primary is None:
            raise UsageError("没有可用的显示屏", "no screen available")
        return primary
    if not 0 <= index < len(screens):
        raise UsageError(f"没有第 {index} 号显示屏（共 {len(screens)} 个，从 0 开始编号）",
                         f"no screen {index} (there are {len(screens)}, numbered from 0)")
    return screens[index]


def show_fullscreen(window: QWidget, screen_index: int | None = None) -> QScreen:
    """Frameless, on top, covering screen ``screen_index`` entirely."""
    screen = target_screen(screen_index)
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.FramelessWindowHint
                          | Qt.WindowType.WindowStaysOnTopHint)

    def cover(geometry: QRect) -> None:
        window.setGeometry(geometry)

    window.setGeometry(screen.geometry())
    window.showFullScreen()
    screen.geometryChanged.connect(cover)
    return screen


def show_compact(window: QWidget, size: tuple[int, int],
                 screen_index: int | None = None) -> QScreen:
    """A window of ``size`` (at most the screen's free area) at the right edge of
    screen ``screen_index``, on top of the other programs (the counter terminal)."""
    screen = target_screen(screen_index)
    area = screen.availableGeometry()
    width, height = min(size[0], area.width()), min(size[1], area.height())
    window.setWindowFlags(window.windowFlags() | Qt.WindowType.WindowStaysOnTopHint)
    window.setGeometry(area.x() + area.width() - width, area.y(), width, height)
    window.show()
    return screen


def show_windowed(window: QWidget, size: tuple[int, int] | None = None,
                  screen_index: int | None = None) -> QScreen:
    """A normal window for development (``--windowed``), ``size`` logical pixels."""
    screen = target_screen(screen_index)
    width, height = size or DEFAULT_WINDOWED_SIZE
    area = screen.availableGeometry()
    window.setGeometry(area.x() + max(0, (area.width() - width) // 2),
                       area.y() + max(0, (area.height() - height) // 2), width, height)
    window.show()
    return screen
