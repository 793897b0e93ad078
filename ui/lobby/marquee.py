"""The staff's notice along the bottom of the board, scrolling right to left when it is
wider than the screen (still and centred when it fits, hidden when empty).

Cheap on purpose: the display idles for hours with the notice moving. The styled
background and the text are each drawn once into a pixmap (again only when the text,
size, font or colours change); a frame is two pixmap copies. :data:`FRAME_MS` and the
step follow the screen's size so the text moves at the same speed on every screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer
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
        self._strip: QPixmap | None = None
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
        span = self._text_width() + self.width() * GAP
        step = SPEED_HEIGHTS_PER_S * self.height() * self.FRAME_MS / 1000
        self.offset = (self.offset + step) % span
        self.update()

    def _invalidate(self) -> None:
        self._background = self._strip = None
        self.update()

    # ----- drawing -------------------------------------------------------------------

    def _pixmaps(self) -> tuple[QPixmap, QPixmap]:
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
        if self._strip is None:
            width = max(1, int(self._text_width()) + 2)
            self._strip = QPixmap(int(width * ratio), int(self.height() * ratio))
            self._strip.setDevicePixelRatio(ratio)
            self._strip.fill(Qt.GlobalColor.transparent)
            painter = QPainter(self._strip)
            painter.setFont(self.font())
            painter.setPen(self.palette().windowText().color())
            painter.drawText(QRectF(0, 0, width, self.height()),
                             Qt.AlignmentFlag.AlignVCenter, self.text)
            painter.end()
        return self._background, self._strip

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        background, strip = self._pixmaps()
        painter = QPainter(self)
        painter.drawPixmap(0, 0, background)
        if not self.text:
            return
        width = strip.width() / strip.devicePixelRatio()
        if not self.scrolling:
            painter.drawPixmap(QPointF((self.width() - width) / 2, 0), strip)
            return
        painter.setClipRect(self.rect())
        span = self._text_width() + self.width() * GAP
        x = self.height() * 0.5 - self.offset  # starts at the left edge, moves left
        for start in (x, x + span):
            if start < self.width() and start + width > 0:
                painter.drawPixmap(QPointF(start, 0), strip)

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
