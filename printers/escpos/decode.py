"""An ESC/POS tokenizer: bytes back into the commands and text they carry.

It knows the length of every command :mod:`printers.escpos.builder` emits, decodes text as
two-byte GB in Chinese mode, and works incrementally (:class:`Tokenizer.feed` keeps
an incomplete command for the next chunk), so the fake printer can decode a serial
stream as it arrives and the tests can assert on commands instead of raw bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PIL import Image

from printers.escpos.builder import DLE, ESC, FS, GS, LF


@dataclass(frozen=True)
class Token:
    """One decoded command. ``kind`` is e.g. ``init``, ``text``, ``qr``, ``raster``."""

    kind: str
    value: Any = None

    def __repr__(self) -> str:
        if self.kind == "raster":
            width, rows, _ = self.value
            return f"Token(raster {width * 8}x{rows})"
        return f"Token({self.kind}, {self.value!r})"


# Fixed-length commands: prefix -> (kind, total length, how to read the value).
_FIXED: dict[bytes, tuple[str, int]] = {
    bytes([ESC, 0x40]): ("init", 2),
    bytes([ESC, 0x61]): ("align", 3),
    bytes([ESC, 0x45]): ("bold", 3),
    bytes([ESC, 0x4A]): ("feed", 3),
    bytes([ESC, 0x74]): ("codepage", 3),
    bytes([GS, 0x21]): ("size", 3),
    bytes([GS, 0x61]): ("auto_status", 3),
    bytes([FS, 0x26]): ("chinese", 2),
    bytes([FS, 0x2E]): ("chinese", 2),
    bytes([DLE, 0x04]): ("status_query", 3),
    bytes([GS, 0x49]): ("printer_id", 3),  # GS I n: model, maker, name (answered)
}


# The largest ``GS v 0`` strip any roll printer takes (2040 dots wide, 4095 rows).
MAX_RASTER_WIDTH_BYTES = 255
MAX_RASTER_ROWS = 4095


class Incomplete(Exception):
    """The buffer ends inside a command."""


@dataclass
class Tokenizer:
    """Stateful decoder; ``chinese`` starts True as most branch printers power on so."""

    chinese: bool = True
    _pending: bytearray = field(default_factory=bytearray)
    _text: bytearray = field(default_factory=bytearray)
    _qr_store: str = ""

    @property
    def pending(self) -> int:
        """Bytes held back because they end inside a command."""
        return len(self._pending)

    def feed(self, data: bytes) -> list[Token]:
        """Decode ``data`` (appended to any incomplete rest) into complete tokens."""
        self._pending += data
        tokens: list[Token] = []
        pos = 0
        buf = self._pending
        while pos < len(buf):
            try:
                used, token = self._one(buf, pos)
            except Incomplete:
                break
            pos += used
            if token is not None:
                tokens.append(token)
        del buf[:pos]
        return tokens

    def finish(self) -> list[Token]:
        """Flush text without a line feed and report leftover bytes as ``truncated``."""
        out = self._flush_text()
        if self._pending:
            out.append(Token("truncated", bytes(self._pending)))
            self._pending.clear()
        return out

    def _flush_text(self) -> list[Token]:
        if not self._text:
            return []
        raw = bytes(self._text)
        self._text.clear()
        text = raw.decode("gbk" if self.chinese else "cp437", errors="replace")
        return [Token("text", text)]

    def _one(self, buf: bytearray, pos: int) -> tuple[int, Token | None]:
        b = buf[pos]
        if b == LF:
            tokens = self._flush_text()
            return 1, tokens[0] if tokens else Token("text", "")
        if b in (ESC, GS, FS, DLE):
            if self._text:
                # A command in mid-line: text so far becomes its own token first.
                return 0, self._flush_text()[0]
            return self._command(buf, pos)
        if self.chinese and b >= 0x80:
            if pos + 1 >= len(buf):
                raise Incomplete
            self._text += buf[pos:pos + 2]
            return 2, None
        self._text.append(b)
        return 1, None

    def _command(self, buf: bytearray, pos: int) -> tuple[int, Token | None]:
        if pos + 1 >= len(buf):
            raise Incomplete
        prefix = bytes(buf[pos:pos + 2])
        if prefix in _FIXED:
            kind, length = _FIXED[prefix]
            if pos + length > len(buf):
                raise Incomplete
            arg = buf[pos + 2] if length == 3 else None
            if kind == "chinese":
                self.chinese = prefix[1] == 0x26
                return length, Token("chinese", self.chinese)
            if kind == "size":
                assert arg is not None
                return length, Token("size", ((arg >> 4) + 1, (arg & 0x0F) + 1))
            return length, Token(kind, arg)
        if prefix == bytes([GS, 0x56]):  # cut
            if pos + 2 >= len(buf):
                raise Incomplete
            m = buf[pos + 2]
            if m in (0x41, 0x42):
                if pos + 3 >= len(buf):
                    raise Incomplete
                return 4, Token("cut", ("partial" if m == 0x42 else "full", buf[pos + 3]))
            return 3, Token("cut", ("full" if m in (0, 0x30) else "partial", 0))
        if prefix == bytes([GS, 0x28]) and pos + 2 < len(buf) and buf[pos + 2] == 0x6B:
            return self._qr(buf, pos)
        if prefix == bytes([GS, 0x76]):
            if pos + 8 > len(buf):
                raise Incomplete
            xb = buf[pos + 4] | buf[pos + 5] << 8
            rows = buf[pos + 6] | buf[pos + 7] << 8
            if not (1 <= xb <= MAX_RASTER_WIDTH_BYTES and 1 <= rows <= MAX_RASTER_ROWS):
                # No printer takes such a strip: waiting for its data would swallow
                # every later byte (status queries too). The header is malformed.
                return 8, Token("unknown", bytes(buf[pos:pos + 8]))
            end = pos + 8 + xb * rows
            if end > len(buf):
                raise Incomplete
            return end - pos, Token("raster", (xb, rows, bytes(buf[pos + 8:end])))
        if prefix == bytes([GS, 0x28]) and pos + 2 >= len(buf):
            raise Incomplete
        return 1, Token("unknown", buf[pos])

    def _qr(self, buf: bytearray, pos: int) -> tuple[int, Token | None]:
        """``GS ( k pL pH cn fn [parameters]``: pL pH count the bytes from ``cn`` on."""
        if pos + 5 > len(buf):
            raise Incomplete
        size = buf[pos + 3] | buf[pos + 4] << 8
        end = pos + 5 + size
        if end > len(buf):
            raise Incomplete
        fn, body = (buf[pos + 6], bytes(buf[pos + 7:end])) if size >= 2 else (-1, b"")
        if fn == 0x50:  # store: body = 0x30 + payload
            self._qr_store = body[1:].decode("ascii", errors="replace")
            return end - pos, None
        if fn == 0x51:
            return end - pos, Token("qr", self._qr_store)
        if fn == 0x43 and body:
            return end - pos, Token("qr_module", body[0])
        if fn == 0x45 and body:
            return end - pos, Token("qr_ec", "LMQH"[body[0] - 48] if 48 <= body[0] <= 51 else "?")
        if size < 2 or fn in (0x43, 0x45):
            # Too short to hold its function or its parameter: malformed, shown as such.
            return end - pos, Token("unknown", bytes(buf[pos:end]))
        return end - pos, None  # model selection and the like: nothing to show


def tokenize(data: bytes, chinese: bool = True) -> list[Token]:
    """Decode a complete byte string (e.g. one print job)."""
    tokenizer = Tokenizer(chinese=chinese)
    return tokenizer.feed(data) + tokenizer.finish()


def strip_image(value: tuple[int, int, bytes]) -> Image.Image:
    """A ``GS v 0`` strip as a 1-bit image (black where bits are set)."""
    width_bytes, rows, data = value
    inverted = bytes(b ^ 0xFF for b in data)  # PIL mode "1": bit set = white
    return Image.frombytes("1", (width_bytes * 8, rows), inverted)


def compose_raster(tokens: list[Token], dots: int) -> Image.Image:
    """Rebuild the paper from raster strips, alignment and ``ESC J`` feeds (text and
    QR are ignored): what a raster-mode job looks like on the roll."""
    pieces: list[tuple[int, Image.Image]] = []
    align, y = 0, 0
    for token in tokens:
        if token.kind == "align":
            align = token.value
        elif token.kind == "feed":
            y += token.value
        elif token.kind == "raster":
            img = strip_image(token.value)
            x = {0: 0, 1: (dots - img.width) // 2, 2: dots - img.width}.get(align, 0)
            pieces.append((y, _placed(img, x, dots)))
            y += img.height
    page = Image.new("1", (dots, max(y, 1)), 1)
    for top, img in pieces:
        page.paste(img, (0, top))
    return page


def _placed(img: Image.Image, x: int, dots: int) -> Image.Image:
    row = Image.new("1", (dots, img.height), 1)
    row.paste(img, (x, 0))
    return row


def readable(tokens: list[Token]) -> list[str]:
    """One human-readable line per meaningful token (what the fake printer shows)."""
    lines: list[str] = []
    align, size, bold = 0, (1, 1), 0
    for token in tokens:
        if token.kind == "align":
            align = token.value
        elif token.kind == "size":
            size = token.value
        elif token.kind == "bold":
            bold = token.value
        elif token.kind == "text":
            flags = {1: "center", 2: "right"}.get(align, "left")
            flags += f" x{size[0]}" if size != (1, 1) else ""
            flags += " bold" if bold else ""
            lines.append(f"TEXT [{flags}] {token.value}")
        elif token.kind == "qr":
            lines.append(f"QR {token.value}")
        elif token.kind == "raster":
            xb, rows, _ = token.value
            lines.append(f"RASTER {xb * 8}x{rows}")
        elif token.kind == "cut":
            lines.append(f"CUT {token.value[0]}")
        elif token.kind in ("init", "unknown", "truncated"):
            lines.append(token.kind.upper() + ("" if token.value is None else
                                               f" {token.value!r}"))
    return lines


__all__ = ["Token", "Tokenizer", "compose_raster", "readable", "strip_image", "tokenize"]
