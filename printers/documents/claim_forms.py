"""Claim printouts on A4, for an office printer: the checklist notice and the
hand-over form.

Both are laid out from the check's view (the dict ``kiosk.claims.views.check_view``
returns), so this module needs no database and no claim rules:

- :func:`checklist_notice_a4` — the notice of :mod:`printers.documents.claim_notice` on A4;
- :func:`handover_form_a4` — the form the counter and the customer sign when documents
  change hands: each document with the mark required and what was received (original
  or copy), and signature boxes;
- :func:`checklist_notice_pdf` and :func:`handover_form_pdf` write either to a file
  (the notice on ``roll80``, ``roll58`` or ``a4``).

No personal data appears on either: the reference is random, documents are named by
kind, and the customer signs by hand.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from printers.documents.claim_notice import (
    LEGEND_EN,
    LEGEND_ZH,
    MARK_TEXT,
    PAPERS,
    checklist_notice,
    local_time,
    write_pdf,
)
from printers.documents.fonts import cjk_font
from printers.documents.model import A4
from printers.documents.pdf import draw_qr, render_pdf
from printers.documents.slips import BranchHeading
from printers.errors import UsageError


def checklist_notice_pdf(view: Mapping[str, Any], branch: BranchHeading, path: Path,
                         paper: str = "roll80") -> None:
    """Write the notice as PDF on ``paper`` (``roll80``, ``roll58`` or ``a4``).

    Raises:
        UsageError: unknown paper, or the file cannot be written.
        ConfigError: no CJK font is installed.
    """
    if paper == "a4":
        data = checklist_notice_a4(view, branch)
    elif paper in PAPERS:
        data = render_pdf(checklist_notice(view, branch), PAPERS[paper])
    else:
        raise UsageError(f"纸张只能是 roll80、roll58 或 a4：{paper}",
                         f"paper must be roll80, roll58 or a4, not {paper!r}")
    write_pdf(path, data)


# ----- A4 ------------------------------------------------------------------------------------


class _Styles:
    """Paragraph styles in the CJK font (wrapping between Hanzi)."""

    def __init__(self) -> None:
        font = cjk_font()
        self.title = ParagraphStyle("title", fontName=font, fontSize=17, leading=22,
                                    spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", fontName=font, fontSize=10.5, leading=14,
                                       textColor=colors.HexColor("#444444"))
        self.heading = ParagraphStyle("heading", fontName=font, fontSize=12, leading=16,
                                      spaceBefore=8, spaceAfter=4)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13,
                                   wordWrap="CJK")
        self.small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10.5,
                                    wordWrap="CJK", textColor=colors.HexColor("#555555"))
        self.big = ParagraphStyle("big", fontName=font, fontSize=14, leading=19,
                                  wordWrap="CJK")


class _QrFlowable(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """The reference as a QR code, drawn as vector squares."""

    def __init__(self, payload: str, side: float) -> None:
        super().__init__()
        self.payload, self.side = payload, side
        self.width = self.height = side

    def draw(self) -> None:
        draw_qr(self.canv, self.payload, 0, 0, self.side)


def _a4(story: list[Flowable], title: str, branch: BranchHeading, reference: str) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=18 * mm, title=title,
                                 invariant=1)
    document.build(story, canvasmaker=_footed_canvas(branch, reference))
    return buffer.getvalue()


def _footed_canvas(branch: BranchHeading, reference: str) -> type[Canvas]:
    """A canvas that writes the footer on every page once the page count is known: the
    branch on the left, ``REFERENCE · page/pages`` on the right, so a page printed or
    signed apart from the others still says which check it belongs to."""
    font = cjk_font()
    left = f"{branch.name_zh} {branch.name_en}"
    if branch.hotline:
        left += f" · 服务热线 Hotline {branch.hotline}"

    class FootedCanvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802  (reportlab's name)
            # Keep the page; it is drawn in save(), when the total is known.
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self.saveState()
                self.setFont(font, 8)
                self.setFillColor(colors.HexColor("#555555"))
                self.drawString(18 * mm, 10 * mm, left)
                self.drawRightString(A4[0] - 18 * mm, 10 * mm,
                                     f"{reference} · {number}/{total}")
                self.restoreState()
                super().showPage()
            super().save()

    return FootedCanvas


def _header(view: Mapping[str, Any], branch: BranchHeading, styles: _Styles, title_zh: str,
            title_en: str, facts: Sequence[tuple[str, str]]) -> Table:
    """Title block: titles and facts on the left, the reference QR on the right."""
    left: list[Flowable] = [
        Paragraph(f"{branch.name_zh} · {branch.name_en}", styles.subtitle),
        Paragraph(title_zh, styles.title), Paragraph(title_en, styles.subtitle), Spacer(1, 6)]
    left += [Paragraph(f"{label}：{value}", styles.body) for label, value in facts]
    right = [_QrFlowable(view["reference"], 28 * mm),
             Paragraph(view["reference"], styles.small)]
    table = Table([[left, right]], colWidths=[A4[0] - 36 * mm - 34 * mm, 34 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("ALIGN", (1, 0), (1, 0), "CENTER"),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 8)]))
    return table


def _grid(rows: list[list[Any]], widths: Sequence[float]) -> Table:
    table = Table(rows, colWidths=list(widths), repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6E6E6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _facts(view: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [("理赔类型 Claim type", f"{view['claim_type_name_zh']} {view['claim_type_name_en']}"),
            ("核对编号 Reference", view["reference"]),
            ("核对时间 Checked", local_time(view["checked_at"])),
            ("资料目录版本 Catalogue version", view["catalogue_version"])]


def checklist_notice_a4(view: Mapping[str, Any], branch: BranchHeading) -> bytes:
    """The checklist notice on A4: a table of every required document."""
    styles = _Styles()
    story: list[Flowable] = [_header(view, branch, styles, "理赔资料告知书",
                                     "Claim documents notice", _facts(view))]
    missing = [d for d in view["documents"] if not d["present"]]
    if view["complete"]:
        story.append(Paragraph(
            f"资料齐全。资料交齐后，我们将于 <b>{view['decision_by']}</b> 前作出核定。<br/>"
            f"Your documents are complete. We will decide on your claim by "
            f"{view['decision_by']} once they are handed in.", styles.big))
    else:
        story.append(Paragraph(
            f"尚缺 {len(missing)} 份资料，以下为需补充的全部资料（一次性告知）。<br/>"
            f"{len(missing)} document(s) missing; this is the complete list of what is "
            f"still needed.", styles.big))
    story.append(Spacer(1, 6))
    rows: list[list[Any]] = [[Paragraph(h, styles.body) for h in (
        "状态<br/>Status", "资料 Document", "要求<br/>Required", "如何获取 Where to get it")]]
    for doc in view["documents"]:
        zh_mark, en_mark = MARK_TEXT[doc["original"]]
        status = "√ 已备<br/>have" if doc["present"] else "□ <b>缺</b><br/><b>missing</b>"
        rows.append([Paragraph(status, styles.body),
                     Paragraph(f"{doc['name_zh']}<br/>{doc['name_en']}", styles.body),
                     Paragraph(f"{doc['original']}<br/>{zh_mark}<br/>{en_mark}", styles.small),
                     Paragraph(f"{doc['hint_zh']}<br/>{doc['hint_en']}", styles.small)])
    grid = _grid(rows, [20 * mm, 52 * mm, 30 * mm, 72 * mm])
    for index, doc in enumerate(view["documents"], start=1):
        if not doc["present"]:
            grid.setStyle(TableStyle([("BACKGROUND", (0, index), (0, index),
                                       colors.HexColor("#FFE9A8"))]))
    story += [grid, Spacer(1, 6), Paragraph(f"{LEGEND_ZH} / {LEGEND_EN}", styles.small),
              Spacer(1, 4),
              Paragraph("到理赔窗口办理时请出示本告知书。Show this notice at the claims "
                        "counter.", styles.body)]
    return _a4(story, f"claim notice {view['reference']}", branch, view["reference"])


# ----- the hand-over form ------------------------------------------------------------------


def handover_form_a4(view: Mapping[str, Any], branch: BranchHeading) -> bytes:
    """The A4 hand-over form for the documents in ``view["handover"]``.

    Every document the claim needs is listed, plus any other document received; each
    shows the mark required and what was received (original or copy), and a remark
    where an original is still outstanding.
    """
    styles = _Styles()
    handover = view["handover"]
    received: dict[str, str] = dict(handover["received"])
    facts = [*_facts(view), ("交接时间 Handed over", local_time(handover["at"]))]
    if handover.get("staff"):
        facts.append(("经办人工号 Staff", handover["staff"]))
    story: list[Flowable] = [_header(view, branch, styles, "理赔资料交接单",
                                     "Claim documents hand-over form", facts)]

    known = {d["code"]: d for d in view["documents"]}
    listed = list(view["documents"]) + [
        {"code": code, "name_zh": code, "name_en": "", "original": mark, "present": True}
        for code, mark in received.items() if code not in known]
    rows: list[list[Any]] = [[Paragraph(h, styles.body) for h in (
        "序号<br/>No.", "资料 Document", "要求<br/>Required", "收到 Received", "备注 Remark")]]
    outstanding = 0
    for number, doc in enumerate(listed, start=1):
        got = received.get(doc["code"])
        if got is None:
            state, remark = "□ 未收<br/>not received", "待补交<br/>to follow"
            outstanding += 1
        else:
            zh, en = MARK_TEXT[got]
            state = f"■ {zh}<br/>{en}"
            remark = ""
            if doc["original"] == "O" and got == "C":
                remark, outstanding = "原件待补交<br/>original to follow", outstanding + 1
        rows.append([Paragraph(str(number), styles.body),
                     Paragraph(f"{doc['name_zh']}<br/>{doc['name_en']}", styles.body),
                     Paragraph(doc["original"], styles.body),
                     Paragraph(state, styles.body), Paragraph(remark, styles.small)])
    story += [Paragraph("交接资料 Documents handed over", styles.heading),
              _grid(rows, [13 * mm, 70 * mm, 20 * mm, 36 * mm, 35 * mm]), Spacer(1, 4),
              Paragraph(f"{LEGEND_ZH} / {LEGEND_EN}", styles.small), Spacer(1, 6)]
    total = len(received)
    summary_zh = f"共收到 {total} 份资料。" + (
        f"尚有 {outstanding} 项待补交。" if outstanding else "所需资料已全部收齐。")
    summary_en = f"{total} document(s) received. " + (
        f"{outstanding} item(s) still to follow." if outstanding
        else "Every document needed has been received.")
    story.append(Paragraph(f"{summary_zh}<br/>{summary_en}", styles.body))
    story.append(Spacer(1, 14))
    story.append(KeepTogether(_signature_boxes(styles)))
    story += [Spacer(1, 8),
              Paragraph("本单一式两份，客户与网点各执一份。This form is made in two copies: one "
                        "for the customer, one for the branch.", styles.small)]
    return _a4(story, f"claim hand-over {view['reference']}", branch, view["reference"])


def _signature_boxes(styles: _Styles) -> list[Flowable]:
    """Two boxes side by side, tall enough to sign in, with a date line each."""
    def box(title: str) -> list[Flowable]:
        return [Paragraph(title, styles.body), Spacer(1, 22 * mm),
                Paragraph("日期 Date：______年____月____日", styles.small)]

    table = Table([[box("客户签字 Customer signature"), box("经办人签字 Staff signature")]],
                  colWidths=[87 * mm, 87 * mm])
    table.setStyle(TableStyle([("BOX", (0, 0), (0, 0), 0.8, colors.black),
                               ("BOX", (1, 0), (1, 0), 0.8, colors.black),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6),
                               ("TOPPADDING", (0, 0), (-1, -1), 6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    return [table]


def handover_form_pdf(view: Mapping[str, Any], branch: BranchHeading, path: Path) -> None:
    """Write the A4 hand-over form to ``path``."""
    write_pdf(path, handover_form_a4(view, branch))


__all__ = ["checklist_notice_a4", "checklist_notice_pdf", "handover_form_a4",
           "handover_form_pdf"]
