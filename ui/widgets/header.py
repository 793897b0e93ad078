"""The page header: title, Back (返回) and Home (首页)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from ui.widgets.buttons import TouchButton
from ui.widgets.retranslate import Retranslating


class PageHeader(Retranslating, QFrame):
    """Top bar of every page but the welcome page.

    Connect ``back_clicked``/``home_clicked`` to the screen's ``back_requested`` and
    ``home_requested`` (``Screen.add_header()`` does it for you).
    """

    back_clicked = Signal()
    home_clicked = Signal()

    def __init__(self, title: str = "", parent: QWidget | None = None, *,
                 back: bool = True, home: bool = True) -> None:
        super().__init__(parent)
        self.setProperty("kind", "header")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.setSpacing(16)
        self.back_button = TouchButton(kind="nav")
        self.back_button.setObjectName("back")
        self.title_label = QLabel(title)
        self.title_label.setProperty("kind", "title")
        self.title_label.setWordWrap(True)
        self.home_button = TouchButton(kind="nav")
        self.home_button.setObjectName("home")
        layout.addWidget(self.back_button)
        layout.addWidget(self.title_label, 1)
        layout.addWidget(self.home_button)
        self.back_button.setVisible(back)
        self.home_button.setVisible(home)
        self.back_button.clicked.connect(self.back_clicked)
        self.home_button.clicked.connect(self.home_clicked)
        self.retranslate()

    def set_title(self, title: str) -> None:
        self.title_label.setText(title)
        self.title_label.setAccessibleName(title)

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.home_button.setText(self.tr("Home"))
