"""A roll document as the bytes of one print job, in the profile's mode.

- ``text``: GB18030 text in Chinese mode, ``GS !`` sizes, native QR (or a raster QR
  on models without one). A line with a character outside GBK goes out as a raster
  strip of that line alone, rendered by the same PDF path as the preview.
- ``raster``: the whole ReportLab page at the printer's dot width as ``GS v 0`` strips.

Every job starts with ``ESC @`` (so a job resent after a replug starts clean) and
ends with a cut.
"""

from __future__ import annotations

from PIL import Image

from printers.documents.model import (
    LINE_GAP_DOTS,
    Line,
    Qr,
    RollDocument,
    Rule,
    Space,
    line_layout,
    qr_matrix,
    roll_for_dots,
)
from printers.documents.pdf import render_pdf
from printers.escpos.builder import EscPos, is_printable_text
from printers.escpos.profiles import PrinterProfile
from printers.escpos.raster import Band, bands, put_bands, rasterise_pdf

CUT_FEED_DOTS = 96  # the tear bar sits about 12 mm above the print head


def encode(doc: RollDocument, profile: PrinterProfile, mode: str | None = None) -> bytes:
    """The job bytes for ``doc`` on a printer of ``profile`` (mode defaults to the
    profile's)."""
    out = EscPos().init().auto_status_off()
    if profile.chinese:
        out.chinese(True)
    if (mode or profile.mode) == "raster":
        paper = roll_for_dots(profile.dots)
        put_bands(out, bands(rasterise_pdf(render_pdf(doc, paper), profile.dots)))
    else:
        _text_blocks(out, doc, profile)
    out.align("left")
    return out.cut(profile.cut, CUT_FEED_DOTS).getvalue()


def _text_blocks(out: EscPos, doc: RollDocument, profile: PrinterProfile) -> None:
    paper = roll_for_dots(profile.dots)
    for block in doc.blocks:
        if isinstance(block, Line):
            size, lines = line_layout(block, paper, profile.max_size)
            out.align(block.align).size(size, size).bold(block.bold)
            for text in lines:
                if not profile.chinese or is_printable_text(text):
                    out.text(text).newline()
                else:
                    put_bands(out, line_bands(Line(text, size, block.align, block.bold),
                                              profile))
                    # The strip set its own alignment: the block's next line needs its own.
                    out.feed_dots(LINE_GAP_DOTS).align(block.align)
            out.size(1, 1).bold(False)
        elif isinstance(block, Qr):
            out.align("center")
            if profile.native_qr:
                out.qr(block.payload, block.module_dots).newline()
            else:
                put_bands(out, bands(qr_image(block.payload, block.module_dots)))
                out.feed_dots(LINE_GAP_DOTS)
        elif isinstance(block, Rule):
            out.align("left").text("-" * paper.columns).newline()
        elif isinstance(block, Space):
            out.feed_dots(block.dots)


def line_bands(line: Line, profile: PrinterProfile) -> list[Band]:
    """One text line as raster bands (for characters the printer cannot encode)."""
    paper = roll_for_dots(profile.dots)
    pdf = render_pdf(RollDocument("line", "", (line,)), paper)
    return bands(rasterise_pdf(pdf, profile.dots))


def qr_image(payload: str, module_dots: int) -> Image.Image:
    """The QR code as a 1-bit image, ``module_dots`` per module (no quiet zone)."""
    matrix = qr_matrix(payload)
    side = len(matrix)
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    return image.resize((side * module_dots, side * module_dots), Image.Resampling.NEAREST)


__all__ = ["CUT_FEED_DOTS", "encode", "line_bands", "qr_image"]
