"""The staff's notice along the bottom of the board, scrolling right to left when it is
wider than the screen (still and centred when it fits, hidden when empty).

Cheap on purpose: the display idles for hours with the notice moving. The styled
background, and one period of the text (the text and the gap after it, on the panel's
own colour), are each drawn once into a pixmap (again only when the text, size, font
or colours change); a frame repaints only the band the text moves in, with one or two
opaque copies of that pixmap (nothing blended: bench/display.py, idle CPU). :data:`FRAME_MS` and the
step follow the screen's size so the text moves at the same speed on every screen.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QFontMetricsF, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QStyle, QStyleOption, QWidget

SPEED_HEIGHTS_PER_S = 1.6  # the text moves this many notice-heights a second
GAP = 0.3                  # between the end of the text and its next start: of the width


class Marquee(QWidget):
    FRAME_MS = 50

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setProperty("kind", "lobby-notice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.text = ""
        self.offset = 0.0
        self._background: QPixmap | None = None
        self._tile: QPixmap | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(self.FRAME_MS)
        self._timer.timeout.connect(self._step)
        self.hide()  # until there is a notice

    @property
    def scrolling(self) -> bool:
        return self._timer.isActive()

    def set_text(self, text: str) -> None:
        if text == self.text:
            return
        self.text = text
        self.setAccessibleName(text)
        self.offset = 0.0
        self._invalidate()
        self.setVisible(bool(text))
        self._update_motion()

    def _text_width(self) -> float:
        return QFontMetricsF(self.font()).horizontalAdvance(self.text)

    def _update_motion(self) -> None:
        moving = bool(self.text) and self.isVisible() and self._text_width() > self.width()
        if moving and not self._timer.isActive():
            self._timer.start()
        elif not moving:
            self._timer.stop()
            self.offset = 0.0

    def _step(self) -> None:
        step = SPEED_HEIGHTS_PER_S * self.height() * self.FRAME_MS / 1000
        self.offset = (self.offset + step) % self._span()
        self.update(self._band())  # only the text band: opaque copies, nothing blended

    def _span(self) -> int:
        """From one start of the text to the next: the text and the gap after it."""
        return math.ceil(self._text_width() + self.width() * GAP)

    def _band(self) -> QRect:
        """Where the text moves: the whole height, clear of the rounded ends."""
        inset = self.height() // 2
        return self.rect().adjusted(inset, 0, -inset, 0)

    def _invalidate(self) -> None:
        self._background = self._tile = None
        self.update()

    # ----- drawing -------------------------------------------------------------------

    def _pixmaps(self) -> tuple[QPixmap, QPixmap]:
        """The styled background, and one period of the text: the text then the gap,
        drawn once on the panel's own colour, so a frame copies opaque pixels."""
        ratio = self.devicePixelRatioF()
        if self._background is None:
            self._background = QPixmap(self.size() * ratio)
            self._background.setDevicePixelRatio(ratio)
            self._background.fill(Qt.GlobalColor.transparent)
            painter = QPainter(self._background)
            option = QStyleOption()
            option.initFrom(self)
            self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter,
                                       self)
            painter.end()
        if self._tile is None:
            width = max(1, self._span())
            panel = self._background.toImage().pixelColor(
                int(self._background.width() / 2), int(self._background.height() / 2))
            self._tile = QPixmap(math.ceil(width * ratio), math.ceil(self.height() * ratio))
            self._tile.setDevicePixelRatio(ratio)
            self._tile.fill(panel)
            painter = QPainter(self._tile)
            painter.setFont(self.font())
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(0, 0, width, self.height()),
                             Qt.AlignmentFlag.AlignVCenter, self.text)
            painter.end()
        return self._background, self._tile

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        background, tile = self._pixmaps()
        painter = QPainter(self)
        band = self._band()
        if not band.contains(event.rect()):
            painter.drawPixmap(0, 0, background)  # an expose: everything once
        if not self.text:
            return
        if not self.scrolling:
            text = self._text_width()
            painter.setClipRect(self.rect())
            painter.drawPixmap(QPointF((self.width() - text) / 2, 0), tile,
                               QRectF(0, 0, text * tile.devicePixelRatio(), tile.height()))
            return
        painter.setClipRect(band)
        span = tile.width() / tile.devicePixelRatio()
        x = band.left() - self.offset  # starts at the band's left edge, moves left
        while x < band.right():
            if x + span > band.left():
                painter.drawPixmap(QPointF(x, 0), tile)
            x += span

    # ----- what invalidates the pixmaps ------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange,
                            QEvent.Type.StyleChange):
            self._invalidate()
            self._update_motion()
        super().changeEvent(event)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._invalidate()
        self._update_motion()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self._update_motion()

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().hideEvent(event)
        self._timer.stop()
