"""The KPI page's charts (QtCharts): bars per breakdown row, or lines over the days,
with the satisfaction floor as a dashed line.

QtCharts is imported by this module only, and this module only by the KPI page, which
the admin desk imports when a role that reaches it opens it: no other role's cold start
pays for it. Colours come from the theme (``ui.theme.current_theme()``).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QWidget

from ui import theme

Values = Sequence[float | None]
MAX_BAR_CATEGORIES = 40
"""More rows than this (a year by day) are drawn as lines: bars would be hairlines."""


def _colours() -> list[QColor]:
    look = theme.current_theme()
    return [QColor(look.primary), QColor(look.focus), QColor(look.success_text)]


class KpiChart(QChartView):
    """One chart: :meth:`show_bars` or :meth:`show_lines`; ``series_values()`` says
    what it shows (tests, and the accessible description)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        self._chart = QChart()
        super().__init__(self._chart, parent)
        self.setObjectName(name)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._chart.setMargins(QMargins(4, 4, 4, 4))
        self._chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.setMinimumHeight(int(theme.current_theme().touch_px * 4.5))
        self._shown: dict[str, list[float | None]] = {}

    def _font(self, scale: float = 1.0) -> QFont:
        font = QFont(theme.FONT_FAMILY)
        font.setPixelSize(int(theme.current_theme().small_px * scale))
        return font

    def _reset(self, title: str) -> None:
        chart = self._chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        chart.setTitle(title)
        chart.setTitleFont(self._font(1.1))
        chart.legend().setFont(self._font(0.9))
        self._shown = {}
        self.setAccessibleName(title)

    def _value_axis(self, value_max: float | None, values: list[float]) -> QValueAxis:
        axis = QValueAxis()
        top = value_max if value_max is not None else max([1.0, *values]) * 1.15
        axis.setRange(0, top)
        axis.setLabelFormat("%.0f")
        axis.setLabelsFont(self._font(0.8))
        axis.setTickCount(6)
        if value_max is None:
            axis.applyNiceNumbers()  # 0, 2000, 4000... rather than 0, 1562, 3124...
        return axis

    def _floor(self, floor: float | None, name: str, first: float, last: float,
               x_axis: object, y_axis: QValueAxis) -> None:
        if floor is None:
            return
        line = QLineSeries()
        line.setName(name)
        line.append(QPointF(first, floor))
        line.append(QPointF(last, floor))
        pen = QPen(QColor(theme.current_theme().danger))
        pen.setWidth(3)
        pen.setStyle(Qt.PenStyle.DashLine)
        line.setPen(pen)
        self._chart.addSeries(line)
        line.attachAxis(x_axis)  # type: ignore[arg-type]
        line.attachAxis(y_axis)
        self._shown[name] = [floor]

    def show_bars(self, title: str, categories: Sequence[str],
                  series: Sequence[tuple[str, Values]], *, value_max: float | None = None,
                  floor: float | None = None, floor_name: str = "") -> None:
        """A bar per category and series (None: no bar); many categories → lines."""
        if len(categories) > MAX_BAR_CATEGORIES:
            self.show_lines(title, categories, series, value_max=value_max, floor=floor,
                            floor_name=floor_name)
            return
        self._reset(title)
        bars = QBarSeries()
        values: list[float] = []
        for (name, data), colour in zip(series, _colours(), strict=False):
            bar_set = QBarSet(name)
            bar_set.setColor(colour)
            bar_set.setBorderColor(colour)
            for value in data:
                bar_set.append(0.0 if value is None else float(value))
            values += [float(v) for v in data if v is not None]
            bars.append(bar_set)
            self._shown[name] = list(data)
        self._chart.addSeries(bars)
        x_axis = QBarCategoryAxis()
        x_axis.append(list(categories) or [""])
        x_axis.setLabelsFont(self._font(0.8))
        y_axis = self._value_axis(value_max, values)
        self._chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        bars.attachAxis(x_axis)
        bars.attachAxis(y_axis)
        self._floor(floor, floor_name, -0.5, len(categories) - 0.5, x_axis, y_axis)
        self._chart.legend().setVisible(len(series) > 1 or floor is not None)
        self._describe()

    def show_lines(self, title: str, categories: Sequence[str],
                   series: Sequence[tuple[str, Values]], *, value_max: float | None = None,
                   floor: float | None = None, floor_name: str = "") -> None:
        """A line per series over the categories in order (a missing value is skipped);
        the x axis names the first and last category."""
        self._reset(title)
        values: list[float] = []
        x_axis = QValueAxis()
        x_axis.setRange(0, max(1, len(categories) - 1))
        x_axis.setLabelsVisible(False)
        x_axis.setTickCount(2)
        if categories:
            x_axis.setTitleText(f"{categories[0]} … {categories[-1]}")
        x_axis.setTitleFont(self._font(0.8))
        lines = []
        for (name, data), colour in zip(series, _colours(), strict=False):
            line = QLineSeries()
            line.setName(name)
            pen = QPen(colour)
            pen.setWidth(2)
            line.setPen(pen)
            for i, value in enumerate(data):
                if value is not None:
                    line.append(QPointF(i, float(value)))
                    values.append(float(value))
            self._chart.addSeries(line)
            lines.append(line)
            self._shown[name] = list(data)
        y_axis = self._value_axis(value_max, values)
        self._chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self._chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for line in lines:
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        self._floor(floor, floor_name, 0, max(1, len(categories) - 1), x_axis, y_axis)
        self._chart.legend().setVisible(len(series) > 1 or floor is not None)
        self._describe()

    def clear(self, title: str) -> None:
        self._reset(title)

    def series_values(self) -> dict[str, list[float | None]]:
        """Series name → the values shown (the floor line: ``[floor]``)."""
        return dict(self._shown)

    def series_kinds(self) -> list[str]:
        """``bar`` or ``line`` per series of the chart, in order."""
        return ["bar" if isinstance(s, QBarSeries) else "line" for s in self._chart.series()]

    def _describe(self) -> None:
        self.setAccessibleDescription("; ".join(
            f"{name}: {', '.join('—' if v is None else f'{v:g}' for v in values[:50])}"
            for name, values in self._shown.items()))


__all__ = ["MAX_BAR_CATEGORIES", "KpiChart"]
