"""The admin panel's pages: the registry the shell builds its navigation from, and the
base class every page derives from.

**Adding a page** (docs/ui.md, "The admin panel"): write a class deriving
:class:`AdminPage` in a module of your part (``ui/admin/kpi_*.py``,
``ui/admin/settings_*.py``...), then add one line to :data:`PAGES`::

    "kpi": PageEntry("ui.admin.kpi_page:KpiPage",
                     QT_TRANSLATE_NOOP("AdminPages", "Service KPIs"), Permission.REPORTS),

- the key (``"kpi"``) names the page for navigation (``self.open_page.emit("kpi",
  {...})`` from another page) and in tests;
- the target is imported only when a staff member whose role reaches the page opens it
  (cold start builds nothing else);
- the title is English inside ``QT_TRANSLATE_NOOP("AdminPages", ...)``; its Chinese goes
  in your catalogue file under ``[AdminPages]``;
- the permission (``kiosk.staff.permissions.Permission``) decides who sees the page:
  the navigation lists only the pages the logged-in role may reach. The use cases the
  page calls check the same permission again (``kiosk.app.staff.requires``), so a page
  never relies on being hidden.

The order of :data:`PAGES` is the order of the navigation.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk.app import AppContext
from kiosk.staff.permissions import Permission, StaffSession
from ui.widgets.retranslate import Retranslating

TITLE_CONTEXT = "AdminPages"


@dataclass(frozen=True)
class PageEntry:
    """One page of the admin panel (see the module docstring)."""

    target: str
    """``"module:Class"``, a subclass of :class:`AdminPage`, imported on first use."""
    title: str
    """English, marked with ``QT_TRANSLATE_NOOP("AdminPages", ...)``."""
    permission: Permission
    """What the logged-in role must be allowed to see the page."""

    def translated_title(self) -> str:
        return QCoreApplication.translate(TITLE_CONTEXT, self.title)

    def load(self) -> type[AdminPage]:
        module, _, name = self.target.partition(":")
        page_class = getattr(importlib.import_module(module), name)
        if not (isinstance(page_class, type) and issubclass(page_class, AdminPage)):
            raise TypeError(f"{self.target} is not an AdminPage")
        return page_class


PAGES: dict[str, PageEntry] = {
    "board": PageEntry("ui.admin.board:BoardPage",
                       str(QT_TRANSLATE_NOOP("AdminPages", "Live board")), Permission.REPORTS),
    "complaints": PageEntry("ui.admin.complaints:ComplaintsPage",
                            str(QT_TRANSLATE_NOOP("AdminPages", "Complaints")),
                            Permission.COMPLAINTS),
    "kpi": PageEntry("ui.admin.kpi_page:KpiPage",
                     str(QT_TRANSLATE_NOOP("AdminPages", "Service KPIs")), Permission.REPORTS),
    "reports": PageEntry("ui.admin.report_page:ReportPage",
                         str(QT_TRANSLATE_NOOP("AdminPages", "Reports")), Permission.REPORTS),
    "settings-branch": PageEntry(
        "ui.admin.settings_branch:BranchSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Branch")), Permission.SETTINGS),
    "settings-hours": PageEntry(
        "ui.admin.settings_hours:HoursSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Opening hours")), Permission.SETTINGS),
    "settings-calendar": PageEntry(
        "ui.admin.settings_calendar:CalendarSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Holidays")), Permission.SETTINGS),
    "settings-services": PageEntry(
        "ui.admin.settings_services:ServicesSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Services")), Permission.SETTINGS),
    "settings-counters": PageEntry(
        "ui.admin.settings_counters:CountersSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Counters")), Permission.SETTINGS),
    "settings-claims": PageEntry(
        "ui.admin.settings_catalogue:CatalogueSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Claim checklists")), Permission.SETTINGS),
    "settings-staff": PageEntry(
        "ui.admin.settings_staff:StaffSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Staff accounts")), Permission.STAFF),
    "settings-retention": PageEntry(
        "ui.admin.settings_retention:RetentionSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Data retention")), Permission.SETTINGS),
    "settings-language": PageEntry(
        "ui.admin.settings_language:LanguageSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Languages")), Permission.SETTINGS),
    "settings-rules": PageEntry(
        "ui.admin.settings_rules:RulesSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Rules and notices")), Permission.SETTINGS),
    "settings-stations": PageEntry(
        "ui.admin.settings_stations:StationsSettingsPage",
        str(QT_TRANSLATE_NOOP("AdminPages", "Stations")), Permission.DEVICES),
    "audit": PageEntry("ui.admin.audit:AuditPage",
                       str(QT_TRANSLATE_NOOP("AdminPages", "Audit log")), Permission.AUDIT),
    "devices": PageEntry("ui.setup.page:SetupPage",
                         str(QT_TRANSLATE_NOOP("AdminPages", "Devices")), Permission.DEVICES),
}
"""Page key -> entry, in navigation order. Each part of the admin panel adds its own."""


def reachable_pages(staff: StaffSession,
                    pages: dict[str, PageEntry] | None = None) -> list[str]:
    """The keys of the pages ``staff``'s role may open, in navigation order."""
    return [key for key, entry in (PAGES if pages is None else pages).items()
            if staff.can(entry.permission)]


class AdminContext(QObject):
    """What every page gets: the application layer, who is logged in, the call feed
    and the shell's banner. One per admin window; ``staff`` changes at each login."""

    feed_events = Signal(object)
    """``list[FeedEvent]`` from the call feed, oldest first (GUI thread); connect a
    page's refresh to it in ``__init__``. Emitted while someone is logged in."""
    feed_lost = Signal(str)
    """The database cannot be reached (the reason); the feed retries by itself."""
    feed_restored = Signal()
    """The database is back; the events missed meanwhile follow on ``feed_events``."""

    def __init__(self, app: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self._staff: StaffSession | None = None
        self._notify: Any = None

    @property
    def staff(self) -> StaffSession:
        """The logged-in staff member (pages are shown only while there is one)."""
        if self._staff is None:
            raise RuntimeError("no staff member is logged in to the admin panel")
        return self._staff

    @property
    def logged_in(self) -> bool:
        return self._staff is not None

    def set_staff(self, staff: StaffSession | None) -> None:
        self._staff = staff

    def set_notifier(self, notify: Any) -> None:
        self._notify = notify

    def notify(self, text: str, level: str = "info", timeout_ms: int = 8_000) -> None:
        """A banner over the panel (``info``, ``success``, ``warning``, ``error``)."""
        if self._notify is not None:
            self._notify(text, level, timeout_ms)


class AdminPage(Retranslating, QWidget):
    """Base of every admin page: built with the :class:`AdminContext`, shown in the
    admin desk under its title (the desk draws the title, the navigation, Back and
    Log out; a page draws only its content).

    - ``__init__(context)``: build widgets, end with ``self.retranslate()``;
    - ``retranslate()``: every visible string with ``self.tr()`` (again on each
      language change);
    - ``enter(**params)``: the page is shown (load its data in a task, ``ui.tasks``);
    - ``leave()``: another page is shown;
    - ``reset()``: the staff member logged out or the panel locked itself: forget
      typed input and anything revealed;
    - ``open_page.emit(key, params)``: ask for another page (``PAGES`` key).
    """

    open_page = Signal(str, dict)

    def __init__(self, context: AdminContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    @property
    def app(self) -> AppContext:
        return self.context.app

    @property
    def staff(self) -> StaffSession:
        return self.context.staff

    def enter(self, **params: Any) -> None:
        """Shown, with the params of the move."""

    def leave(self) -> None:
        """Another page is shown."""

    def reset(self) -> None:
        """Logout or idle lock: forget typed input and revealed data."""


__all__ = ["PAGES", "AdminContext", "AdminPage", "PageEntry", "TITLE_CONTEXT",
           "reachable_pages"]
