"""Common widgets every screen uses (see docs/ui.md)."""

from ui.widgets.banner import LEVELS, Banner
from ui.widgets.buttons import TouchButton, choice_button
from ui.widgets.header import PageHeader
from ui.widgets.layouts import (
    centred,
    grid_widget,
    labelled,
    muted_label,
    scroll_area,
    scrolled_body,
)
from ui.widgets.login_form import LoginForm
from ui.widgets.message import MessagePanel
from ui.widgets.pinpad import PinPad

__all__ = ["LEVELS", "Banner", "LoginForm", "MessagePanel", "PageHeader", "PinPad", "TouchButton",
           "centred", "choice_button", "grid_widget", "labelled", "muted_label", "scroll_area",
           "scrolled_body"]
