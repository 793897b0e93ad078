"""The report's charts as ReportLab drawings (vector graphics inside the PDF).

Drawn with ReportLab rather than rendered by QtCharts because the report is made by
the core (``kiosk report`` runs headless, on a server, without Qt, which ``kiosk/``
may not import) and because vector charts stay sharp on paper, keep the PDF small,
read back as text (``pdftotext`` finds their labels) and cost a few milliseconds
each. The panel shows the same figures with QtCharts.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

from printers.documents.fonts import cjk_font

SERIES_COLOURS = (colors.HexColor("#1f5fa8"), colors.HexColor("#e08a1e"),
                  colors.HexColor("#4a9a5b"))
FLOOR_COLOUR = colors.HexColor("#c62828")
TITLE_SIZE, LABEL_SIZE = 9, 6.5
LEGEND_STEP = 80


def _frame(width: float, height: float, title: str) -> Drawing:
    drawing = Drawing(width, height)
    drawing.add(String(0, height - TITLE_SIZE, title, fontName=cjk_font(),
                       fontSize=TITLE_SIZE))
    return drawing


def _style_axes(chart: VerticalBarChart | HorizontalLineChart, categories: Sequence[str],
                value_max: float | None) -> None:
    font = cjk_font()
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    step = max(1, len(categories) // 16)  # at most ~16 labels under the axis
    if step > 1:
        chart.categoryAxis.categoryNames = [
            name if i % step == 0 else "" for i, name in enumerate(categories)]
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = LABEL_SIZE
    chart.valueAxis.valueMin = 0
    if value_max is not None:
        chart.valueAxis.valueMax = value_max
        chart.valueAxis.valueStep = value_max / 5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")


def _legend(drawing: Drawing, names: Sequence[str], x: float, y: float) -> None:
    if len(names) < 2:
        return
    legend = Legend()
    legend.x, legend.y = x - LEGEND_STEP * len(names), y
    legend.fontName, legend.fontSize = cjk_font(), LABEL_SIZE
    legend.alignment = "right"
    legend.columnMaximum = 1  # one entry per column: the entries side by side
    legend.dx = legend.dy = 6
    legend.deltax = LEGEND_STEP
    legend.colorNamePairs = list(zip(SERIES_COLOURS, names, strict=False))
    drawing.add(legend)


def _floor(drawing: Drawing, x: float, y: float, width: float, height: float,
           floor: float, value_max: float, label: str) -> None:
    """A dashed horizontal line at ``floor`` (the value axis runs 0..value_max)."""
    at = y + height * floor / value_max
    drawing.add(Line(x, at, x + width, at, strokeColor=FLOOR_COLOUR, strokeWidth=1,
                     strokeDashArray=[4, 2]))
    drawing.add(String(x + width + 2, at - 2, label, fontName=cjk_font(),
                       fontSize=LABEL_SIZE, fillColor=FLOOR_COLOUR))


def bar_chart(title: str, categories: Sequence[str],
              series: Sequence[Sequence[float | None]], names: Sequence[str] = (), *,
              width: float = 480, height: float = 150, value_max: float | None = None,
              floor: float | None = None, floor_label: str = "") -> Drawing:
    """Vertical bars per category, one colour per series; an optional floor line
    (then ``value_max`` fixes the axis, so the line sits exactly at ``floor``)."""
    drawing = _frame(width, height, title)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 70, height - 46
    chart.data = [[v if v is not None else 0 for v in s] for s in series]
    if not any(chart.data):  # nothing to draw (a day without tickets): an empty axis
        chart.data, categories = [[0]], [""]
    _style_axes(chart, categories, value_max)
    chart.barSpacing, chart.groupSpacing = 0.5, 2
    for i in range(len(chart.data)):
        chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    if floor is not None and value_max:
        _floor(drawing, chart.x, chart.y, chart.width, chart.height, floor, value_max,
               floor_label)
    _legend(drawing, names, width - 10, height - 4)
    return drawing


def line_chart(title: str, categories: Sequence[str],
               series: Sequence[Sequence[float | None]], names: Sequence[str] = (), *,
               width: float = 480, height: float = 150, value_max: float | None = None,
               floor: float | None = None, floor_label: str = "") -> Drawing:
    """Lines over the categories (days); a missing value leaves a gap."""
    drawing = _frame(width, height, title)
    chart = HorizontalLineChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 70, height - 46
    chart.data = [list(s) for s in series]
    if not any(chart.data):
        chart.data, categories = [[0]], [""]
    _style_axes(chart, categories, value_max)
    chart.joinedLines = 1
    for i in range(len(chart.data)):
        chart.lines[i].strokeColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.lines[i].strokeWidth = 1.5
    drawing.add(chart)
    if floor is not None and value_max:
        _floor(drawing, chart.x, chart.y, chart.width, chart.height, floor, value_max,
               floor_label)
    _legend(drawing, names, width - 10, height - 4)
    return drawing


__all__ = ["bar_chart", "line_chart"]
