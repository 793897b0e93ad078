"""Widgets of the customer screens: a tile button with a title and a wrapped status line
(a service, a claim type with its icon), a choice button (one of several, or yes/no),
the ticket QR drawn from its modules, and helpers for text the core gives in both
languages."""

from __future__ import annotations

from functools import cache, partial

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from resources import resource
from ui import i18n, theme
from ui.tasks import run_task
from ui.widgets import TouchButton


def pick(zh: str, en: str) -> str:
    """The one of two texts from the core that matches the screen's language."""
    return en if i18n.current_language() == "en" else zh


@cache
def icon(name: str) -> QIcon:
    """An icon from ``resources/icons`` (SVG), or an empty icon when it is missing."""
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


class TileButton(TouchButton):
    """A large button with a bold title, a status line that wraps (the wait, or why it
    is not available) and an optional icon on the left. The labels take no touches:
    the whole tile is the target. The accessible name is title + status."""

    def __init__(self, kind: str = "tile", parent: QWidget | None = None) -> None:
        super().__init__("", kind, parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(24)
        self.icon_label = QLabel()
        self.icon_label.hide()
        texts = QVBoxLayout()
        texts.setSpacing(4)
        self.title_label = QLabel()
        self.title_label.setProperty("kind", "tile-title")
        self.title_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setProperty("kind", "tile-status")
        self.status_label.setWordWrap(True)
        texts.addStretch(1)
        texts.addWidget(self.title_label)
        texts.addWidget(self.status_label)
        texts.addStretch(1)
        layout.addWidget(self.icon_label)
        layout.addLayout(texts, 1)
        for label in (self.icon_label, self.title_label, self.status_label):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._icon_name = ""
        theme.signals().changed.connect(self._theme_changed)

    def set_texts(self, title: str, status: str = "") -> None:
        self.title_label.setText(title)
        self.status_label.setText(status)
        self.status_label.setVisible(bool(status))
        self.set_accessible(f"{title}, {status}" if status else title)
        self.updateGeometry()

    def set_icon_name(self, name: str) -> None:
        self._icon_name = name
        self._theme_changed()

    def _theme_changed(self, *_: object) -> None:
        if not self._icon_name or icon(self._icon_name).isNull():
            return
        side = theme.current_theme().touch_px
        self.icon_label.setPixmap(icon(self._icon_name).pixmap(QSize(side, side)))
        self.icon_label.setFixedSize(side, side)
        self.icon_label.show()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        layout = self.layout()
        hint = layout.sizeHint() if layout is not None else super().sizeHint()
        least = theme.current_theme().touch_px
        return QSize(max(hint.width(), least), max(hint.height(), least))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        layout = self.layout()
        width = layout.minimumSize().width() if layout is not None else 0
        return QSize(max(width, theme.current_theme().touch_px), self.sizeHint().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        layout = self.layout()
        height = layout.totalHeightForWidth(width) if layout is not None else 0
        return max(height, theme.current_theme().touch_px)


class ChoiceButton(TouchButton):
    """A checkable button: one of a group (a category, yes or no, a document I have).
    Checked looks like a primary button, so the choice is seen at a glance."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, "choice", parent)
        self.setCheckable(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)


class QrView(QWidget):
    """A QR code drawn module by module (dark on white with a quiet zone), so it scans
    from the screen as from the paper."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._modules: list[list[bool]] = []
        self._payload = ""
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._resize()
        theme.signals().changed.connect(self._resize)

    def set_payload(self, payload: str) -> None:
        """Draw ``payload``: its modules are computed in a task (10-40 ms of Python),
        so the ticket number never waits for its QR."""
        from printers.documents.model import qr_matrix

        self._payload = payload
        self._modules = []
        self.update()
        if payload:
            run_task(qr_matrix, payload, owner=self, name="ticket QR",
                     on_result=partial(self._show, payload))

    def _show(self, payload: str, modules: list[list[bool]]) -> None:
        if payload == self._payload:  # not a QR for an earlier ticket
            self._modules = modules
            self.update()

    def _resize(self, *_: object) -> None:
        side = theme.current_theme().touch_px * 3
        self.setFixedSize(side, side)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # Black on white whatever the theme: a scanner needs the contrast of the paper.
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        count = len(self._modules)
        if not count:
            return
        cell = min(self.width(), self.height()) / (count + 8)  # 4 modules of quiet zone
        origin = (min(self.width(), self.height()) - cell * count) / 2
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        for y, row in enumerate(self._modules):
            for x, dark in enumerate(row):
                if dark:
                    painter.drawRect(QRectF(origin + x * cell, origin + y * cell,
                                            cell + 0.5, cell + 0.5))


__all__ = ["ChoiceButton", "QrView", "TileButton", "icon", "pick"]
