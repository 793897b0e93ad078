"""The widget gallery: every shared widget on a page of its own.

``kiosk run --role gallery`` shows it (to look at the theme on a real screen before
any screen exists), and its screenshot tour renders the shared widgets in every
language, text size and orientation (``scripts/screenshots.sh``).
"""

from __future__ import annotations

from enum import Enum, auto
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from kiosk.errors import RuleRefused
from ui import i18n, theme
from ui.shell import Screen, Shell
from ui.tasks import Failure
from ui.widgets import PinPad, TouchButton, centred, muted_label, scrolled_body


class GalleryState(Enum):
    HOME = auto()
    BUTTONS = auto()
    PIN = auto()


class GalleryHome(Screen):
    """Entries to the other pages, and the language and large-text switches."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.setSpacing(24)
        self.title = QLabel()
        self.title.setProperty("kind", "title")
        self.subtitle = muted_label()
        switches = QHBoxLayout()
        self.language_button = TouchButton()
        self.language_button.setObjectName("language")
        self.large_button = TouchButton()
        self.large_button.setObjectName("large-text")
        switches.addWidget(self.language_button)
        switches.addWidget(self.large_button)
        switches.addStretch(1)
        self.entries: dict[GalleryState, TouchButton] = {}
        grid = QGridLayout()
        grid.setSpacing(24)
        for index, state in enumerate((GalleryState.BUTTONS, GalleryState.PIN)):
            button = TouchButton(kind="primary")
            button.setObjectName(state.name.lower())
            button.clicked.connect(lambda _=False, s=state: self.move_to(s))
            grid.addWidget(button, index // 2, index % 2)
            self.entries[state] = button
        self.message_button = TouchButton()
        self.message_button.setObjectName("message")
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(switches)
        layout.addLayout(grid)
        layout.addWidget(self.message_button)
        layout.addStretch(1)
        self.language_button.clicked.connect(self._toggle_language)
        self.large_button.clicked.connect(
            lambda: theme.apply_theme(large=not theme.is_large_text()))
        self.message_button.clicked.connect(self.show_sample_failure)
        self.retranslate()

    def _toggle_language(self) -> None:
        i18n.set_language("en" if i18n.current_language() == "zh_CN" else "zh_CN")

    def show_sample_failure(self) -> None:
        shell = self.window()
        if isinstance(shell, Shell):
            shell.show_failure(Failure(ZeroDivisionError("sample"), "E-3F9A2C"))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Widget gallery"))
        self.subtitle.setText(self.tr("The shared widgets every screen is built from."))
        # the switch names the language it switches to, in that language
        self.language_button.setText("English" if i18n.current_language() == "zh_CN"
                                     else "中文")
        self.language_button.set_accessible(self.tr("Switch language"))
        self.large_button.setText(self.tr("Large text"))
        self.entries[GalleryState.BUTTONS].setText(self.tr("Buttons and fields"))
        self.entries[GalleryState.PIN].setText(self.tr("PIN pad"))
        self.message_button.setText(self.tr("Show an error message"))


class ButtonsPage(Screen):
    """Every button look, a field, a check box and the banner levels."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_header(layout)
        # long pages scroll; the keyboard scrolls the field into view
        inner = scrolled_body(layout, margins=48, top=32, bottom=32, spacing=24)
        row = QGridLayout()  # two columns: fits portrait and large text
        row.setSpacing(24)
        self.primary = TouchButton(kind="primary")
        self.secondary = TouchButton(kind="secondary")
        self.danger = TouchButton(kind="danger")
        self.disabled = TouchButton(kind="primary")
        self.disabled.setEnabled(False)
        for index, button in enumerate((self.primary, self.secondary, self.danger,
                                        self.disabled)):
            row.addWidget(button, index // 2, index % 2)
        self.field = QLineEdit()
        self.field.setObjectName("sample-field")
        self.check = QCheckBox()
        self.number = QLabel("A007")
        self.number.setProperty("kind", "number")
        inner.addLayout(row)
        inner.addWidget(self.field)
        inner.addWidget(self.check)
        inner.addWidget(self.number)
        inner.addStretch(1)
        self.retranslate()

    def reset(self) -> None:
        self.field.clear()
        self.check.setChecked(False)

    def sample_alert(self) -> str:
        return self.tr("Printer out of paper: your ticket is still valid")

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Buttons and fields"))
        self.primary.setText(self.tr("Take a ticket"))
        self.secondary.setText(self.tr("Service information"))
        self.danger.setText(self.tr("Cancel ticket"))
        self.disabled.setText(self.tr("Closed today"))
        self.field.setPlaceholderText(self.tr("Mobile number (optional)"))
        self.field.setAccessibleName(self.tr("Mobile number"))
        self.check.setText(self.tr("I agree to be called back"))


class PinPage(Screen):
    """The PIN pad as staff login uses it."""

    def __init__(self) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.add_header(layout)
        self.pad = PinPad()
        layout.addStretch(1)
        layout.addLayout(centred(self.pad))
        layout.addStretch(1)
        self.retranslate()

    def reset(self) -> None:
        self.pad.clear()

    def retranslate(self) -> None:
        assert self.header is not None
        self.header.set_title(self.tr("Staff login"))


class GalleryWindow(Shell):
    def __init__(self) -> None:
        super().__init__(home=GalleryState.HOME)
        self.add_screen(GalleryState.HOME, GalleryHome())
        self.add_screen(GalleryState.BUTTONS, ButtonsPage)
        self.add_screen(GalleryState.PIN, PinPage)
        self.move_to(GalleryState.HOME)


def make_window(context: Any = None) -> GalleryWindow:
    """Role factory for ``kiosk run --role gallery``."""
    return GalleryWindow()


def tour(camera: Any) -> None:
    """Screenshot tour: every page, a banner, an error message and the idle countdown."""
    from ui.idle import attach_idle_reset

    window = GalleryWindow()
    camera.show(window)
    camera.take("home")
    window.move_to(GalleryState.BUTTONS)
    buttons = window.screen(GalleryState.BUTTONS)
    assert isinstance(buttons, ButtonsPage)
    buttons.field.setText("138****5678")
    window.notify(buttons.sample_alert(), "warning", timeout_ms=0)
    camera.take("buttons-banner")
    window.banner.dismiss()
    window.move_to(GalleryState.PIN)
    pin = window.screen(GalleryState.PIN)
    assert isinstance(pin, PinPage)
    for digit in "2580":
        pin.pad.press_digit(digit)
    camera.take("pinpad")
    window.show_failure(Failure(ZeroDivisionError("sample"), "E-3F9A2C"))
    camera.take("error-unexpected")
    window.show_failure(Failure(RuleRefused("该业务今日号码已取完，请明天再来",
                                            "No more tickets for this service today")))
    camera.take("error-refused")
    window.close_message()
    watcher = attach_idle_reset(window, idle_ms=600_000, countdown_ms=15_000)
    watcher.idle_elapsed()
    camera.take("idle-countdown")
    watcher.stop()
