"""``kiosk run --role setup``: the technician's login, then the Devices page alone
(the admin panel's shell with one page; the same page is in the admin panel)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from ui.admin.pages import PAGES
from ui.admin.window import AdminWindow
from ui.setup.login import SetupLogin

if TYPE_CHECKING:
    from ui.cli import RunContext


def setup_window(app: AppContext, *, login: bool = True) -> AdminWindow:
    """The setup role's window: login (unless ``login=False``: tests and the tour
    start a session themselves), then the Devices page."""
    window = AdminWindow(app, login=SetupLogin if login else None, feed=False,
                         pages={"devices": PAGES["devices"]})
    window.setObjectName("setup-window")
    window.on_logout = lambda staff, idle: staff_app.logout(app, staff, idle=idle)
    return window


def make_window(context: RunContext) -> AdminWindow:
    """``kiosk run --role setup``."""
    return setup_window(context.cli.app)


__all__ = ["make_window", "setup_window"]
