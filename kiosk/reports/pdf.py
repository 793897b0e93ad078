"""The daily and monthly service report as an A4 PDF: Chinese with English headings,
the summary, the charts (ReportLab drawings, see :mod:`kiosk.reports.charts`) and
the tables by service, counter, staff member (and day, for a month).

No customer data appears in it: tickets are counted, never listed."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from kiosk.reports.charts import bar_chart, line_chart
from kiosk.reports.content import COLUMNS, ReportContent, below_floor, summary
from kiosk.reports.kpi import KpiRow
from kiosk.reports.labels import DIMENSION_NAMES
from printers.documents.fonts import cjk_font

ALERT = colors.HexColor("#c62828")
RULE = colors.HexColor("#999999")
HEAD_FILL = colors.HexColor("#e8eef6")
CONTENT_WIDTH = A4[0] - 30 * mm
NUMERALS = "一二三四五六七八九十"


class _Styles:
    def __init__(self) -> None:
        font = cjk_font()
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=21,
                                    wordWrap="CJK")
        self.subtitle = ParagraphStyle("subtitle", fontName=font, fontSize=10, leading=14,
                                       textColor=colors.HexColor("#444444"))
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=11.5, leading=16,
                                      spaceBefore=8, spaceAfter=4, keepWithNext=1)
        self.body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=12,
                                   wordWrap="CJK")
        self.alert = ParagraphStyle("alert", parent=self.body, textColor=ALERT)
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=7, leading=8.6,
                                   wordWrap="CJK")
        # column heads: Chinese above English, neither broken inside a word
        self.head = ParagraphStyle("head", fontName=font, fontSize=6.5, leading=8)


def report_pdf(content: ReportContent) -> bytes:
    """The report as PDF bytes.

    Raises:
        ConfigError: no CJK font is installed (the message names the package).
    """
    styles = _Styles()
    period = content.period
    kind_zh, kind_en = (("服务质量日报", "Daily service report") if period.kind == "day" else
                        ("服务质量月报", "Monthly service report") if period.kind == "month"
                        else ("服务质量报告", "Service report"))
    story: list[Any] = [
        Paragraph(f"{content.branch_zh} {kind_zh}", styles.title),
        Paragraph(f"{content.branch_en} — {kind_en}", styles.subtitle),
        Paragraph(f"统计期间 Period：{_period_text(content)}　生成 Generated：{content.generated}",
                  styles.body),
    ]
    chosen = content.filter_text()
    if chosen:
        story.append(Paragraph(f"范围 Only：{chosen[0]}（{chosen[1]}）", styles.body))
    sections = iter(NUMERALS)

    def heading(zh: str, en: str) -> Paragraph:
        return Paragraph(f"{next(sections)}、{zh} {en}", styles.heading)

    total = content.kpis.total
    story += [heading("概览", "Summary"), _summary_table(total, styles)]
    floor = f"{content.floor * 100:.0f}%"
    if below_floor(total, content.floor):
        story.append(Paragraph(f"满意率低于 {floor} 底线，请逐条跟进不满意评价。"
                               f" Satisfaction is below the {floor} floor: follow up every"
                               " dissatisfied rating.", styles.alert))
    story.append(heading("图表", "Charts"))
    story += [KeepTogether([chart, Spacer(1, 4)]) for chart in _charts(content)]
    breakdowns = (["day"] if content.monthly else []) + ["service", "counter", "staff"]
    for dimension in breakdowns:
        rows = content.kpis.breakdowns.get(dimension, ())
        zh, en = DIMENSION_NAMES[dimension]
        story.append(heading(f"按{zh}", f"By {en.lower()}"))
        story.append(_breakdown_table(content, dimension, rows, styles))
    story.append(Spacer(1, 6))
    story.append(Paragraph(
        "口径 Definitions：等候 = 取号至首次叫号；办理 = 开始（或叫号）至办结；"
        "目标内 = 等候不超过该业务的目标时间；90%等候取整分钟；过号率 = 过号 ÷（办结 + 过号）；"
        "满意率 = （非常满意 + 满意）÷ 评价数（未评价不计）；"
        "参评率 = 已评价 ÷（已评价 + 超时未评）。"
        " Wait = issue to first call; "
        "handling = start (or call) to finish; within target = wait within the service's "
        "target; P90 in whole minutes; no-show rate = no-shows / (served + no-shows); "
        "satisfaction = (very satisfied + satisfied) / ratings given; participation = "
        "answered / (answered + timed out).", styles.body))

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=14 * mm, bottomMargin=16 * mm,
                            title=f"{kind_en} {period.label}", author=content.branch_en)
    footer = f"{content.branch_zh} {kind_zh} {period.label}"
    doc.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return out.getvalue()


def _period_text(content: ReportContent) -> str:
    period = content.period
    if period.first == period.last:
        return content.names.label("day", period.first)[0] + f"（{period.first.isoformat()}）"
    return f"{period.first.isoformat()} 至 to {period.last.isoformat()}（{period.days} 天 days）"


def _footer(text: str) -> Any:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(cjk_font(), 7.5)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawString(15 * mm, 9 * mm, text)
        canvas.drawRightString(A4[0] - 15 * mm, 9 * mm, f"第 {doc.page} 页 Page {doc.page}")
        canvas.restoreState()
    return draw


def _summary_table(row: KpiRow, styles: _Styles) -> Table:
    items = summary(row)
    half = (len(items) + 1) // 2

    def pair(item: tuple[str, str, str] | None) -> list[Any]:
        if item is None:
            return ["", ""]
        zh, en, value = item
        return [Paragraph(f"{zh} <font size=6.5 color='#555555'>{en}</font>", styles.body),
                value]

    cells = [pair(items[i]) + pair(items[i + half] if i + half < len(items) else None)
             for i in range(half)]
    table = Table(cells, colWidths=[CONTENT_WIDTH * w for w in (0.32, 0.18, 0.32, 0.18)])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), cjk_font(), 9),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("ALIGN", (3, 0), (3, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def _breakdown_table(content: ReportContent, dimension: str, rows: Sequence[KpiRow],
                     styles: _Styles) -> Table:
    zh, en = DIMENSION_NAMES[dimension]
    head = [Paragraph(f"{zh}<br/>{en}", styles.head)] + [
        Paragraph(f"{c.zh}<br/>{c.en}", styles.head) for c in COLUMNS]
    ordered = sorted(rows, key=lambda r: content.names.order(dimension, r.key))
    body = []
    alerts = []
    for i, row in enumerate([*ordered, content.kpis.total]):
        total = i == len(ordered)
        name = "合计 Total" if total else content.names.bilingual(dimension, row.key)
        body.append([Paragraph(name, styles.cell), *[c.text(row) for c in COLUMNS]])
        if below_floor(row, content.floor):
            alerts.append(("TEXTCOLOR", (8, i + 1), (8, i + 1), ALERT))
    widths = [CONTENT_WIDTH * 0.17] + [CONTENT_WIDTH * 0.83 / len(COLUMNS)] * len(COLUMNS)
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), cjk_font(), 7),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        *alerts,
    ]))
    return table


def _charts(content: ReportContent) -> list[Any]:
    kpis, names, floor = content.kpis, content.names, content.floor
    floor_label = f"{floor * 100:.0f}%"
    hours = dict(kpis.by_hour)
    span = range(min(hours, default=8), max(hours, default=17) + 1)
    by_hour = bar_chart("分时段取号 Tickets by hour of day", [f"{h:02d}" for h in span],
                        [[hours.get(h, 0) for h in span]])
    if content.monthly:
        found = {r.key: r for r in kpis.breakdowns.get("day", ())}
        every = [content.period.first + timedelta(days=i) for i in range(content.period.days)]
        empty = KpiRow(key=None)
        days = [found.get(d, empty) for d in every]  # days without tickets stay on the axis
        labels = [str(d.day) if content.period.kind == "month" else f"{d.month}/{d.day}"
                  for d in every]
        return [
            bar_chart("每日取号与办结 Tickets issued and served per day", labels,
                      [[r.issued for r in days], [r.served for r in days]],
                      ["取号 Issued", "办结 Served"]),
            line_chart("每日满意率（%）Satisfaction rate by day (%)", labels,
                       [[_pct(r.satisfaction_rate) for r in days]], value_max=100,
                       floor=floor * 100, floor_label=floor_label),
            line_chart("每日等候（分钟）Wait by day (minutes)", labels,
                       [[_min(r.wait_avg_s) for r in days],
                        [r.wait_p90_min for r in days]],
                       ["平均 Average", "90% P90"]),
            by_hour,
        ]
    counters = kpis.breakdowns.get("counter", ())
    services = sorted(kpis.breakdowns.get("service", ()),
                      key=lambda r: names.order("service", r.key))
    services = [r for r in services if r.key is not None]
    return [
        by_hour,
        bar_chart("各窗口满意率（%）Satisfaction rate by counter (%)",
                  [names.label("counter", r.key)[0] for r in counters if r.key is not None],
                  [[_pct(r.satisfaction_rate) for r in counters if r.key is not None]],
                  value_max=100, floor=floor * 100, floor_label=floor_label),
        bar_chart("各业务等候（分钟）Wait by service (minutes)",
                  [names.label("service", r.key)[0] for r in services],
                  [[_min(r.wait_avg_s) for r in services],
                   [r.wait_p90_min for r in services]],
                  ["平均 Average", "90% P90"]),
    ]


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _min(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


__all__ = ["report_pdf"]
