"""The settings pages' use cases: read the branch settings, and save one section of
them (branch, hours, calendar, services, counters, single settings) as a supervisor.

**One validator.** A save does what ``kiosk settings import`` does with a file: the
branch's settings are exported as the settings document, the section is replaced by
the page's values, and the whole document goes through the same parser and validator
(:func:`kiosk.branch.settings.parse_config`) and the same writer
(:func:`~kiosk.branch.settings.apply_config`), in one unit of work with its audit
entry. A refused value raises :class:`~kiosk.branch.settings.FieldProblem`, whose
``where`` names the field as the settings file does (``hours.mon``,
``services[2].daily_cap``, ``settings.personal_data_retention_days``) and whose
``problem(lang)`` is the reason alone; nothing is written.

**Audited** as ``settings.<section>`` with every changed field, before -> after
(settings hold no personal data). A save that changes nothing writes nothing.

**Lost updates.** A save may name the ``rev`` (``Branch.settings_rev``) its page
loaded; if the settings changed since (another page, an import), it is refused with
code ``settings_changed`` and the page reloads.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from kiosk import clock
from kiosk.app.admin import CatalogueImported
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.app.staff import note, requires
from kiosk.branch.export import WEEKDAYS, export_document
from kiosk.branch.info import SETTING_DEFAULTS, current_branch_id, load_branch
from kiosk.branch.settings import apply_config, dump_toml, parse_config
from kiosk.errors import RuleRefused
from kiosk.models import Branch, Counter
from kiosk.staff.permissions import Permission, StaffSession

SOURCE = "settings page"
SECTIONS = ("branch", "hours", "calendar", "services", "counters", "values")
_WHOLE = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class ServiceSetting(Result):
    """A service as the services page edits it; ``hours`` ``""``: the branch's hours."""

    code: str
    prefix: str
    name_zh: str
    name_en: str
    target_wait_min: Any
    target_handle_min: Any
    daily_cap: Any
    hours: str = ""
    enabled: bool = True


@dataclass(frozen=True)
class CounterSetting(Result):
    """A counter: its number, the services it serves in order, and its status now."""

    number: Any
    services: tuple[str, ...]
    status: str = "closed"


@dataclass(frozen=True)
class BranchIdentity(Result):
    name_zh: str
    name_en: str
    address: str
    hotline: str
    timezone: str


@dataclass(frozen=True)
class SettingsView(Result):
    """Every section of the branch settings as the pages show them.

    ``hours``: weekday key (``mon``..``sun``) -> ``"08:30-17:30"``, a day left out is
    closed; ``holidays``/``workdays``: the branch's own calendar entries
    (``YYYY-MM-DD``; national holidays come on top when ``national_calendar``);
    ``values``: every single setting, defaults included."""

    rev: int
    branch_id: str
    identity: BranchIdentity
    hours: dict[str, str]
    holidays: tuple[str, ...]
    workdays: tuple[str, ...]
    values: dict[str, Any]
    services: tuple[ServiceSetting, ...]
    counters: tuple[CounterSetting, ...]


@dataclass(frozen=True)
class SettingsSaved(Result):
    """``changes``: the audited ``field: before -> after`` lines (empty: nothing
    changed and nothing was written); ``rev``: the settings revision now."""

    section: str
    rev: int
    changes: tuple[str, ...]


# ----- reading ----------------------------------------------------------------------

@requires(Permission.SETTINGS)
def load_settings(app: AppContext, staff: StaffSession) -> SettingsView:
    with app.read() as session:
        bid = current_branch_id(session)
        doc = export_document(session, bid)
        branch = session.get(Branch, bid)
        assert branch is not None
        status = dict(session.execute(select(Counter.number, Counter.status).where(
            Counter.branch_id == bid)).all())
        rev = branch.settings_rev or 0
    identity = doc["branch"]
    return SettingsView(
        rev=rev, branch_id=bid,
        identity=BranchIdentity(*(identity[k] or "" for k in (
            "name_zh", "name_en", "address", "hotline", "timezone"))),
        hours=dict(doc["hours"]),
        holidays=tuple(d.isoformat() for d in doc["calendar"]["holidays"]),
        workdays=tuple(d.isoformat() for d in doc["calendar"]["workdays"]),
        values={**SETTING_DEFAULTS, **doc["settings"]},
        services=tuple(ServiceSetting(
            s["code"], s["prefix"], s["name_zh"], s["name_en"], s["target_wait_min"],
            s["target_handle_min"], s["daily_cap"], s.get("hours", ""), s["enabled"])
            for s in doc["services"]),
        counters=tuple(CounterSetting(c["number"], tuple(c["services"]),
                                      status.get(c["number"], "closed"))
                       for c in doc["counters"]),
    )


# ----- saving -----------------------------------------------------------------------

def whole_number(value: Any) -> Any:
    """Typed digits as a number; anything else unchanged, for the validator to name."""
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        return int(value.strip())
    return value


def _flatten(value: Any, path: str, out: dict[str, str]) -> None:
    """Paths of a section's values: services and counters keyed by code and number."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), out)
    elif isinstance(value, list) and value and all(
            isinstance(v, dict) and ("code" in v or "number" in v) for v in value):
        for item in value:
            _flatten({k: v for k, v in item.items() if k not in ("code", "number")},
                     f"{path}.{item.get('code', item.get('number'))}", out)
    else:
        out[path] = json.dumps(value, ensure_ascii=False, default=str)


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """``field: before -> after`` for every field that differs (``-``: absent)."""
    old: dict[str, str] = {}
    new: dict[str, str] = {}
    _flatten(dict(before), "", old)
    _flatten(dict(after), "", new)
    return tuple(f"{key}: {old.get(key, '-')} -> {new.get(key, '-')}"
                 for key in sorted(old.keys() | new.keys()) if old.get(key) != new.get(key))


def _save(app: AppContext, staff: StaffSession, section: str,
          edit: Callable[[dict[str, Any]], None], rev: int | None) -> SettingsSaved:
    """Export, ``edit`` the document, validate it whole as an import does, apply it
    and audit the changes: one unit of work."""
    with app.write() as session:
        bid = current_branch_id(session)
        branch = session.get(Branch, bid)
        assert branch is not None
        if rev is not None and (branch.settings_rev or 0) != rev:
            raise RuleRefused("设置已被他人修改，页面已重新载入，请核对后再保存",
                              "the settings were changed meanwhile; the page has been "
                              "reloaded: check and save again", code="settings_changed")
        before = export_document(session, bid)
        after = copy.deepcopy(before)
        edit(after)
        changed = changes(before, after)
        if not changed:
            return SettingsSaved(section, branch.settings_rev or 0, ())
        config = parse_config(dump_toml(after), SOURCE)
        apply_config(session, config)
        note(session, app, staff, f"settings.{section}", subject=bid,
             detail="\n".join(changed))
        return SettingsSaved(section, branch.settings_rev or 0, changed)


@requires(Permission.SETTINGS)
def save_branch(app: AppContext, staff: StaffSession, identity: BranchIdentity, *,
                rev: int | None = None) -> SettingsSaved:
    """The branch's names, address, hotline and time zone (its id never changes)."""
    def edit(doc: dict[str, Any]) -> None:
        doc["branch"].update(name_zh=identity.name_zh, name_en=identity.name_en,
                             address=identity.address, hotline=identity.hotline,
                             timezone=identity.timezone)
    return _save(app, staff, "branch", edit, rev)


@requires(Permission.SETTINGS)
def save_hours(app: AppContext, staff: StaffSession, hours: Mapping[str, str], *,
               rev: int | None = None) -> SettingsSaved:
    """Opening hours by weekday key (``mon``..``sun``): ``"08:30-17:30"``; a day left
    out or blank is closed."""
    def edit(doc: dict[str, Any]) -> None:
        doc["hours"] = {day: hours[day].strip() for day in WEEKDAYS
                        if hours.get(day, "").strip()}
    return _save(app, staff, "hours", edit, rev)


@requires(Permission.SETTINGS)
def save_calendar(app: AppContext, staff: StaffSession, holidays: Sequence[str],
                  workdays: Sequence[str], national_calendar: bool, *,
                  rev: int | None = None) -> SettingsSaved:
    """The branch's own holidays and make-up working days (调休上班), and whether the
    national holidays apply beneath them."""
    def edit(doc: dict[str, Any]) -> None:
        doc["calendar"] = {"holidays": [d.strip() for d in holidays],
                           "workdays": [d.strip() for d in workdays]}
        doc["settings"]["national_calendar"] = national_calendar
    return _save(app, staff, "calendar", edit, rev)


@requires(Permission.SETTINGS)
def save_services(app: AppContext, staff: StaffSession, services: Sequence[ServiceSetting],
                  *, rev: int | None = None) -> SettingsSaved:
    """Every service in order (a new code adds one; one left out is disabled, never
    deleted, as an import does). Numbers may be typed text."""
    def edit(doc: dict[str, Any]) -> None:
        doc["services"] = []
        for s in services:
            item: dict[str, Any] = {
                "code": s.code.strip(), "prefix": s.prefix.strip(), "name_zh": s.name_zh,
                "name_en": s.name_en, "target_wait_min": whole_number(s.target_wait_min),
                "target_handle_min": whole_number(s.target_handle_min),
                "daily_cap": whole_number(s.daily_cap), "enabled": s.enabled}
            if s.hours.strip():
                item["hours"] = s.hours.strip()
            doc["services"].append(item)
    return _save(app, staff, "services", edit, rev)


@requires(Permission.SETTINGS)
def save_counters(app: AppContext, staff: StaffSession, counters: Sequence[CounterSetting],
                  *, rev: int | None = None) -> SettingsSaved:
    """Every counter with the services it serves, in order (one left out is removed,
    which only a closed counter may be)."""
    def edit(doc: dict[str, Any]) -> None:
        doc["counters"] = [{"number": whole_number(c.number), "services": list(c.services)}
                           for c in counters]
    return _save(app, staff, "counters", edit, rev)


@requires(Permission.SETTINGS)
def save_values(app: AppContext, staff: StaffSession, values: Mapping[str, Any], *,
                rev: int | None = None) -> SettingsSaved:
    """Single settings (retention, languages...): key -> value; typed digits count as
    numbers."""
    def edit(doc: dict[str, Any]) -> None:
        doc["settings"].update({k: whole_number(v) for k, v in values.items()})
    return _save(app, staff, "values", edit, rev)


@dataclass(frozen=True)
class LanguageDefaults(Result):
    """The screens' first language (``zh_CN`` or ``en``) and the languages calls are
    spoken in, in order."""

    screen_language: str
    voice_languages: tuple[str, ...]


def language_defaults(app: AppContext) -> LanguageDefaults:
    """The branch's language settings (any screen, at start-up: no staff needed)."""
    with app.read() as session:
        branch = load_branch(session)
    return LanguageDefaults(str(branch.setting("screen_language")),
                            tuple(branch.setting("voice_languages")))


@requires(Permission.SETTINGS)
def import_claim_catalogue(app: AppContext, staff: StaffSession, path: str) -> CatalogueImported:
    """A claim catalogue file (the claim checklists) validated in full, then made the
    version in use, audited as ``settings.claim_catalogue``, in one unit of work. A
    refusal names the file and line (``ConfigError`` code ``catalogue``), or the
    version name already used for another text (``RuleRefused``)."""
    from kiosk.claims.catalogue import load_catalogue_file
    from kiosk.claims.catalogue_versions import store_catalogue

    catalogue = load_catalogue_file(path.strip())
    with app.write() as session:
        bid = current_branch_id(session)
        store_catalogue(session, bid, catalogue.text, path.strip(), clock.now())
        note(session, app, staff, "settings.claim_catalogue", subject=catalogue.version,
             detail=f"{path.strip()}: {len(catalogue.types)} claim types")
    return CatalogueImported(path.strip(), catalogue.version, len(catalogue.types))


__all__ = ["SECTIONS", "SOURCE", "BranchIdentity", "CounterSetting", "LanguageDefaults",
           "ServiceSetting", "SettingsSaved", "SettingsView", "changes",
           "import_claim_catalogue", "language_defaults", "load_settings", "save_branch",
           "save_calendar", "save_counters", "save_hours", "save_services", "save_values",
           "whole_number"]
