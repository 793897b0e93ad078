"""Branch settings: parsed from TOML, validated, stored in the database, exported.

The same document shape is used for the shipped defaults
(``resources/defaults/branch.toml``), for ``kiosk settings export`` and for
``kiosk settings import``. Validation happens completely before anything is written,
so a malformed file never leaves the database half changed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kiosk.branch import fields
from kiosk.branch.changes import prefix_problem, release_prefixes, services_issuing_today
from kiosk.branch.export import WEEKDAYS
from kiosk.branch.export import dump_toml as dump_toml
from kiosk.branch.export import export_document as export_document
from kiosk.branch.hours import parse_hours
from kiosk.branch.info import BranchProfile
from kiosk.branch.values import setting_problem
from kiosk.errors import ConfigError
from kiosk.models import (
    Branch,
    CalendarDay,
    Counter,
    CounterService,
    OpeningHours,
    Service,
    Setting,
)
from resources import resource

SERVICE_CODES = ("enquiry", "new_business", "policy_change", "claims", "payments",
                 "complaints", "vip")

@dataclass(frozen=True)
class ServiceConfig:
    code: str
    prefix: str
    name_zh: str
    name_en: str
    target_wait_min: int
    target_handle_min: int
    daily_cap: int
    hours: tuple[time, time] | None = None
    enabled: bool = True


@dataclass(frozen=True)
class BranchConfig(BranchProfile):
    """A whole settings document: the branch profile plus services and counters."""

    services: tuple[ServiceConfig, ...] = ()
    counters: dict[int, tuple[str, ...]] = field(default_factory=dict)
    source: str = field(default="settings", compare=False)  # the file, for messages


class FieldProblem(ConfigError):
    """A settings document refused at one field: ``where`` names it as the file does
    (``hours.mon``, ``services[2].daily_cap``), ``problem_zh``/``problem_en`` the reason
    alone (a settings page shows it next to the field)."""

    def __init__(self, source: str, where: str, problem_zh: str, problem_en: str) -> None:
        super().__init__(f"{source}：{where}：{problem_zh}", f"{source}: {where}: {problem_en}",
                         code="config")
        self.where, self.problem_zh, self.problem_en = where, problem_zh, problem_en

    def problem(self, lang: str = "zh") -> str:
        """The reason alone, in ``lang`` (``zh`` or ``en``)."""
        return self.problem_en if lang == "en" else self.problem_zh


def _fail(source: str, where: str, problem_zh: str, problem_en: str) -> FieldProblem:
    return FieldProblem(source, where, problem_zh, problem_en)


def load_toml(path: Path) -> BranchConfig:
    """Read and validate a settings file; errors name the file, line or field."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise _fail(str(path), "文件", "无法读取", f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise _fail(str(path), "文件", "不是 UTF-8 文本",
                    f"not UTF-8 text (byte {exc.start})") from exc
    return parse_config(text, str(path))


def default_config() -> BranchConfig:
    return parse_config(resource("defaults", "branch.toml").read_text(encoding="utf-8"),
                        "resources/defaults/branch.toml")


def parse_config(text: str, source: str) -> BranchConfig:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The message carries "(at line L, column C)".
        raise _fail(source, "TOML", f"语法错误 {exc}", f"syntax error {exc}") from exc
    return _validate(doc, source)


def _validate(doc: dict[str, Any], source: str) -> BranchConfig:  # noqa: C901 - one pass
    def need(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
        if key not in table:
            raise _fail(source, where, f"缺少 {key}", f"missing {key}")
        value = table[key]
        if kind is int and isinstance(value, bool) or not isinstance(value, kind):
            raise _fail(source, f"{where}.{key}", f"应为 {kind.__name__}",
                        f"expected {kind.__name__}, got {value!r}")
        return value

    def check(problem: fields.Problem | None) -> None:
        if problem is not None:
            raise _fail(source, *problem)

    def text(table: dict[str, Any], key: str, where: str, limit: int) -> str:
        """A required text field: a string, no control characters, fits its column."""
        value: str = need(table, key, str, where)
        check(fields.text_problem(f"{where}.{key}", value, limit, required=True))
        return value

    def table(key: str) -> dict[str, Any]:
        """A top-level table (absent: empty); any other shape names the key."""
        value = doc.get(key, {})
        if not isinstance(value, dict):
            raise _fail(source, key, "应为表", f"expected a table [{key}], got {value!r}")
        return value

    def tables(key: str) -> list[dict[str, Any]]:
        """An array of tables (``[[key]]``); each item must be a table."""
        value = doc.get(key, [])
        if not isinstance(value, list):
            raise _fail(source, key, "应为表数组", f"expected [[{key}]] tables, got {value!r}")
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise _fail(source, f"{key}[{i}]", "应为表", f"expected a table, got {item!r}")
        return value

    branch = doc.get("branch")
    if not isinstance(branch, dict):
        raise _fail(source, "[branch]", "缺少分支机构信息", "missing [branch] table")
    chars = fields.BRANCH_CHARS
    bid, name_zh, name_en = (text(branch, key, "branch", chars[key])
                             for key in ("id", "name_zh", "name_en"))
    address, hotline = (str(branch.get(key, "")) for key in ("address", "hotline"))
    for key, value in (("address", address), ("hotline", hotline)):
        check(fields.text_problem(f"branch.{key}", value, chars[key]))
    tz = text(branch, "timezone", "branch", chars["timezone"])
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise _fail(source, "branch.timezone", f"未知时区 {tz}", f"unknown time zone {tz!r}") \
            from exc

    hours: dict[int, tuple[time, time]] = {}
    for key, value in table("hours").items():
        if key not in WEEKDAYS:
            raise _fail(source, f"hours.{key}", "未知星期", f"unknown weekday (use {WEEKDAYS})")
        try:
            hours[WEEKDAYS.index(key)] = parse_hours(str(value))
        except ValueError as exc:
            raise _fail(source, f"hours.{key}", f"营业时间应为 HH:MM-HH:MM，且关门晚于开门："
                        f"{value}", str(exc)) from exc

    calendar = table("calendar")

    def dates(key: str) -> frozenset[date]:
        out = set()
        items = calendar.get(key, [])
        if not isinstance(items, list):
            raise _fail(source, f"calendar.{key}", "应为日期列表",
                        f"expected a list of dates, got {items!r}")
        for item in items:
            day = fields.calendar_day(f"calendar.{key}", item)
            if not isinstance(day, date):
                raise _fail(source, *day)
            out.add(day)
        return frozenset(out)

    holidays, workdays = dates("holidays"), dates("workdays")
    if holidays & workdays:
        both = ", ".join(sorted(d.isoformat() for d in holidays & workdays))
        raise _fail(source, "calendar", f"日期同时为假日和工作日：{both}",
                    f"dates both holiday and workday: {both}")

    settings: dict[str, Any] = {}
    for key, value in table("settings").items():
        check(setting_problem(key, value))
        settings[key] = value

    services = []
    seen_codes: set[str] = set()
    seen_prefixes: set[str] = set()
    for i, raw in enumerate(tables("services")):
        where = f"services[{i}]"
        code = need(raw, "code", str, where)
        check(fields.code_problem(f"{where}.code", code))
        prefix = need(raw, "prefix", str, where)
        if code in seen_codes or prefix in seen_prefixes or not re.fullmatch(r"[A-Z]", prefix):
            raise _fail(source, where, f"服务代码或字头重复/无效：{code} {prefix}",
                        f"duplicate or invalid code/prefix: {code} {prefix}")
        seen_codes.add(code)
        seen_prefixes.add(prefix)
        cap = need(raw, "daily_cap", int, where)
        check(fields.range_problem(f"{where}.daily_cap", cap, (1, 999)))
        span = None
        if "hours" in raw:
            try:
                span = parse_hours(str(raw["hours"]))
            except ValueError as exc:
                raise _fail(source, f"{where}.hours", f"时间应为 HH:MM-HH:MM，且结束晚于开始："
                            f"{raw['hours']}", str(exc)) from exc
        enabled = raw.get("enabled", True)
        if not isinstance(enabled, bool):
            # bool("no") is True: a quoted value would silently keep the service open.
            raise _fail(source, f"{where}.enabled", "应为 true 或 false",
                        f"expected true or false, got {enabled!r}")
        waits = [need(raw, k, int, where) for k in ("target_wait_min", "target_handle_min")]
        for k, minutes in zip(("target_wait_min", "target_handle_min"), waits, strict=True):
            check(fields.range_problem(f"{where}.{k}", minutes, fields.TARGET_MINUTES))
        services.append(ServiceConfig(
            code=code, prefix=prefix,
            name_zh=text(raw, "name_zh", where, fields.SERVICE_CHARS["name_zh"]),
            name_en=text(raw, "name_en", where, fields.SERVICE_CHARS["name_en"]),
            target_wait_min=waits[0],
            target_handle_min=waits[1], daily_cap=cap, hours=span,
            enabled=enabled,
        ))
    if not services:
        raise _fail(source, "services", "至少需要一项服务", "at least one service is needed")

    counters: dict[int, tuple[str, ...]] = {}
    for i, raw in enumerate(tables("counters")):
        where = f"counters[{i}]"
        number = need(raw, "number", int, where)
        check(fields.range_problem(f"{where}.number", number, fields.COUNTER_NUMBERS))
        if number in counters:
            raise _fail(source, f"{where}.number", f"窗口号重复：{number}",
                        f"duplicate counter number {number}")
        codes = need(raw, "services", list, where)
        check(fields.counter_services_problem(f"{where}.services", codes, seen_codes))
        counters[number] = tuple(codes)

    return BranchConfig(
        id=bid, name_zh=name_zh, name_en=name_en, address=address, hotline=hotline,
        timezone=tz, hours=hours, holidays=holidays, workdays=workdays, settings=settings,
        services=tuple(services), counters=counters, source=source,
    )


def apply_config(session: Session, config: BranchConfig) -> None:
    """Write ``config`` as the branch's settings (insert or update; never half-done,
    since the caller's unit of work commits or rolls back as a whole).

    Services missing from the file are disabled, not deleted (tickets name them);
    counters missing from the file are removed only when they are closed.
    """
    bid = config.id
    services = {s.code: s for s in session.scalars(select(Service).where(Service.branch_id == bid))}
    wanted = [(sc.code, sc.prefix) for sc in config.services]
    problem = prefix_problem(services, wanted, services_issuing_today(
        session, bid, config.timezone) if services else set())
    if problem is not None:
        raise _fail(config.source, *problem)
    branch = session.get(Branch, bid)
    if branch is None:
        branch = Branch(id=bid)
        session.add(branch)
    branch.name_zh, branch.name_en = config.name_zh, config.name_en
    branch.address, branch.hotline, branch.timezone = (
        config.address, config.hotline, config.timezone)
    branch.settings_rev = (branch.settings_rev or 0) + 1
    session.flush()

    session.execute(delete(OpeningHours).where(OpeningHours.branch_id == bid))
    for weekday, (opens, closes) in sorted(config.hours.items()):
        session.add(OpeningHours(branch_id=bid, weekday=weekday, opens=opens, closes=closes))
    session.execute(delete(CalendarDay).where(CalendarDay.branch_id == bid))
    for day in sorted(config.holidays):
        session.add(CalendarDay(branch_id=bid, day=day, kind="holiday"))
    for day in sorted(config.workdays):
        session.add(CalendarDay(branch_id=bid, day=day, kind="workday"))

    existing = {s.key: s for s in session.scalars(select(Setting).where(Setting.branch_id == bid))}
    for key, value in config.settings.items():
        if key in existing:
            existing[key].value = value
        else:
            session.add(Setting(branch_id=bid, key=key, value=value))

    release_prefixes(session, services.values(), dict(wanted))
    for sort, sc in enumerate(config.services):
        row = services.get(sc.code)
        if row is None:
            row = Service(branch_id=bid, code=sc.code)
            session.add(row)
            services[sc.code] = row
        row.prefix, row.name_zh, row.name_en = sc.prefix, sc.name_zh, sc.name_en
        row.target_wait_min, row.target_handle_min = sc.target_wait_min, sc.target_handle_min
        row.daily_cap, row.enabled, row.sort = sc.daily_cap, sc.enabled, sort
        row.opens, row.closes = sc.hours if sc.hours else (None, None)
    listed = {sc.code for sc in config.services}
    for code, row in services.items():
        if code not in listed:
            row.enabled = False
    session.flush()

    counters = {c.number: c for c in session.scalars(
        select(Counter).where(Counter.branch_id == bid))}
    for number, codes in sorted(config.counters.items()):
        counter = counters.get(number)
        if counter is None:
            counter = Counter(branch_id=bid, number=number, status="closed")
            session.add(counter)
            session.flush()
        set_counter_services(session, counter, [services[c] for c in codes])
    for number, counter in counters.items():
        if number not in config.counters:
            if counter.status != "closed":
                raise ConfigError(f"窗口 {number} 仍在营业，不能删除",
                                  f"counter {number} is not closed and cannot be removed")
            session.delete(counter)


def set_counter_services(session: Session, counter: Counter, services: list[Service]) -> None:
    """Replace the ordered list of services ``counter`` serves."""
    session.execute(delete(CounterService).where(CounterService.counter_id == counter.id))
    for position, service in enumerate(services):
        session.add(CounterService(branch_id=counter.branch_id, counter_id=counter.id,
                                   service_id=service.id, position=position))
    session.flush()
