"""Layout pieces the counter terminal's screens share."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets import scroll_area


def scrolled_body(outer: QVBoxLayout, *, margins: int = 20) -> QVBoxLayout:
    """A layout inside a scroll area that fills ``outer``: the compact window (640 px
    wide, as little as 800 high) and large text never cut a screen off; at the normal
    size nothing scrolls."""
    body = QWidget()
    inner = QVBoxLayout(body)
    inner.setContentsMargins(margins, 12, margins, 12)
    inner.setSpacing(12)
    outer.addWidget(scroll_area(body), 1)
    return inner


def labelled(label: QLabel, field: QWidget) -> QHBoxLayout:
    """``label`` beside ``field`` (the field takes the room left)."""
    row = QHBoxLayout()
    row.addWidget(label)
    row.addWidget(field, 1)
    return row


def centred(widget: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(widget)
    row.addStretch(1)
    return row


__all__ = ["centred", "labelled", "scrolled_body"]
