"""The installed PySide6 keeps None's reference count. PySide6 6.12.0 on Python 3.11
drops one reference per call of any void method (setText, show, processEvents...), so
a kiosk aborts with "none_dealloc" after a few thousand calls; pyproject.toml keeps
that version out and this test catches any other build that does the same."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_void_methods_do_not_drop_references_to_none(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.add_widget(label)
    before = sys.getrefcount(None)
    for _ in range(2_000):
        label.setText("A001")
        label.setEnabled(True)
    assert before - sys.getrefcount(None) < 100  # 4,000 calls; 6.12.0 drops all 4,000
