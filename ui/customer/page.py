"""The page most customer screens are: the header (title, Back, Home), a body that
scrolls (a long list fits portrait and large text, and the on-screen keyboard scrolls
the focused field into view), and a row of buttons at the bottom."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ui.shell import Screen
from ui.tasks import Failure
from ui.widgets import scroll_area


class Page(Screen):
    """``self.body`` (a column, starting with the ``self.intro`` line) and
    ``self.buttons`` (a row under it)."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_header(layout)
        body = QWidget()
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(48, 24, 48, 24)
        self.body.setSpacing(20)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.body.addWidget(self.intro)
        self.scroller = scroll_area(body)
        layout.addWidget(self.scroller, 1)
        self.buttons = QHBoxLayout()
        self.buttons.setContentsMargins(48, 12, 48, 24)
        self.buttons.setSpacing(24)
        layout.addLayout(self.buttons)
        # After the keyboard module scrolled the cursor into view (ui.keyboard), show the
        # whole field being typed in: a text box taller than one line included.
        QGuiApplication.inputMethod().keyboardRectangleChanged.connect(
            lambda: QTimer.singleShot(0, self._show_focused_field))

    def _show_focused_field(self) -> None:
        if not shiboken6.isValid(self) or not self.isVisible():
            return
        focus = QApplication.focusWidget()
        body = self.scroller.widget()
        if focus is None or body is None or not body.isAncestorOf(focus):
            return
        centre = focus.mapTo(body, QPoint(focus.width() // 2, focus.height() // 2))
        self.scroller.ensureVisible(centre.x(), centre.y(), 0, focus.height() // 2 + 16)

    def clear_rows(self, keep: int = 1) -> None:
        """Remove everything in the body after its first ``keep`` items."""
        while self.body.count() > keep:
            item = self.body.takeAt(keep)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def failed(self, failure: Failure) -> None:
        """Show a failure over the page (Back closes it, Home goes home)."""
        show = getattr(self.window(), "show_failure", None)
        if show is not None:
            show(failure)
