"""A roll document as a PDF page, and QR codes drawn as vector squares.

The page is exactly as wide as the roll's printable dots at 203 dpi, so it is at once
the preview, ``kiosk ticket pdf`` and the source the raster printer mode renders. A4
forms (:mod:`printers.documents.claim_forms`) draw their QR codes with :func:`draw_qr`.
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from printers.documents.fonts import cjk_font
from printers.documents.model import (
    CHAR_DOTS_H,
    LINE_GAP_DOTS,
    POINTS_PER_DOT,
    ROLL_80MM,
    Line,
    Qr,
    RollDocument,
    RollPaper,
    Rule,
    block_height_dots,
    line_layout,
    qr_matrix,
)


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


__all__ = ["draw_qr", "render_pdf"]
