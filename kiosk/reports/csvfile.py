"""The report as CSV: one table, one row per breakdown row, for a spreadsheet.

UTF-8 with a byte-order mark (so Excel on a Chinese Windows opens the Chinese names
right), comma-separated, a header row of ``中文 english`` column names. ``section``
says which breakdown a row belongs to (``total``, ``day``, ``service``, ``counter``,
``staff``, ``hour``); ``key`` is the machine value (date, service code, counter
number, staff number, hour), ``name_zh``/``name_en`` its names. Rates are fractions
(0.8342), durations seconds, the 90th percentile wait whole minutes; an empty cell
means there was nothing to divide. Tickets are counted, never listed: no customer
data.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from kiosk.reports.content import ReportContent
from kiosk.reports.kpi import KpiRow

FIELDS: tuple[tuple[str, str], ...] = (
    ("section", "分组"), ("key", "键"), ("name_zh", "名称"), ("name_en", "名称(英文)"),
    ("issued", "取号"), ("called", "已叫号"), ("served", "办结"), ("no_show", "过号"),
    ("cancelled", "取消"), ("expired", "过期"), ("wait_avg_s", "平均等候秒"),
    ("wait_p90_min", "90%等候分钟"), ("within_target", "目标内叫号数"),
    ("within_target_rate", "目标内叫号率"), ("handle_avg_s", "平均办理秒"),
    ("no_show_rate", "过号率"), ("rated", "评价数"), ("satisfied", "满意数"),
    ("not_rated", "超时未评"), ("unsolicited", "主动评价"),
    ("satisfaction_rate", "满意率"), ("participation_rate", "参评率"),
)


def _values(row: KpiRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name, _ in FIELDS[4:]}


def report_csv(content: ReportContent) -> bytes:
    """The report's table as CSV bytes (UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[name for name, _ in FIELDS],
                            lineterminator="\r\n")
    out.write(",".join(f"{zh} {name}" for name, zh in FIELDS) + "\r\n")
    writer.writerow({"section": "total", "key": content.period.label,
                     "name_zh": "合计", "name_en": "Total", **_values(content.kpis.total)})
    for dimension in ("day", "service", "counter", "staff"):
        rows = content.kpis.breakdowns.get(dimension, ())
        for row in sorted(rows, key=lambda r: content.names.order(dimension, r.key)):
            zh, en = content.names.label(dimension, row.key)
            key = row.key.isoformat() if isinstance(row.key, date) else row.key
            writer.writerow({"section": dimension, "key": key, "name_zh": zh,
                             "name_en": en, **_values(row)})
    for hour, issued in content.kpis.by_hour:
        writer.writerow({"section": "hour", "key": hour, "name_zh": f"{hour:02d}:00",
                         "name_en": f"{hour:02d}:00", "issued": issued})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


__all__ = ["FIELDS", "report_csv"]
