"""Run on a real X display by test_fullscreen_x.py: a kiosk shell shown full screen.

    python -m tests.ui.x_fullscreen [--screen N]

Prints one JSON line (window id, Qt's idea of the geometry) once the window is
exposed, prints ``F12`` each time F12 reaches the window (so a test knows every key it
sent before has been handled), and stays up until standard input closes.
"""

from __future__ import annotations

import argparse
import json
import sys
from enum import Enum

from PySide6.QtCore import QEvent, QObject, QSocketNotifier, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout

from ui.app import create_app
from ui.fullscreen import show_fullscreen
from ui.shell import Screen, Shell


class State(Enum):
    WELCOME = 1


class F12Reporter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_F12 and not event.isAutoRepeat()):
            print("F12", flush=True)
        return False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screen", type=int)
    args = parser.parse_args()
    app = create_app(keyboard=False)
    shell = Shell(home=State.WELCOME)
    page = Screen()
    QVBoxLayout(page).addWidget(QLabel("欢迎 Welcome"))
    shell.add_screen(State.WELCOME, page)
    shell.move_to(State.WELCOME)
    show_fullscreen(shell, args.screen)

    def report() -> None:
        if not shell.windowHandle() or not shell.windowHandle().isExposed():
            QTimer.singleShot(20, report)
            return
        geometry = shell.geometry()
        print(json.dumps({"window": int(shell.winId()), "x": geometry.x(), "y": geometry.y(),
                          "width": geometry.width(), "height": geometry.height()}),
              flush=True)

    QTimer.singleShot(0, report)
    reporter = F12Reporter()
    shell.installEventFilter(reporter)
    stdin = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)

    def stdin_ready() -> None:
        if not sys.stdin.buffer.read1(4096):
            shell.allow_close = True
            app.quit()

    stdin.activated.connect(stdin_ready)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
