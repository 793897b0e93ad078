"""Run on a real X display by test_x_display.py: the customer window full screen on the
database given, the feedback form typed on the virtual keyboard by touching its keys
with xdotool (Pinyin n-i-h-a-o and the first candidate, then English h-i), submitted by
touch. Prints one JSON object with what it saw.

    python -m tests.ui.customer.x_feedback sqlite:///path/to/db
"""

from __future__ import annotations

import json
import sys
from typing import Any

from PySide6.QtCore import QPoint, QRect, QTimer
from PySide6.QtGui import QGuiApplication

from kiosk.app import AppContext
from kiosk.app.complaints import list_complaints
from tests.ui.x_keyboard import settled_candidates, touch, type_letters, wait_for
from ui import i18n, tasks
from ui.app import create_app
from ui.customer.feedback import FeedbackDoneScreen, FeedbackScreen
from ui.customer.states import State
from ui.customer.window import CustomerWindow
from ui.fullscreen import show_fullscreen
from ui.keyboard import VirtualKeyboard


def centre(widget: Any) -> QPoint:
    return widget.mapToGlobal(QPoint(widget.width() // 2, widget.height() // 2))


def run(window: CustomerWindow, keyboard: VirtualKeyboard, app: AppContext) -> dict[str, Any]:
    result: dict[str, Any] = {}
    window.activateWindow()
    touch(centre(window.welcome.entries[State.FEEDBACK]))
    wait_for(lambda: window.state is State.FEEDBACK, "the feedback form")
    form = window.current_screen()
    assert isinstance(form, FeedbackScreen)
    touch(centre(form.category_buttons["facilities"]))
    wait_for(lambda: form.chosen() == "facilities", "the category")
    touch(centre(form.text))
    wait_for(lambda: QGuiApplication.inputMethod().isVisible() and keyboard.view() is not None,
             "the keyboard to show")
    wait_for(lambda: keyboard.locale() == "zh_CN", "the Chinese keyboard")
    wait_for(lambda: window.keyboard_space.height() > 0, "room for the keyboard")

    def field_above_keyboard() -> bool:
        field = QRect(form.text.mapToGlobal(QPoint(0, 0)), form.text.size())
        return field.bottom() < keyboard.keyboard_rect().top()

    try:  # after the keyboard's room is taken, the whole text box is in view
        wait_for(field_above_keyboard, "the field above the keyboard", timeout_s=10)
        result["field_above_keyboard"] = True
    except TimeoutError:
        result["field_above_keyboard"] = False
    type_letters(keyboard, "nihao", composing=True)
    first, where = settled_candidates(keyboard)[0]
    result["first_candidate"] = first
    touch(where)
    wait_for(lambda: form.text.toPlainText() != "", "the candidate to be committed")
    result["after_pinyin"] = form.text.toPlainText()
    i18n.set_language("en")
    wait_for(lambda: keyboard.locale() == "en_GB", "the English keyboard")
    type_letters(keyboard, "hi", composing=False)
    wait_for(lambda: form.text.toPlainText().lower().startswith("你好hi"), "English letters")
    result["after_english"] = form.text.toPlainText()
    QGuiApplication.inputMethod().hide()
    # the buttons are back at the bottom once the keyboard's room is given back
    wait_for(lambda: centre(form.submit_button).y() > window.height() - 150,
             "the keyboard to go")
    touch(centre(form.submit_button))
    wait_for(lambda: isinstance(window.current_screen(), FeedbackDoneScreen)
             and not tasks.pending_tasks(), "the acknowledgement")
    result["stored"] = [c.text for c in list_complaints(app).complaints]
    return result


def main() -> int:
    qt_app = create_app(keyboard=True)
    app = AppContext.open(sys.argv[1], station="K1")
    window = CustomerWindow(app, idle_ms=600_000)
    show_fullscreen(window)
    keyboard = VirtualKeyboard(window)
    outcome: dict[str, Any] = {}

    def go() -> None:
        try:
            outcome.update(run(window, keyboard, app))
        except Exception as exc:  # noqa: BLE001 - reported to the test as data
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        window.allow_close = True
        qt_app.quit()

    QTimer.singleShot(0, go)
    qt_app.exec()
    app.close()
    print(json.dumps(outcome, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
