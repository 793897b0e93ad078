"""An overlay: a widget that covers its host window whole (and keeps covering it as the
window resizes), with one panel centred on it (the idle countdown, the staff exit)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ui.widgets.retranslate import Retranslating


class Overlay(Retranslating, QWidget):
    """Hidden until shown; :attr:`panel_layout` is the column the subclass fills.

    Args:
        host: the window to cover.
        name: the object name (QSS and tests find the overlay by it).
        width: the panel's minimum and maximum width.
        margins: the panel's horizontal and vertical content margins.
        spacing: between the panel's rows.
    """

    def __init__(self, host: QWidget, name: str, *, width: tuple[int, int],
                 margins: tuple[int, int], spacing: int) -> None:
        super().__init__(host)
        self.host = host
        self.setObjectName(name)
        self.setProperty("kind", "overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel = QFrame(self)
        panel.setProperty("kind", "panel")
        panel.setMinimumWidth(width[0])
        panel.setMaximumWidth(width[1])
        self.panel_layout = QVBoxLayout(panel)
        self.panel_layout.setContentsMargins(*margins, *margins)
        self.panel_layout.setSpacing(spacing)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        host.installEventFilter(self)

    def cover(self) -> None:
        """Take the host's whole area."""
        self.setGeometry(self.host.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.host and isinstance(event, QResizeEvent):
            self.cover()
        return False
