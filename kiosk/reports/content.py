"""What a report holds, and the KPI columns the PDF, the CSV and the panel share:
their names in both languages and how each value is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.reports.kpi import SATISFACTION_FLOOR, KpiRow, KpiSet
from kiosk.reports.labels import Names
from kiosk.reports.periods import Period


@dataclass(frozen=True)
class ReportContent:
    """Everything a report file is made of; built by the application layer."""

    period: Period
    kpis: KpiSet
    names: Names
    branch_zh: str
    branch_en: str
    generated: str
    """When it was made, local time, ``YYYY-MM-DD HH:MM``."""
    floor: float = SATISFACTION_FLOOR

    @property
    def monthly(self) -> bool:
        """Laid out by day (a month or a range of days) rather than by hour."""
        return self.period.days > 1

    def filter_text(self) -> tuple[str, str] | None:
        f = self.kpis.filter
        parts = [("service", f.service), ("counter", f.counter), ("staff", f.staff)]
        chosen = [self.names.label(d, v) for d, v in parts if v is not None]
        if not chosen:
            return None
        return "，".join(zh for zh, _ in chosen), ", ".join(en for _, en in chosen)


def rate(value: float | None) -> str:
    """0.8342 → ``83.4%``; None → ``—``."""
    return "—" if value is None else f"{value * 100:.1f}%"


def duration(seconds: float | None) -> str:
    """Seconds as ``m:ss`` (``h:mm:ss`` from an hour); None → ``—``."""
    if seconds is None:
        return "—"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def minutes(value: int | None) -> str:
    return "—" if value is None else f"≤{value} min"


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    text: Callable[[KpiRow], str]
    value: Callable[[KpiRow], float | int | None]


COLUMNS: tuple[Column, ...] = (
    Column("issued", "取号", "Issued", lambda r: str(r.issued), lambda r: r.issued),
    Column("served", "办结", "Served", lambda r: str(r.served), lambda r: r.served),
    Column("wait_avg_s", "平均等候", "Avg wait", lambda r: duration(r.wait_avg_s),
           lambda r: r.wait_avg_s),
    Column("wait_p90_min", "90%等候", "P90 wait", lambda r: minutes(r.wait_p90_min),
           lambda r: r.wait_p90_min),
    Column("within_target_rate", "目标内叫号", "Within target",
           lambda r: rate(r.within_target_rate), lambda r: r.within_target_rate),
    Column("handle_avg_s", "平均办理", "Avg handling", lambda r: duration(r.handle_avg_s),
           lambda r: r.handle_avg_s),
    Column("no_show_rate", "过号率", "No-show", lambda r: rate(r.no_show_rate),
           lambda r: r.no_show_rate),
    Column("satisfaction_rate", "满意率", "Satisfaction", lambda r: rate(r.satisfaction_rate),
           lambda r: r.satisfaction_rate),
    Column("participation_rate", "参评率", "Participation",
           lambda r: rate(r.participation_rate), lambda r: r.participation_rate),
)


def summary(row: KpiRow) -> list[tuple[str, str, str]]:
    """The period's headline figures: (Chinese, English, value)."""
    return [
        ("取号", "Tickets issued", str(row.issued)),
        ("已叫号", "Called", str(row.called)),
        ("办结", "Served", str(row.served)),
        ("过号", "No-shows", str(row.no_show)),
        ("取消", "Cancelled", str(row.cancelled)),
        ("过期未叫", "Expired unserved", str(row.expired)),
        ("平均等候", "Average wait", duration(row.wait_avg_s)),
        ("90% 客户等候不超过", "90th percentile wait", minutes(row.wait_p90_min)),
        ("目标时间内叫号", "Called within target wait", rate(row.within_target_rate)),
        ("平均办理时长", "Average handling time", duration(row.handle_avg_s)),
        ("过号率", "No-show rate", rate(row.no_show_rate)),
        ("满意率", "Satisfaction rate", rate(row.satisfaction_rate)),
        ("参评率", "Participation rate", rate(row.participation_rate)),
        ("评价数（不含未评）", "Ratings given", str(row.rated)),
    ]


def below_floor(row: KpiRow, floor: float = SATISFACTION_FLOOR) -> bool:
    return row.satisfaction_rate is not None and row.satisfaction_rate < floor


__all__ = ["COLUMNS", "Column", "ReportContent", "below_floor", "duration", "minutes",
           "rate", "summary"]
