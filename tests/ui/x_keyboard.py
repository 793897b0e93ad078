"""Run on a real X display by test_keyboard_x.py: a kiosk form at the bottom of a
full-screen shell, typed into by touching the virtual keyboard's keys with xdotool.

    python -m tests.ui.x_keyboard

Types n-i-h-a-o in Pinyin and touches the first candidate, switches the app to
English and types h-i, and prints one JSON object with what it saw.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from ui import i18n
from ui.app import create_app
from ui.fullscreen import show_fullscreen
from ui.keyboard import VirtualKeyboard
from ui.shell import Screen, Shell


class State(Enum):
    FORM = 1


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 20) -> None:
    """Run the event loop until ``condition()`` holds (PySide has no QTest.qWaitFor)."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        QTest.qWait(20)


def touch(point: QPoint) -> None:
    subprocess.run(["xdotool", "mousemove", str(point.x()), str(point.y()), "click", "1"],
                   check=True, timeout=30)


def type_letters(keyboard: VirtualKeyboard, letters: str, composing: bool) -> None:
    typed = ""
    for letter in letters:
        point = keyboard.key_position(letter)
        if point is None:
            raise LookupError(f"no key {letter!r} on the keyboard")
        touch(point)
        typed += letter
        if composing:  # Pinyin shows the letters as pre-edit until a candidate is chosen
            try:
                wait_for(lambda t=typed: _letters(keyboard.preedit_text()) == t, "pre-edit")
            except TimeoutError:
                raise TimeoutError(f"pre-edit {keyboard.preedit_text()!r}, typed {typed!r}") \
                    from None


def settled_candidates(keyboard: VirtualKeyboard, settle_s: float = 0.3,
                       timeout_s: float = 20) -> list[tuple[str, QPoint]]:
    """The word candidates once their list has stopped changing for ``settle_s`` (the
    event loop running meanwhile), the first one with its text. The list is rebuilt as
    the Pinyin grows; on a loaded machine a touch at a position read mid-rebuild missed
    the candidate and nothing was committed."""
    deadline = time.monotonic() + timeout_s
    seen: list[tuple[str, QPoint]] = []
    since = time.monotonic()
    while True:
        now = keyboard.candidates()
        if now != seen:
            seen, since = now, time.monotonic()
        elif seen and seen[0][0] and time.monotonic() - since >= settle_s:
            return seen
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for the candidates to settle: {seen}")
        QTest.qWait(20)


def _letters(preedit: str) -> str:
    return "".join(ch for ch in preedit if ch.isalpha())


def rect(r: QRect) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def run(shell: Shell, field: QLineEdit, keyboard: VirtualKeyboard) -> dict[str, Any]:
    result: dict[str, Any] = {}
    field_before = QRect(field.mapToGlobal(QPoint(0, 0)), field.size())
    shell.activateWindow()
    field.setFocus()
    QGuiApplication.inputMethod().show()
    wait_for(lambda: QGuiApplication.inputMethod().isVisible() and keyboard.view() is not None,
             "the keyboard to show")
    wait_for(lambda: keyboard.locale() == "zh_CN", "the Chinese keyboard")
    wait_for(lambda: shell.keyboard_space.height() > 0, "room for the keyboard")
    wait_for(lambda: field.mapToGlobal(QPoint(0, 0)).y() != field_before.y(),
             "the field to move up")
    result["field_before"] = rect(field_before)
    result["field_after"] = rect(QRect(field.mapToGlobal(QPoint(0, 0)), field.size()))
    result["keyboard"] = rect(keyboard.keyboard_rect())
    result["space"] = shell.keyboard_space.height()
    result["zh_locale"] = keyboard.locale()
    type_letters(keyboard, "nihao", composing=True)
    first, where = settled_candidates(keyboard)[0]
    result["first_candidate"] = first
    touch(where)
    wait_for(lambda: field.text() != "", "the candidate to be committed")
    result["after_pinyin"] = field.text()
    i18n.set_language("en")
    wait_for(lambda: keyboard.locale() == "en_GB", "the English keyboard")
    result["en_locale"] = keyboard.locale()
    type_letters(keyboard, "hi", composing=False)
    space = keyboard.key_position(" ")
    if space is not None:
        touch(space)
    wait_for(lambda: field.text().lower().startswith("你好hi"), "English letters")
    result["after_english"] = field.text()
    return result


def main() -> int:
    app = create_app(keyboard=True)
    shell = Shell(home=State.FORM)
    page = Screen()
    layout = QVBoxLayout(page)
    layout.addWidget(QLabel("意见与投诉 Feedback"))
    layout.addStretch(1)
    field = QLineEdit()
    field.setObjectName("feedback")
    field.setAccessibleName("Feedback")
    layout.addWidget(field)
    shell.add_screen(State.FORM, page)
    shell.move_to(State.FORM)
    show_fullscreen(shell)
    keyboard = VirtualKeyboard(shell)
    outcome: dict[str, Any] = {}

    def go() -> None:
        try:
            outcome.update(run(shell, field, keyboard))
        except Exception as exc:  # noqa: BLE001 - reported to the test as data
            outcome["error"] = f"{type(exc).__name__}: {exc}"
            outcome["text"] = field.text()
        shell.allow_close = True
        app.quit()

    QTimer.singleShot(0, go)
    app.exec()
    print(json.dumps(outcome, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
