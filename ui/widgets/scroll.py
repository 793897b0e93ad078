"""A page's body that scrolls when it does not fit (large text, a small window, the
on-screen keyboard taking the bottom of the screen)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def scroll_area(body: QWidget, *, name: str = "") -> QScrollArea:
    """``body`` in a frameless scroll area that gives it its whole width (and more
    height only when it needs it); ``name`` its object name, for tests and tours."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setWidget(body)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


__all__ = ["scroll_area"]
