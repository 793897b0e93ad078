"""A small role for tests of the shared UI: four screens, one of them a result page
Back skips, each with a text field."""

from __future__ import annotations

from enum import Enum, auto
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout
from pytestqt.qtbot import QtBot

from ui.shell import Screen, Shell


class State(Enum):
    WELCOME = auto()
    SERVICES = auto()
    RESULT = auto()
    FORM = auto()


class Page(Screen):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.calls: list[tuple[str, dict[str, Any]]] = []
        layout = QVBoxLayout(self)
        if name != "welcome":
            self.add_header(layout)
        self.label = QLabel()
        self.field = QLineEdit()
        layout.addWidget(self.label)
        layout.addWidget(self.field)
        self.retranslate()

    def enter(self, **params: Any) -> None:
        self.calls.append(("enter", params))

    def leave(self) -> None:
        self.calls.append(("leave", {}))

    def reset(self) -> None:
        self.field.clear()

    def retranslate(self) -> None:
        # a context the shipped catalogue translates (tests are not scanned by lupdate)
        self.label.setText(QCoreApplication.translate("PageHeader", "Back"))


class Result(Page):
    keeps_history = False


def sample_shell(qtbot: QtBot) -> Shell:
    window = Shell(home=State.WELCOME)
    qtbot.add_widget(window)
    window.add_screen(State.WELCOME, Page("welcome"))
    window.add_screen(State.SERVICES, lambda: Page("services"))
    window.add_screen(State.RESULT, lambda: Result("result"))
    window.add_screen(State.FORM, lambda: Page("form"))
    window.resize(1920, 1080)
    window.move_to(State.WELCOME)
    return window
