"""From a ReportLab page to ``GS v 0`` strips.

The page is rendered by poppler's ``pdftoppm`` (installed by the set-up for the PDF
tests anyway): it renders the very PDF the preview shows, so raster paper and preview
cannot drift apart, it takes about 15 ms for a ticket, and it needs no extra Python
package (ReportLab's own bitmap renderer needs the optional ``rl_renderPM`` or
``rlPyCairo`` packages, and drawing the layout a second time on a Pillow image would
mean two layouts to keep in step).

Bytes on the wire are what costs time on a serial line, so the bitmap is cut into
bands: blank rows are never sent (an ``ESC J`` feed moves the paper instead), and
each band is cropped to its inked bytes, positioned by the printer's alignment
(left, centre or right, whichever needs the fewest bytes).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass

from PIL import Image

from printers.errors import ConfigError
from printers.escpos.builder import MAX_STRIP_ROWS, EscPos

# Grey levels darker than this print black. Anti-aliased glyph edges at 203 dpi are
# mid-grey; 160 keeps thin strokes of small Hanzi from breaking up.
BLACK_BELOW = 160
_INVERT = bytes(range(255, -1, -1))


def rasterise_pdf(pdf: bytes, dots: int) -> Image.Image:
    """The first page of ``pdf`` as a 1-bit image exactly ``dots`` wide.

    Raises:
        ConfigError: poppler's ``pdftoppm`` is missing or failed.
    """
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise ConfigError("未找到 pdftoppm：请安装 poppler-utils",
                          "pdftoppm not found: install poppler-utils (apt-get install "
                          "poppler-utils)", code="raster")
    done = subprocess.run(
        [exe, "-gray", "-singlefile", "-scale-to-x", str(dots), "-scale-to-y", "-1", "-"],
        input=pdf, capture_output=True, timeout=30, check=False)
    if done.returncode != 0 or not done.stdout:
        raise ConfigError("页面转换为点阵失败", "pdftoppm could not render the page: "
                          + done.stderr.decode(errors="replace").strip(), code="raster")
    grey = Image.open(io.BytesIO(done.stdout))
    return grey.point(lambda v: 0 if v < BLACK_BELOW else 255, mode="1")


@dataclass(frozen=True)
class Band:
    """Consecutive inked rows: ``feed`` blank dots before it, then a strip of
    ``width_bytes`` x ``rows`` placed by ``align``."""

    feed: int
    align: str
    width_bytes: int
    rows: int
    data: bytes


def ink_rows(image: Image.Image) -> tuple[int, list[bytes]]:
    """Bytes per row and the rows of a 1-bit image, 1 = black, MSB leftmost."""
    if image.mode != "1":
        image = image.convert("1")
    width_bytes = (image.width + 7) // 8
    packed = image.tobytes().translate(_INVERT)  # PIL: set bit = white
    if image.width % 8:
        # Padding bits of the last byte came out black after inverting: clear them.
        mask = (0xFF << (8 - image.width % 8)) & 0xFF
        rows = [r[:-1] + bytes([r[-1] & mask]) for r in
                (packed[i * width_bytes:(i + 1) * width_bytes] for i in range(image.height))]
    else:
        rows = [packed[i * width_bytes:(i + 1) * width_bytes] for i in range(image.height)]
    return width_bytes, rows


def bands(image: Image.Image) -> list[Band]:
    """Cut the image into cropped bands of at most 255 rows; blank rows become feeds,
    leading and trailing blank rows disappear."""
    width_bytes, rows = ink_rows(image)
    out: list[Band] = []
    blank = 0
    start: int | None = None
    for i, row in enumerate([*rows, b""]):
        inked = any(row)
        if inked and start is None:
            start = i
        if start is not None and (not inked or i - start == MAX_STRIP_ROWS):
            out.append(_band(rows[start:i], width_bytes, blank if out else 0))
            blank = 0
            start = i if inked else None
        if not inked:
            blank += 1
    return out


def _band(rows: list[bytes], width_bytes: int, feed: int) -> Band:
    left = min(len(r) - len(r.lstrip(b"\0")) for r in rows)
    right = max(len(r.rstrip(b"\0")) for r in rows) - 1
    margin = min(left, width_bytes - 1 - right)
    choices = [(right + 1, "left", 0, right + 1),
               (width_bytes - 2 * margin, "center", margin, width_bytes - margin),
               (width_bytes - left, "right", left, width_bytes)]
    _, align, lo, hi = min(choices, key=lambda c: c[0])
    return Band(feed, align, hi - lo, len(rows), b"".join(r[lo:hi] for r in rows))


def put_bands(out: EscPos, strips: list[Band]) -> EscPos:
    """Append the bands as ``ESC J`` feeds, ``ESC a`` and ``GS v 0`` strips."""
    for band in strips:
        out.feed_dots(band.feed)
        out.align(band.align)
        out.raster(band.width_bytes, band.rows, band.data)
    return out


__all__ = ["Band", "bands", "ink_rows", "put_bands", "rasterise_pdf"]
