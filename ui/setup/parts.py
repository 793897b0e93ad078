"""Small pieces the setup views share: a card, a relay that carries a worker's
progress to the GUI thread, and text chosen by language."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLayout, QVBoxLayout

from ui import i18n


class Relay(QObject):
    """A signal a worker thread may emit: the connected slot runs on the GUI thread
    (the relay lives there, so Qt queues the call)."""

    message = Signal(object)


def card(object_name: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A panel (``kind=panel``) and its layout."""
    frame = QFrame()
    frame.setProperty("kind", "panel")
    if object_name:
        frame.setObjectName(object_name)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.setSpacing(8)
    return frame, layout


def label(kind: str = "", name: str = "", wrap: bool = True) -> QLabel:
    """A label with a look (``title``, ``muted``, ``section``, ``alert``...)."""
    widget = QLabel()
    if kind:
        widget.setProperty("kind", kind)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def pick(zh: str, en: str) -> str:
    """The text of the current language, of a pair the core gave in both."""
    return en if i18n.current_language() == "en" else zh


def clear(layout: QLayout) -> None:
    """Remove and delete every widget of ``layout``."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


__all__ = ["Relay", "card", "clear", "label", "pick"]
