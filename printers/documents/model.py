"""Roll documents: what a receipt says, laid out once, rendered three ways.

A :class:`RollDocument` is a short list of blocks (:class:`Line`, :class:`Qr`,
:class:`Rule`, :class:`Space`). The same blocks become

- a PDF page on the roll's printable width (:func:`render_pdf`, ReportLab, the CJK
  font embedded): preview, ``kiosk ticket pdf``, and the source of raster printing;
- ESC/POS text commands (``printers.escpos.encode``): GB18030 text, ``GS !`` sizes, native QR.

Sizes are printer magnifications (1-8, as ``GS !``): size 1 is Font A, a Hanzi 24 dots
high and two 12-dot columns wide. The PDF uses the same metric (203 dpi), so a line
that fits the printer's columns fits the PDF page and both wrap at the same place.

The documents are plain data (JSON with :meth:`RollDocument.to_json`): the print spool
stores the document itself, so a reprint is the same paper as the first print even if
the queue has moved on since.

Layouts provided here: :func:`queue_ticket` and :func:`acknowledgement`. Other
subsystems (the claim checklist notice) build their own ``RollDocument`` from these
primitives, and A4 forms with ReportLab directly using :func:`cjk_font`,
:func:`draw_qr` and :data:`A4`.
"""

from __future__ import annotations

import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4 as _A4
from reportlab.pdfgen.canvas import Canvas

from printers.documents.fonts import cjk_font
from printers.errors import UsageError

DPI = 203
POINTS_PER_DOT = 72 / DPI
A4: tuple[float, float] = _A4
"""A4 portrait in points, for forms printed on an office printer."""

Align = Literal["left", "center", "right"]

# Font A: 12x24 dots; a line advances by the glyph height plus this gap.
CHAR_DOTS_W, CHAR_DOTS_H, LINE_GAP_DOTS = 12, 24, 6


@dataclass(frozen=True)
class RollPaper:
    """A receipt roll: its nominal width and the printable dots across it (203 dpi)."""

    name: str
    width_mm: int
    dots: int

    @property
    def columns(self) -> int:
        """Font A columns at size 1 (a Hanzi takes two)."""
        return self.dots // CHAR_DOTS_W

    @property
    def width_pt(self) -> float:
        """The PDF page width: the printable width only, so raster needs no cropping."""
        return self.dots * POINTS_PER_DOT


ROLL_80MM = RollPaper("80mm", 80, 576)
ROLL_80MM_512 = RollPaper("80mm-512", 80, 512)
ROLL_58MM = RollPaper("58mm", 58, 384)
ROLLS = {p.name: p for p in (ROLL_80MM, ROLL_80MM_512, ROLL_58MM)}


def roll_for_dots(dots: int) -> RollPaper:
    """The roll whose printable width is ``dots`` (576, 512 or 384)."""
    for paper in ROLLS.values():
        if paper.dots == dots:
            return paper
    return RollPaper(f"{dots}dots", round(dots / DPI * 25.4) + 8, dots)


# ----- blocks ------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One paragraph of text; wrapped to the roll's columns at its size."""

    text: str
    size: int = 1
    align: Align = "center"
    bold: bool = False


@dataclass(frozen=True)
class Qr:
    """A QR code of an ASCII payload (references only, never personal data)."""

    payload: str
    module_dots: int = 4


@dataclass(frozen=True)
class Rule:
    """A dashed separator across the roll."""


@dataclass(frozen=True)
class Space:
    """Blank paper, in dots."""

    dots: int = 12


Block = Line | Qr | Rule | Space
_BLOCK_TYPES: dict[str, type[Any]] = {"line": Line, "qr": Qr, "rule": Rule, "space": Space}
_BLOCK_NAMES = {cls: name for name, cls in _BLOCK_TYPES.items()}


@dataclass(frozen=True)
class RollDocument:
    """A printable roll document. ``kind`` names the layout (``queue_ticket``...),
    ``reference`` what it is about (a ticket number, a case reference)."""

    kind: str
    reference: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict (stored by the print spool)."""
        return {"kind": self.kind, "reference": self.reference,
                "blocks": [{"type": _BLOCK_NAMES[type(b)], **asdict(b)} for b in self.blocks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RollDocument:
        """Inverse of :meth:`to_json`; raises ``UsageError`` on a malformed document."""
        try:
            blocks = []
            for item in data["blocks"]:
                fields = dict(item)
                blocks.append(_BLOCK_TYPES[fields.pop("type")](**fields))
            return cls(kind=str(data["kind"]), reference=str(data["reference"]),
                       blocks=tuple(blocks))
        except (KeyError, TypeError) as exc:
            raise UsageError("打印文档格式错误", f"malformed print document: {exc}") from exc

    def text(self) -> str:
        """All text lines, for logs and the fake printer's comparison."""
        return "\n".join(b.text for b in self.blocks if isinstance(b, Line))


def dumps(doc: RollDocument) -> str:
    return json.dumps(doc.to_json(), ensure_ascii=False)


# ----- text metrics ------------------------------------------------------------------

def char_columns(ch: str) -> int:
    """Font A columns of one character: 2 for wide (Hanzi, full-width), else 1."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def text_columns(text: str) -> int:
    return sum(char_columns(ch) for ch in text)


def wrap(text: str, columns: int) -> list[str]:
    """Break ``text`` into lines of at most ``columns`` Font A columns.

    Breaks at spaces when a Latin word would be cut, anywhere between Hanzi (Chinese
    has no spaces)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, width = "", 0
        for ch in paragraph:
            w = char_columns(ch)
            if width + w > columns and current:
                cut = current.rfind(" ")
                if ch != " " and cut > 0 and char_columns(current[-1]) == 1:
                    lines.append(current[:cut].rstrip())
                    current = current[cut + 1:]
                else:
                    lines.append(current.rstrip())
                    current = ""
                width = text_columns(current)
                if ch == " " and not current:
                    continue
            current += ch
            width += w
        lines.append(current.rstrip())
    return lines


def line_layout(line: Line, paper: RollPaper, max_size: int = 8) -> tuple[int, list[str]]:
    """The size actually used (capped so that at least a few columns fit) and the
    wrapped lines. Shared by the PDF and the ESC/POS encoder so both break alike."""
    size = max(1, min(line.size, max_size, 8))
    columns = max(1, paper.columns // size)
    return size, wrap(line.text, columns)


def qr_matrix(payload: str) -> list[list[bool]]:
    """The QR modules (True = dark), no quiet zone, error correction M."""
    code = qrcode.QRCode(border=0, error_correction=ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return [[bool(m) for m in row] for row in code.get_matrix()]


def block_height_dots(block: Block, paper: RollPaper) -> int:
    if isinstance(block, Line):
        size, lines = line_layout(block, paper)
        return len(lines) * (size * CHAR_DOTS_H + LINE_GAP_DOTS)
    if isinstance(block, Qr):
        return len(qr_matrix(block.payload)) * block.module_dots + 2 * LINE_GAP_DOTS
    if isinstance(block, Rule):
        return CHAR_DOTS_H
    return block.dots


# ----- PDF ---------------------------------------------------------------------------

def draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """Draw a QR code of ``payload`` as vector squares, lower-left corner at (x, y),
    ``size`` points square. Crisp at any resolution (raster, A4 laser)."""
    matrix = qr_matrix(payload)
    module = size / len(matrix)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                run = c
                while run < len(row) and row[run]:
                    run += 1
                canvas.rect(x + c * module, y + size - (r + 1) * module,
                            (run - c) * module, module, stroke=0, fill=1)
                c = run
            else:
                c += 1
    canvas.restoreState()


def render_pdf(doc: RollDocument, paper: RollPaper = ROLL_80MM) -> bytes:
    """The document as a one-page PDF exactly as wide as the printable roll, as long
    as its content. Raises ``ConfigError`` if no CJK font is installed."""
    font = cjk_font()
    d = POINTS_PER_DOT
    height_dots = sum(block_height_dots(b, paper) for b in doc.blocks) + 2 * LINE_GAP_DOTS
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(paper.width_pt, height_dots * d), invariant=1,
                    pageCompression=1)
    canvas.setTitle(f"{doc.kind} {doc.reference}")
    top = height_dots - LINE_GAP_DOTS  # the cursor, in dots from the bottom
    for block in doc.blocks:
        if isinstance(block, Line):
            size, lines = line_layout(block, paper)
            glyph = size * CHAR_DOTS_H
            canvas.setFont(font, glyph * d)
            for text in lines:
                # Baseline about 0.85 of the glyph box down, as Font A sits in its cell.
                baseline = (top - glyph * 0.86) * d
                if block.align == "center":
                    canvas.drawCentredString(paper.width_pt / 2, baseline, text)
                elif block.align == "right":
                    canvas.drawRightString(paper.width_pt, baseline, text)
                else:
                    canvas.drawString(0, baseline, text)
                if block.bold:
                    # A fake bold (the font has one weight): overprint a hair to the right.
                    shift = 0.6 * size * d
                    if block.align == "center":
                        canvas.drawCentredString(paper.width_pt / 2 + shift, baseline, text)
                    elif block.align == "right":
                        canvas.drawRightString(paper.width_pt - shift, baseline, text)
                    else:
                        canvas.drawString(shift, baseline, text)
                top -= glyph + LINE_GAP_DOTS
        elif isinstance(block, Qr):
            side = len(qr_matrix(block.payload)) * block.module_dots
            draw_qr(canvas, block.payload, (paper.dots - side) / 2 * d,
                    (top - LINE_GAP_DOTS - side) * d, side * d)
        elif isinstance(block, Rule):
            canvas.setDash(3, 2)
            canvas.setLineWidth(1.5 * d)
            canvas.line(0, (top - CHAR_DOTS_H / 2) * d, paper.width_pt,
                        (top - CHAR_DOTS_H / 2) * d)
            canvas.setDash()
        if not isinstance(block, Line):
            top -= block_height_dots(block, paper)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# ----- layouts -----------------------------------------------------------------------

@dataclass(frozen=True)
class BranchHeading:
    """What every roll document says about the branch at its top and bottom."""

    name_zh: str
    name_en: str
    hotline: str = ""


@dataclass(frozen=True)
class TicketFacts:
    """What a queue ticket shows. No personal data exists on a ticket."""

    number: str
    service_zh: str
    service_en: str
    priority: str  # normal | care | vip
    ahead: int
    wait_min: tuple[int, int] | None
    issued_local: str  # "2026-11-23 10:00", the branch's local time
    qr_payload: str  # the ticket reference
    notice_zh: Sequence[str] = ()
    notice_en: Sequence[str] = ()


_PRIORITY_MARK = {"care": "★ 爱心窗口 优先办理 / Priority (care)",
                  "vip": "◆ VIP 贵宾 / VIP"}


def _heading(branch: BranchHeading) -> list[Block]:
    return [Line(branch.name_zh, size=1, bold=True), Line(branch.name_en), Rule()]


def _footer(branch: BranchHeading) -> list[Block]:
    if not branch.hotline:
        return []
    return [Line(f"服务热线 Hotline {branch.hotline}")]


def queue_ticket(facts: TicketFacts, branch: BranchHeading) -> RollDocument:
    """The queue ticket: branch, service, the number very large, people ahead, the wait
    as a range, issue time, QR reference, priority mark, the branch's notice lines."""
    blocks: list[Block] = [*_heading(branch),
                           Line(facts.service_zh, size=2, bold=True),
                           Line(facts.service_en),
                           Line(facts.number, size=5, bold=True)]
    mark = _PRIORITY_MARK.get(facts.priority)
    if mark:
        blocks.append(Line(mark, bold=True))
    blocks.append(Line(f"前面还有 {facts.ahead} 人 / {facts.ahead} ahead of you"))
    if facts.wait_min:
        lo, hi = facts.wait_min
        blocks.append(Line(f"预计等候 {lo}-{hi} 分钟 / Estimated wait {lo}-{hi} min"))
    else:
        blocks.append(Line("预计等候时间暂无 / No wait estimate yet"))
    blocks += [Line(f"取号时间 Issued {facts.issued_local}"),
               Qr(facts.qr_payload), Rule()]
    blocks += [Line(text, align="left") for text in _interleave(facts.notice_zh,
                                                               facts.notice_en)]
    blocks += _footer(branch)
    return RollDocument("queue_ticket", facts.number, tuple(blocks))


def _interleave(first: Iterable[str], second: Iterable[str]) -> list[str]:
    a, b = list(first), list(second)
    out: list[str] = []
    for i in range(max(len(a), len(b))):
        out += [x[i] for x in (a, b) if i < len(x)]
    return out


@dataclass(frozen=True)
class AcknowledgementFacts:
    """A feedback or complaint receipt: what was received and when we answer."""

    reference: str
    category_zh: str
    category_en: str
    received_local: str
    feedback_date: str  # ISO date on the working-day calendar
    working_days: int
    qr_payload: str


def acknowledgement(facts: AcknowledgementFacts, branch: BranchHeading) -> RollDocument:
    """Acknowledgement of a feedback or complaint, with the promised feedback date."""
    blocks: list[Block] = [
        *_heading(branch),
        Line("受理回执", size=2, bold=True),
        Line("Acknowledgement of receipt"),
        Space(12),
        Line(f"受理编号 Reference: {facts.reference}", align="left", bold=True),
        Line(f"类别 Category: {facts.category_zh} {facts.category_en}", align="left"),
        Line(f"受理时间 Received: {facts.received_local}", align="left"),
        Line(f"我们将于 {facts.feedback_date} 前（{facts.working_days} 个工作日内）反馈处理进展",
             align="left"),
        Line(f"We will report progress by {facts.feedback_date} "
             f"(within {facts.working_days} working days).", align="left"),
        Qr(facts.qr_payload),
        Rule(),
        Line("请保留此回执以便查询 / Keep this receipt for enquiries", align="left"),
        *_footer(branch),
    ]
    return RollDocument("acknowledgement", facts.reference, tuple(blocks))


__all__ = [
    "A4", "DPI", "POINTS_PER_DOT", "ROLLS", "ROLL_58MM", "ROLL_80MM", "ROLL_80MM_512",
    "AcknowledgementFacts", "Block", "BranchHeading", "Line", "Qr", "RollDocument",
    "RollPaper", "Rule", "Space", "TicketFacts", "acknowledgement", "char_columns",
    "cjk_font", "draw_qr", "dumps", "line_layout", "qr_matrix", "queue_ticket",
    "render_pdf", "roll_for_dots", "text_columns", "wrap",
]
