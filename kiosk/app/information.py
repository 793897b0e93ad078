"""What the customer kiosk tells about the branch: its name, hotline and idle setting
(:func:`branch_facts`), and the service information pages (:func:`service_information`):
the new-business and claims processes and the service commitments from
``resources/info/service_info.toml`` (filled in with the branch's own promises), the
claim document explanations from the claim catalogue in use, the hotline, and the
opening hours from the branch calendar."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from kiosk import clock
from kiosk.app.context import AppContext
from kiosk.app.results import Result
from kiosk.branch.info import BranchInfo, load_branch
from kiosk.claims.catalogue import ClaimCatalogue
from kiosk.claims.catalogue_versions import active_catalogue
from kiosk.errors import ConfigError
from resources import resource

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ORIGINAL_MARKS = {"O": ("原件", "original"), "C": ("复印件", "copy"),
                  "O*": ("原件核对，留存复印件", "original shown, copy kept")}
HOLIDAYS_AHEAD_DAYS = 60


@dataclass(frozen=True)
class BranchFacts(Result):
    """What the kiosk's welcome and its idle reset need from the branch."""

    branch_id: str
    name_zh: str
    name_en: str
    hotline: str
    address: str
    idle_seconds: int
    feedback_working_days: int
    retention_days: int
    today: str
    hours_today: tuple[str, str] | None


@dataclass(frozen=True)
class InfoTopic(Result):
    """One page of service information: a title and its lines in both languages."""

    code: str
    title_zh: str
    title_en: str
    lines_zh: tuple[str, ...]
    lines_en: tuple[str, ...]


@dataclass(frozen=True)
class ServiceInformation(Result):
    topics: tuple[InfoTopic, ...]


def branch_facts(app: AppContext) -> BranchFacts:
    """The branch's name, hotline, address, today's hours and the kiosk's idle time."""
    with app.read() as session:
        branch = load_branch(session)
    today = branch.business_date(clock.now())
    hours = branch.hours_on(today)
    return BranchFacts(
        branch_id=branch.id, name_zh=branch.name_zh, name_en=branch.name_en,
        hotline=branch.hotline, address=branch.address,
        idle_seconds=int(branch.setting("customer_idle_seconds")),
        feedback_working_days=int(branch.setting("feedback_working_days")),
        retention_days=int(branch.setting("personal_data_retention_days")),
        today=today.isoformat(),
        hours_today=(hours[0].strftime("%H:%M"), hours[1].strftime("%H:%M")) if hours else None)


def service_information(app: AppContext) -> ServiceInformation:
    """Every service information page, in the order the kiosk lists them.

    Raises:
        ConfigError: ``resources/info/service_info.toml`` is malformed.
    """
    with app.read() as session:
        branch = load_branch(session)
        catalogue = active_catalogue(session, branch.id)
    pages = _load_pages()
    values = _values(branch)
    written = {code: _filled(code, page, values) for code, page in pages.items()}
    topics = [written.pop("new_business", None), written.pop("claims", None),
              _documents_topic(catalogue), written.pop("commitments", None),
              written.pop("hotline", None), _hours_topic(branch, branch.business_date(clock.now())),
              *written.values()]
    return ServiceInformation(tuple(t for t in topics if t is not None))


def _load_pages() -> dict[str, dict[str, Any]]:
    source = resource("info", "service_info.toml")
    try:
        pages = tomllib.loads(source.read_text(encoding="utf-8"))["topics"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError("服务信息文件 resources/info/service_info.toml 无法读取",
                          f"resources/info/service_info.toml cannot be read: {exc}") from exc
    return dict(pages)


def _values(branch: BranchInfo) -> dict[str, Any]:
    keys = ("claim_decision_working_days", "feedback_working_days",
            "complaint_reply_working_days")
    return {**{key: branch.setting(key) for key in keys}, "hotline": branch.hotline,
            "address": branch.address, "branch_zh": branch.name_zh, "branch_en": branch.name_en}


def _filled(code: str, page: dict[str, Any], values: dict[str, Any]) -> InfoTopic:
    try:
        return InfoTopic(code, page["title_zh"], page["title_en"],
                         tuple(line.format(**values) for line in page["lines_zh"]),
                         tuple(line.format(**values) for line in page["lines_en"]))
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(f"服务信息 {code} 格式错误：{exc}",
                          f"service information topic {code!r} is malformed: {exc!r}") from exc


def _documents_topic(catalogue: ClaimCatalogue) -> InfoTopic:
    """Every document of the catalogue: its name, what to bring (original or copy) and
    the one-line explanation."""
    lines_zh, lines_en = [], []
    for document in catalogue.documents.values():
        mark_zh, mark_en = ORIGINAL_MARKS.get(document.original, (document.original,) * 2)
        lines_zh.append(f"{document.name_zh}（{mark_zh}）：{document.hint_zh}")
        lines_en.append(f"{document.name_en} ({mark_en}): {document.hint_en}")
    return InfoTopic("claim_documents", "理赔材料说明", "Claim documents explained",
                     tuple(lines_zh), tuple(lines_en))


def _hours_topic(branch: BranchInfo, today: date) -> InfoTopic:
    """The weekly hours, then the closed days and make-up working days ahead."""
    lines_zh, lines_en = [], []
    for weekday in range(7):
        hours = branch.hours.get(weekday)
        span = f"{hours[0]:%H:%M}-{hours[1]:%H:%M}" if hours else None
        lines_zh.append(f"{WEEKDAYS_ZH[weekday]}  {span or '休息'}")
        lines_en.append(f"{WEEKDAYS_EN[weekday]}  {span or 'closed'}")
    ahead = today + timedelta(days=HOLIDAYS_AHEAD_DAYS)
    closed = sorted(d for d in branch.holidays if today <= d <= ahead)
    extra = sorted(d for d in branch.workdays if today <= d <= ahead)
    if closed:
        days = ", ".join(d.strftime("%m-%d") for d in closed)
        lines_zh.append(f"法定节假日休息：{days}")
        lines_en.append(f"Closed for public holidays: {days}")
    if extra:
        days = ", ".join(d.strftime("%m-%d") for d in extra)
        lines_zh.append(f"调休上班：{days}")
        lines_en.append(f"Open on make-up working days: {days}")
    return InfoTopic("hours", "营业时间", "Opening hours", tuple(lines_zh), tuple(lines_en))


__all__ = ["BranchFacts", "InfoTopic", "ServiceInformation", "branch_facts",
           "service_information"]
