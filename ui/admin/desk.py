"""The admin desk: the screen a staff member works in after logging in.

A top bar (Back, the page's title, who is logged in, the language switch, Log out),
the navigation (one button per page the role may reach, ``ui.admin.pages.PAGES``) and
the pages, each built on first use. Which page is shown is the desk's state:
:meth:`AdminDesk.open` (``key``, ``params``) with a history Back walks. Home is the
first page of the navigation.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.staff.permissions import ROLE_NAMES
from ui import i18n, theme
from ui.admin.pages import PAGES, AdminContext, AdminPage, PageEntry, reachable_pages
from ui.shell import Screen
from ui.widgets import TouchButton, scroll_area

log = logging.getLogger(__name__)


class AdminDesk(Screen):
    """Navigation and pages for the logged-in staff member (``context.staff``)."""

    logout_requested = Signal()
    page_changed = Signal(str)
    """The key of the page now shown."""

    def __init__(self, context: AdminContext,
                 pages: dict[str, PageEntry] | None = None) -> None:
        super().__init__()
        self.context = context
        self._table = PAGES if pages is None else pages
        self._keys: list[str] = []
        self._pages: dict[str, AdminPage] = {}
        self._current: str | None = None
        self._params: dict[str, Any] = {}
        self._history: list[tuple[str, dict[str, Any]]] = []
        self.nav_buttons: dict[str, TouchButton] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        bar = QFrame()
        bar.setProperty("kind", "header")
        top = QHBoxLayout(bar)
        top.setContentsMargins(24, 12, 24, 12)
        top.setSpacing(16)
        self.back_button = TouchButton(kind="nav")
        self.back_button.setObjectName("back")
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.title.setObjectName("page-title")
        self.title.setWordWrap(True)
        self.who = QLabel()
        self.who.setProperty("kind", "muted")
        self.who.setObjectName("who")
        self.who.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(0)
        heading.addWidget(self.title)
        heading.addWidget(self.who)
        self.language_button = TouchButton()
        self.language_button.setObjectName("language")
        self.logout_button = TouchButton()
        self.logout_button.setObjectName("logout")
        top.addWidget(self.back_button)
        top.addLayout(heading, 1)
        top.addWidget(self.language_button)
        top.addWidget(self.logout_button)
        outer.addWidget(bar)

        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.setSpacing(0)
        self.nav = QWidget()
        self.nav.setObjectName("admin-nav")
        self.nav_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self.nav)
        self.nav_layout.setContentsMargins(16, 16, 16, 16)
        self.nav_layout.setSpacing(12)
        self.nav_scroll = scroll_area(self.nav)
        self.stack = QStackedWidget()
        self.body.addWidget(self.nav_scroll)
        self.body.addWidget(self.stack, 1)
        outer.addLayout(self.body, 1)

        self.back_button.clicked.connect(self.go_back)
        self.language_button.clicked.connect(self._toggle_language)
        self.logout_button.clicked.connect(self.logout_requested)
        theme.signals().changed.connect(self._fit_nav)
        self.retranslate()

    # -- who is logged in -----------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        """The pages of the navigation, in order."""
        return list(self._keys)

    @property
    def current_key(self) -> str | None:
        return self._current

    @property
    def history(self) -> tuple[str, ...]:
        return tuple(key for key, _ in self._history)

    def start(self) -> None:
        """A staff member logged in: the navigation of their role."""
        self._clear_pages()
        self._keys = reachable_pages(self.context.staff, self._table)
        for key in self._keys:
            button = TouchButton()
            button.setObjectName(f"nav-{key}")
            button.clicked.connect(lambda _=False, k=key: self.open(k, from_nav=True))
            self.nav_layout.addWidget(button)
            button.show()
            self.nav_buttons[key] = button
        self.nav_layout.addStretch(1)
        self.retranslate()

    def _clear_pages(self) -> None:
        for page in self._pages.values():
            page.reset()
            self.stack.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        while self.nav_layout.count():
            item = self.nav_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.nav_buttons.clear()
        self._keys, self._current, self._params, self._history = [], None, {}, []

    def page(self, key: str) -> AdminPage:
        """The page ``key``, built now if needed (only a page the role may reach)."""
        if key not in self._keys:
            raise KeyError(f"page {key!r} is not open to {self.context.staff.role}")
        if key not in self._pages:
            page = self._table[key].load()(self.context)
            page.setObjectName(page.objectName() or f"page-{key}")
            page.open_page.connect(lambda target, params: self.open(target, **params))
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def built_pages(self) -> dict[str, AdminPage]:
        return dict(self._pages)

    # -- navigation -------------------------------------------------------------------

    def enter(self, **params: Any) -> None:
        key = params.pop("page", None) or (self._keys[0] if self._keys else None)
        if key is not None:
            self.open(key, **params)

    def open(self, key: str, *, from_nav: bool = False, **params: Any) -> None:
        """Show page ``key`` with ``params`` (the page's ``enter(**params)``); the page
        shown before goes on the history. A key the role may not reach is ignored
        (logged): the navigation never offers it."""
        if key not in self._keys:
            log.warning("page %r is not open to role %s", key, self.context.staff.role)
            return
        if self._current is not None and (key, params) != (self._current, self._params):
            self._history.append((self._current, self._params))
        self._show(key, params)

    def go_back(self) -> None:
        """The page shown before, with its params; the first page if there is none."""
        if self._history:
            key, params = self._history.pop()
            self._show(key, params)
        elif self._keys and self._current != self._keys[0]:
            self._show(self._keys[0], {})

    def _show(self, key: str, params: dict[str, Any]) -> None:
        target = self.page(key)
        if self._current is not None and self._current in self._pages:
            self._pages[self._current].leave()
        self._current, self._params = key, dict(params)
        self.stack.setCurrentWidget(target)
        for name, button in self.nav_buttons.items():
            button.set_kind("primary" if name == key else "secondary")
        self._update_bar()
        target.enter(**params)
        self.page_changed.emit(key)

    def leave(self) -> None:
        if self._current is not None and self._current in self._pages:
            self._pages[self._current].leave()

    def reset(self) -> None:
        """Logout or idle lock: every page forgets, the navigation goes."""
        self._clear_pages()
        self._update_bar()

    # -- look -----------------------------------------------------------------------

    def _toggle_language(self) -> None:
        i18n.set_language("en" if i18n.current_language() == "zh_CN" else "zh_CN")

    def _update_bar(self) -> None:
        entry = self._table.get(self._current) if self._current else None
        self.title.setText(entry.translated_title() if entry else self.tr("Admin panel"))
        self.title.setAccessibleName(self.title.text())
        self.back_button.setEnabled(bool(self._history) or (
            bool(self._keys) and self._current not in (None, self._keys[0])))
        if self.context.logged_in:
            staff = self.context.staff
            zh, en = ROLE_NAMES.get(staff.role, (staff.role, staff.role))
            role = zh if i18n.current_language() == "zh_CN" else en
            self.who.setText(f"{staff.number} {staff.name} · {role}".replace("  ", " "))
        else:
            self.who.clear()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        # the switch names the language it switches to, in that language
        self.language_button.setText("English" if i18n.current_language() == "zh_CN"
                                     else "中文")
        self.language_button.set_accessible(self.tr("Switch language"))
        self.logout_button.setText(self.tr("Log out"))
        for key, button in self.nav_buttons.items():
            button.setText(self._table[key].translated_title())
        self._update_bar()
        self._fit_nav()

    def _portrait(self) -> bool:
        return self.width() < self.height()

    def _fit_nav(self) -> None:
        """The navigation as wide as its widest button (landscape) or as tall as one
        row of buttons (portrait); it scrolls along its length."""
        self.nav.adjustSize()
        hint = self.nav_layout.sizeHint()
        if self._portrait():
            self.nav_scroll.setMinimumWidth(0)
            self.nav_scroll.setMaximumWidth(16_777_215)
            bar = self.nav_scroll.horizontalScrollBar().sizeHint().height()
            self.nav_scroll.setFixedHeight(hint.height() + bar)
        else:
            self.nav_scroll.setMinimumHeight(0)
            self.nav_scroll.setMaximumHeight(16_777_215)
            bar = self.nav_scroll.verticalScrollBar().sizeHint().width()
            self.nav_scroll.setFixedWidth(hint.width() + bar)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        """Portrait: the navigation runs across the top instead of down the side."""
        portrait = event.size().width() < event.size().height()
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                               else QBoxLayout.Direction.LeftToRight)
        self.nav_layout.setDirection(QBoxLayout.Direction.LeftToRight if portrait
                                     else QBoxLayout.Direction.TopToBottom)
        self.nav_scroll.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if portrait
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav_scroll.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if portrait
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        super().resizeEvent(event)
        self._fit_nav()


__all__ = ["AdminDesk"]
