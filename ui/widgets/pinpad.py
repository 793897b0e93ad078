"""Numeric PIN pad for staff login (digits only, never shown in clear)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLineEdit, QVBoxLayout, QWidget

from ui import theme
from ui.widgets.buttons import TouchButton
from ui.widgets.retranslate import Retranslating


class PinPad(Retranslating, QWidget):
    """Ten digit keys, Delete, Clear and OK, over a masked display.

    ``submitted(str)`` carries the PIN when OK is pressed with at least ``min_length``
    digits; the pad clears itself after submitting (the PIN is not kept). A hardware
    keyboard's digits, Backspace and Enter work too.
    """

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, min_length: int = 4,
                 max_length: int = 8) -> None:
        super().__init__(parent)
        self.min_length, self.max_length = min_length, max_length
        self._pin = ""
        self.display = QLineEdit()
        self.display.setObjectName("pin")
        self.display.setProperty("kind", "pin")
        self.display.setEchoMode(QLineEdit.EchoMode.Password)
        self.display.setReadOnly(True)
        self.display.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no virtual keyboard for it
        grid = QGridLayout()
        grid.setSpacing(16)
        for column in range(3):
            grid.setColumnStretch(column, 1)  # even, as far as the keys' texts let them
        self._grid = grid
        self.digit_buttons: dict[str, TouchButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_digit(grid, digit, index // 3, index % 3)
        self.clear_button = TouchButton(kind="secondary")
        self.clear_button.setObjectName("clear")
        self.delete_button = TouchButton(kind="secondary")
        self.delete_button.setObjectName("delete")
        self.ok_button = TouchButton(kind="primary")
        self.ok_button.setObjectName("ok")
        grid.addWidget(self.clear_button, 3, 0)
        self._add_digit(grid, "0", 3, 1)
        grid.addWidget(self.delete_button, 3, 2)
        layout = self._outer = QVBoxLayout(self)
        layout.setSpacing(16)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(self.display)
        layout.addLayout(grid)
        layout.addWidget(self.ok_button)
        for button in (self.clear_button, self.delete_button, self.ok_button):
            button.setProperty("kind", "key" if button is not self.ok_button else "primary")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clear_button.clicked.connect(self.clear)
        self.delete_button.clicked.connect(self.delete_digit)
        self.ok_button.clicked.connect(self.submit)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        theme.signals().changed.connect(self.updateGeometry)
        self.retranslate()

    def _add_digit(self, grid: QGridLayout, digit: str, row: int, column: int) -> None:
        button = TouchButton(digit, kind="key")
        button.setObjectName(f"digit-{digit}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(lambda: self.press_digit(digit))
        grid.addWidget(button, row, column)
        self.digit_buttons[digit] = button

    @property
    def length(self) -> int:
        return len(self._pin)

    def press_digit(self, digit: str) -> None:
        if digit.isdigit() and len(digit) == 1 and len(self._pin) < self.max_length:
            self._pin += digit
            self._update()

    def delete_digit(self) -> None:
        self._pin = self._pin[:-1]
        self._update()

    def clear(self) -> None:
        self._pin = ""
        self._update()

    def submit(self) -> None:
        if len(self._pin) >= self.min_length:
            pin, self._pin = self._pin, ""
            self._update()
            self.submitted.emit(pin)

    def _update(self) -> None:
        self.display.setText("•" * len(self._pin))
        self.ok_button.setEnabled(len(self._pin) >= self.min_length)
        self.display.setAccessibleName(self.tr("PIN, %1 digits entered").replace(
            "%1", str(len(self._pin))))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, text = event.key(), event.text()
        if text.isdigit() and len(text) == 1:
            self.press_digit(text)
        elif key == Qt.Key.Key_Backspace:
            self.delete_digit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        else:
            super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """Three columns as wide as the widest key ("Delete", "删除") where there is
        room. In a narrow window (the counter terminal's at large text) the pad may
        shrink to each column's own widest key, so it never needs a sideways scroll."""
        hint = super().sizeHint()
        keys = [*self.digit_buttons.values(), self.clear_button, self.delete_button]
        widest = max(key.minimumSizeHint().width() for key in keys)
        margins = self.contentsMargins() + self._outer.contentsMargins()
        even = (3 * widest + 2 * self._grid.horizontalSpacing()
                + margins.left() + margins.right())
        return QSize(max(hint.width(), even), hint.height())

    def retranslate(self) -> None:
        self.display.setPlaceholderText(self.tr("Enter your PIN"))
        self._update()
        self.clear_button.setText(self.tr("Clear"))
        self.delete_button.setText(self.tr("Delete"))
        self.ok_button.setText(self.tr("OK"))
        for digit, button in self.digit_buttons.items():
            button.set_accessible(self.tr("Digit %1").replace("%1", digit))
        self.updateGeometry()
