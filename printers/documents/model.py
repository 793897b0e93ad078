"""Roll documents: what a receipt says, laid out once as plain data.

A :class:`RollDocument` is a short list of blocks (:class:`Line`, :class:`Qr`,
:class:`Rule`, :class:`Space`) for a :class:`RollPaper`. The same blocks become

- a PDF page on the roll's printable width (:mod:`printers.documents.pdf`): preview,
  ``kiosk ticket pdf``, and the source of raster printing;
- ESC/POS text commands (:mod:`printers.escpos.encode`): GB18030 text, ``GS !`` sizes,
  native QR.

Sizes are printer magnifications (1-8, as ``GS !``): size 1 is Font A, a Hanzi 24 dots
high and two 12-dot columns wide. The PDF uses the same metric (203 dpi), so a line
that fits the printer's columns fits the PDF page and both wrap at the same place: the
text metrics here (:func:`wrap`, :func:`line_layout`) are what both renderers share.

The documents are plain data (JSON with :meth:`RollDocument.to_json`): the print spool
stores the document itself, so a reprint is the same paper as the first print even if
the queue has moved on since.

Layouts built from these blocks: the queue ticket and the acknowledgement
(:mod:`printers.documents.slips`) and the claim notice
(:mod:`printers.documents.claim_notice`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.pagesizes import A4 as _A4

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


__all__ = [
    "A4", "DPI", "POINTS_PER_DOT", "ROLLS", "ROLL_58MM", "ROLL_80MM", "ROLL_80MM_512",
    "Block", "Line", "Qr", "RollDocument", "RollPaper", "Rule", "Space", "block_height_dots",
    "char_columns", "dumps", "line_layout", "qr_matrix", "roll_for_dots", "text_columns",
    "wrap",
]
