"""The daily and monthly report as files: PDF (A4, Chinese with English headings, the
charts drawn with ReportLab) and CSV, for a day, a month or a range of days.

Each file is written under a temporary name in its own folder and renamed once
complete, so a cancelled or failed report never leaves half a file nor replaces an
older one. Writing a report exports the branch's figures: it is audited
(``report.export``). See docs/reports.md.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.app.context import AppContext
from kiosk.app.reports import (
    Cancelled,
    KpiReport,
    Progress,
    ReportCancelled,
    read_period,
    report_of,
)
from kiosk.app.results import Result
from kiosk.app.staff import note, requires
from kiosk.errors import UsageError
from kiosk.reports.content import ReportContent
from kiosk.reports.csvfile import report_csv
from kiosk.reports.kpi import DIMENSIONS, KpiFilter
from kiosk.reports.pdf import report_pdf
from kiosk.reports.periods import Period
from kiosk.staff.permissions import Permission, StaffSession


@dataclass(frozen=True)
class ReportWritten(Result):
    """The files written (absolute paths, None: not asked for), their sizes and the
    figures they hold."""

    pdf: str | None
    csv: str | None
    pdf_bytes: int
    csv_bytes: int
    kpis: KpiReport = field(repr=False)


@requires(Permission.REPORTS)
def write_report(app: AppContext, staff: StaffSession, period: Period, *,
                 pdf: Path | None = None, csv: Path | None = None,
                 kpi_filter: KpiFilter | None = None, progress: Progress | None = None,
                 cancelled: Cancelled | None = None) -> ReportWritten:
    """Write the report of ``period`` to ``pdf`` and/or ``csv``. ``progress(done,
    total, step)`` follows the rollup's days, the figures and each file; ``cancelled()``
    is asked before each step and before the files are put in place.

    Raises:
        UsageError: neither file asked for, or a file whose folder does not exist or
            cannot be written (named), checked before any work is done.
        ReportCancelled: cancelled before the files were in place (none written).
    """
    if pdf is None and csv is None:
        raise UsageError("请指定 PDF 或 CSV 文件", "give a PDF or a CSV file (or both)")
    pdf_path = _target(pdf) if pdf is not None else None
    csv_path = _target(csv) if csv is not None else None
    tick = _Ticker(progress, cancelled, 1 + (pdf is not None) + (csv is not None))
    read = read_period(app, period, kpi_filter or KpiFilter(), tuple(DIMENSIONS),
                       tick.rollup, cancelled)
    tick("figures")
    content = ReportContent(period, read.kpis, read.names, read.branch_zh, read.branch_en,
                            read.generated)
    pdf_data = csv_data = b""
    if pdf_path is not None:
        pdf_data = report_pdf(content)
        tick("pdf")
    if csv_path is not None:
        csv_data = report_csv(content)
        tick("csv")
    tick.check()
    written = [_write(path, data) for path, data in ((pdf_path, pdf_data),
                                                     (csv_path, csv_data)) if path]
    with app.write() as session:
        note(session, app, staff, "report.export", subject=period.label,
             detail=" ".join(p.name for p in written)[:200])
    return ReportWritten(pdf=str(pdf_path) if pdf_path else None,
                         csv=str(csv_path) if csv_path else None,
                         pdf_bytes=len(pdf_data), csv_bytes=len(csv_data),
                         kpis=report_of(period, read))


class _Ticker:
    """Progress of a report: the rollup's days, then one step each for the figures and
    each file; checks ``cancelled`` at every step."""

    def __init__(self, progress: Progress | None, cancelled: Cancelled | None,
                 steps: int) -> None:
        self.progress, self.cancelled, self.steps = progress, cancelled, steps
        self.days = self.done = 0

    def rollup(self, done: int, total: int, step: str) -> None:
        self.days = total
        if self.progress is not None:
            self.progress(done, total + self.steps, step)

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReportCancelled("已取消，未写入文件", "cancelled: no file was written",
                                  code="cancelled")

    def __call__(self, step: str) -> None:
        self.check()
        self.done += 1
        if self.progress is not None:
            self.progress(self.days + self.done, self.days + self.steps, step)


def _target(path: Path) -> Path:
    """``path`` made absolute, its folder checked before any work is done."""
    path = Path(path).expanduser().absolute()
    if path.is_dir():
        raise UsageError(f"{path} 是文件夹，请给出文件名",
                         f"{path} is a folder: give a file name", code="report_file")
    if not path.parent.is_dir():
        raise UsageError(f"文件夹不存在：{path.parent}", f"no such folder: {path.parent}",
                         code="report_file")
    if not os.access(path.parent, os.W_OK):
        raise UsageError(f"无权写入文件夹：{path.parent}",
                         f"cannot write to the folder {path.parent}", code="report_file")
    return path


def _write(path: Path, data: bytes) -> Path:
    """``data`` into ``path`` through a temporary file in the same folder."""
    tmp = ""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".partial-", suffix=path.suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"无法写入 {path}：{exc.strerror}",
                         f"cannot write {path}: {exc.strerror}", code="report_file") from exc
    return path


__all__ = ["ReportWritten", "write_report"]
