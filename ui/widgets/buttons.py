"""The big touch button every screen uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget

from ui import theme

T = TypeVar("T")


class TouchButton(QPushButton):
    """A button a finger can hit: at least the theme's touch size (80 px, more in large
    text), a look chosen by ``kind`` (``primary``, ``secondary``, ``danger``, ``key``,
    ``nav``), and an accessible name that follows its visible text unless one is set
    with :meth:`set_accessible` (an icon-only button must set one).

    The owner sets the text in its ``retranslate()`` like any other string.
    """

    def __init__(self, text: str = "", kind: str = "secondary",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fixed_accessible = False
        self.setProperty("kind", kind)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt override
        super().setText(text)
        if not self._fixed_accessible:
            self.setAccessibleName(text.replace("&", "").replace("\n", " "))

    def set_accessible(self, name: str, description: str = "") -> None:
        """A name for screen readers and tests when the visible text is not enough."""
        self._fixed_accessible = True
        self.setAccessibleName(name)
        if description:
            self.setAccessibleDescription(description)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Never narrower than its text, never smaller than a finger (a keypad key is
        square at ``key_px``)."""
        hint = self.sizeHint()
        current = theme.current_theme()
        least = current.key_px if self.property("kind") == "key" else current.touch_px
        return QSize(max(hint.width(), least), max(hint.height(), least))

    def set_kind(self, kind: str) -> None:
        """Change the look at run time (re-polished at once)."""
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)


def choice_button(name: str, choose: Callable[[T], object], value: T) -> TouchButton:
    """A checkable choice (a filter, a period, a category): object name ``name``;
    ``choose(value)`` runs when it is clicked."""
    button = TouchButton(kind="choice")
    button.setObjectName(name)
    button.setCheckable(True)
    button.clicked.connect(lambda _=False: choose(value))
    return button
