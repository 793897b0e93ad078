"""Layout pieces every screen uses: a body that scrolls when it does not fit (large
text, a small window, the on-screen keyboard taking the bottom of the screen), a label
beside its field, something centred in its row, a muted note."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


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


def scrolled_body(outer: QVBoxLayout, *, margins: int = 20, top: int = 12, bottom: int = 12,
                  spacing: int = 12) -> QVBoxLayout:
    """A layout inside a scroll area that fills ``outer``: the counter terminal's
    compact window (640 px wide, as little as 800 high) and large text never cut a
    screen off; at the normal size nothing scrolls. ``margins`` left and right."""
    body = QWidget()
    inner = QVBoxLayout(body)
    inner.setContentsMargins(margins, top, margins, bottom)
    inner.setSpacing(spacing)
    outer.addWidget(scroll_area(body), 1)
    return inner


def grid_widget() -> tuple[QWidget, QGridLayout]:
    """A widget holding a grid without margins (a settings form's labels and fields):
    the widget to place, the grid to fill."""
    host = QWidget()
    grid = QGridLayout(host)
    grid.setContentsMargins(0, 0, 0, 0)
    return host, grid


def muted_label() -> QLabel:
    """A label for a note or a status line: the muted style, wrapping its text."""
    label = QLabel()
    label.setProperty("kind", "muted")
    label.setWordWrap(True)
    return label


def labelled(label: QLabel, field: QWidget) -> QHBoxLayout:
    """``label`` beside ``field`` (the field takes the room left)."""
    row = QHBoxLayout()
    row.addWidget(label)
    row.addWidget(field, 1)
    return row


def centred(*widgets: QWidget) -> QHBoxLayout:
    """``widgets`` side by side in the middle of their row."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row


__all__ = ["centred", "grid_widget", "labelled", "muted_label", "scroll_area", "scrolled_body"]
