"""Switching language at run time: a widget re-translates itself on ``LanguageChange``
(docs/ui.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QWidget

# mypy sees the mixin as a QWidget (so super().changeEvent type-checks); at run time it
# is a plain class, listed before the Qt base: class Page(Retranslating, QFrame).
if TYPE_CHECKING:
    _Widget = QWidget
else:
    _Widget = object


class Retranslating(_Widget):
    """Mixin: :meth:`retranslate` runs whenever the application's language changes."""

    def retranslate(self) -> None:
        """Set every visible string again in the current language (``self.tr()``);
        nothing here, for a widget without text of its own."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
