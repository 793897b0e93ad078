"""The on-screen keyboard (Qt Virtual Keyboard) for the QWidget screens.

The keyboard is Qt's input method plugin (``QT_IM_MODULE=qtvirtualkeyboard``, set by
``ui.app.create_app``): it opens by itself when a text field gets focus, as its own
stay-on-top window over the lower part of the screen. This module adds what a kiosk
needs on top (platform notes, measured):

- it follows the application language at run time: 简体中文 Pinyin for zh_CN, English
  for en (the globe key switches between exactly these two). The setting lives in QML
  (``VirtualKeyboardSettings``), so a small QML object is created in the keyboard's own
  engine and written to;
- the shell keeps the keyboard's height free at its bottom while it is up
  (``keyboardRectangleChanged``), and the focused field is scrolled into view, so the
  customer sees what they type.

Qt Quick is imported only here, when the first text screen needs the keyboard.
"""

from __future__ import annotations

import logging
import os

import shiboken6
from PySide6.QtCore import QObject, QPoint, QPointF, QRect, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuick import QQuickItem, QQuickView
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QScrollArea, QWidget

from ui import i18n
from ui.shell import Shell

log = logging.getLogger(__name__)

LOCALES = {"zh_CN": ["zh_CN", "en_GB"], "en": ["en_GB", "zh_CN"]}

_SETTINGS_QML = b"""
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
QtObject {
    property string locale: ""
    property var activeLocales: []
    readonly property string currentLocale: InputContext.locale
    readonly property string preeditText: InputContext.preeditText
    onActiveLocalesChanged: VirtualKeyboardSettings.activeLocales = activeLocales
    onLocaleChanged: VirtualKeyboardSettings.locale = locale
}
"""


def is_enabled() -> bool:
    """True when the keyboard input method was chosen before the app was created."""
    return os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard"


class VirtualKeyboard(QObject):
    """Language and layout companion of the keyboard for one shell (or none)."""

    def __init__(self, shell: Shell | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._shell = shell
        self._view: QQuickView | None = None
        self._settings: QObject | None = None
        self._language: str = i18n.current_language()
        method = QGuiApplication.inputMethod()
        method.keyboardRectangleChanged.connect(self._relayout)
        method.visibleChanged.connect(self._visibility_changed)
        i18n.signals().changed.connect(self.apply_language)

    # -- the keyboard's window ----------------------------------------------------

    def view(self) -> QQuickView | None:
        """The keyboard's window, once Qt has created it (first text field focused)."""
        if self._view is not None and shiboken6.isValid(self._view):
            return self._view
        for window in QGuiApplication.topLevelWindows():
            if window.metaObject().className().endswith("InputView"):
                pointer = shiboken6.getCppPointer(window)[0]
                view = shiboken6.wrapInstance(pointer, QQuickView)  # typed Object, is one
                if isinstance(view, QQuickView):
                    self._view = view
                    return view
        return None

    def _settings_object(self) -> QObject | None:
        if self._settings is not None:
            return self._settings
        view = self.view()
        if view is None:
            return None
        component = QQmlComponent(view.engine())
        component.setData(_SETTINGS_QML, "")
        settings = component.create()
        if settings is None:
            log.error("virtual keyboard settings unavailable: %s",
                      [error.toString() for error in component.errors()])
            return None
        settings.setParent(self)
        self._settings = settings
        return settings

    # -- language -----------------------------------------------------------------

    @Slot(str)
    def apply_language(self, language: str) -> None:
        """Pinyin for zh_CN, English for en. Before the keyboard exists, the default
        QLocale (set by ``i18n.set_language``) decides its first layout, and this is
        applied again when it first shows."""
        self._language = language
        settings = self._settings_object()
        if settings is None:
            return
        locales = LOCALES["en" if language == "en" else "zh_CN"]
        settings.setProperty("activeLocales", locales)
        settings.setProperty("locale", locales[0])

    def locale(self) -> str:
        """The keyboard's current input locale (``zh_CN``, ``en_GB``), "" before it exists."""
        settings = self._settings_object()
        return str(settings.property("currentLocale")) if settings is not None else ""

    def preedit_text(self) -> str:
        """Letters typed and not yet turned into characters (the Pinyin being composed)."""
        settings = self._settings_object()
        return str(settings.property("preeditText")) if settings is not None else ""

    @Slot()
    def _visibility_changed(self) -> None:
        if QGuiApplication.inputMethod().isVisible() and self._settings is None:
            self.apply_language(self._language)
        self._relayout()

    # -- keeping the field visible ------------------------------------------------

    def keyboard_rect(self) -> QRect:
        """The keyboard's area in global coordinates (empty when hidden)."""
        method = QGuiApplication.inputMethod()
        window = QGuiApplication.focusWindow()
        if not method.isVisible() or window is None:
            return QRect()
        # keyboardRectangle() is in the focus window's coordinates (measured under Xvfb)
        return method.keyboardRectangle().toAlignedRect().translated(window.position())

    @Slot()
    def _relayout(self) -> None:
        if self._shell is None or not shiboken6.isValid(self._shell):
            return
        keyboard = self.keyboard_rect()
        shell_rect = QRect(self._shell.mapToGlobal(QPoint(0, 0)), self._shell.size())
        overlap = keyboard.intersected(shell_rect)
        space = shell_rect.bottom() - overlap.top() + 1 if not overlap.isEmpty() else 0
        self._shell.set_keyboard_space(space)
        layout = self._shell.layout()
        if layout is not None:
            layout.activate()  # the scroll areas take their new size now, then scroll
        focus = QApplication.focusWidget()
        if space and focus is not None:
            area = _scroll_area_of(focus)
            if area is not None:
                area.ensureWidgetVisible(focus)

    # -- for tests: where the keys are ---------------------------------------------

    def _items(self) -> list[QQuickItem]:
        view = self.view()
        found: list[QQuickItem] = []
        pending = [view.contentItem()] if view is not None else []
        while pending:
            item = pending.pop()
            for child in item.childItems():
                found.append(child)
                pending.append(child)
        return found

    def key_position(self, text: str) -> QPoint | None:
        """Global centre of the visible key labelled ``text`` ("n", "a"...)."""
        for item in self._items():
            if (item.metaObject().className().startswith("Key_") and item.isVisible()
                    and item.property("text") == text):
                return _centre(item)
        return None

    def candidates(self) -> list[tuple[str, QPoint]]:
        """The word candidates on show (Pinyin), left to right, with their centres."""
        found = []
        for item in self._items():
            if item.metaObject().className().startswith("SelectionListItem") \
                    and item.isVisible():
                texts = [child.property("text") for child in item.childItems()
                         if child.metaObject().indexOfProperty("text") >= 0]
                found.append((next((t for t in texts if t), ""), _centre(item)))
        return sorted(found, key=lambda pair: pair[1].x())


def _centre(item: QQuickItem) -> QPoint:
    return item.mapToGlobal(QPointF(item.width() / 2, item.height() / 2)).toPoint()


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        if isinstance(parent, QAbstractScrollArea):
            return None
        parent = parent.parentWidget()
    return None
