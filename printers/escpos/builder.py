"""ESC/POS as pure bytes: a command builder and the status-reply decoder.

Why our own builder instead of python-escpos: we need exactly a dozen commands, byte
for byte under our control (never a command cut by a status query, GB18030 text in
Chinese mode, ``GS v 0`` strips of at most 255 rows, ``DLE EOT`` handled by our own
single writer per port). python-escpos would bring its own transports, a large
dependency tree and code-page logic we would have to switch off, and it encodes text
itself. A builder that only appends bytes is trivial to test with the tokenizer in
:mod:`printers.escpos.decode`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ESC, GS, FS, DLE, EOT, LF = 0x1B, 0x1D, 0x1C, 0x10, 0x04, 0x0A

ALIGN_CODES = {"left": 0, "center": 1, "right": 2}
CutKind = Literal["partial", "full"]
MAX_STRIP_ROWS = 255


class Unencodable(ValueError):
    """The text has a character the printer's Chinese mode cannot print (outside GBK)."""


def gbk_bytes(text: str) -> bytes:
    """``text`` as the printer reads it in Chinese mode.

    Every character must be a one- or two-byte GB code: GB18030 also has four-byte
    codes (rare name characters such as 𠮷), which printers do not know.

    Raises:
        Unencodable: a character has no two-byte GB code.
    """
    # Inside Chinese mode the half-width yen sign is not in GBK; the full-width one is.
    text = text.replace("¥", "￥")
    out = bytearray()
    for ch in text:
        try:
            code = ch.encode("gb18030")
        except UnicodeEncodeError as exc:  # lone surrogates and the like
            raise Unencodable(ch) from exc
        if len(code) > 2:
            raise Unencodable(ch)
        out += code
    return bytes(out)


def is_printable_text(text: str) -> bool:
    """True when :func:`gbk_bytes` can encode ``text``."""
    try:
        gbk_bytes(text)
    except Unencodable:
        return False
    return True


# Text mode sends no byte below 0x20 but the line feed: any other would be read as
# (the start of) a command, e.g. a ``GS V`` inside a service name cuts the paper.
_CONTROLS = {**dict.fromkeys([*range(0x20), 0x7F]), ord("\t"): " "}
del _CONTROLS[LF]


def printable(text: str) -> str:
    """``text`` without control characters: a tab becomes a space, every other C0
    control and DEL is dropped, the line feed stays."""
    return text.translate(_CONTROLS)


class EscPos:
    """Appends ESC/POS commands to a byte buffer; :meth:`getvalue` returns it."""

    def __init__(self) -> None:
        self._buf = bytearray()

    def getvalue(self) -> bytes:
        return bytes(self._buf)

    def __len__(self) -> int:
        return len(self._buf)

    def raw(self, data: bytes) -> EscPos:
        self._buf += data
        return self

    def init(self) -> EscPos:
        """``ESC @``: clear the buffer and every mode."""
        return self.raw(bytes([ESC, 0x40]))

    def auto_status_off(self) -> EscPos:
        """``GS a 0``: no unsolicited status bytes, so replies only follow our queries."""
        return self.raw(bytes([GS, 0x61, 0]))

    def chinese(self, on: bool) -> EscPos:
        """``FS &`` / ``FS .``: enter or leave Chinese (two-byte GB) mode."""
        return self.raw(bytes([FS, 0x26 if on else 0x2E]))

    def align(self, where: str) -> EscPos:
        """``ESC a n``: must come at the start of a line; applies to text, raster, QR."""
        return self.raw(bytes([ESC, 0x61, ALIGN_CODES[where]]))

    def bold(self, on: bool) -> EscPos:
        return self.raw(bytes([ESC, 0x45, 1 if on else 0]))

    def size(self, width: int, height: int) -> EscPos:
        """``GS ! n``: character magnification, 1-8 each way."""
        if not (1 <= width <= 8 and 1 <= height <= 8):
            raise ValueError(f"size {width}x{height} outside 1-8")
        return self.raw(bytes([GS, 0x21, (width - 1) << 4 | (height - 1)]))

    def text(self, text: str) -> EscPos:
        """Text in Chinese mode (see :func:`gbk_bytes`), control characters removed
        (:func:`printable`); raises :class:`Unencodable`."""
        return self.raw(gbk_bytes(printable(text)))

    def newline(self) -> EscPos:
        return self.raw(bytes([LF]))

    def feed_dots(self, dots: int) -> EscPos:
        """``ESC J n``: advance the paper ``dots`` without printing (split above 255)."""
        while dots > 0:
            step = min(dots, 255)
            self.raw(bytes([ESC, 0x4A, step]))
            dots -= step
        return self

    def qr(self, payload: str, module_dots: int = 4, ec: str = "M") -> EscPos:
        """Native QR (model 2): set module size and error correction, store, print."""
        data = payload.encode("ascii")
        stored = len(data) + 3
        ec_code = {"L": 48, "M": 49, "Q": 50, "H": 51}[ec]
        return self.raw(
            bytes([GS, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0])
            + bytes([GS, 0x28, 0x6B, 3, 0, 0x31, 0x43, module_dots])
            + bytes([GS, 0x28, 0x6B, 3, 0, 0x31, 0x45, ec_code])
            + bytes([GS, 0x28, 0x6B, stored & 0xFF, stored >> 8, 0x31, 0x50, 0x30]) + data
            + bytes([GS, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30]))

    def raster(self, width_bytes: int, rows: int, data: bytes) -> EscPos:
        """``GS v 0``: one strip of 1-bit rows, MSB leftmost, 1 = black."""
        if rows > MAX_STRIP_ROWS or len(data) != width_bytes * rows:
            raise ValueError(f"bad strip: {width_bytes}x{rows} with {len(data)} bytes")
        return self.raw(bytes([GS, 0x76, 0x30, 0, width_bytes & 0xFF, width_bytes >> 8,
                               rows & 0xFF, rows >> 8]) + data)

    def cut(self, kind: CutKind = "partial", feed_dots: int = 0) -> EscPos:
        """``GS V 66 n`` (feed then partial cut) or ``GS V 0/1`` without feed."""
        if feed_dots:
            if kind == "partial":
                return self.raw(bytes([GS, 0x56, 0x42, min(feed_dots, 255)]))
            self.feed_dots(feed_dots)
        return self.raw(bytes([GS, 0x56, 0 if kind == "full" else 1]))


# ----- status ------------------------------------------------------------------------

def status_query(n: int) -> bytes:
    """``DLE EOT n`` (1 printer, 2 offline cause, 3 error cause, 4 paper)."""
    if n not in (1, 2, 3, 4):
        raise ValueError(n)
    return bytes([DLE, EOT, n])


def is_status_reply(byte: int) -> bool:
    """Replies match the bit pattern ``0xx1xx10``."""
    return byte & 0b1001_0011 == 0b0001_0010


@dataclass(frozen=True)
class PrinterStatus:
    """What ``DLE EOT 1..4`` said. ``None`` means the printer did not answer: unknown,
    never OK."""

    online: bool | None
    cover_open: bool | None
    paper: str  # ok | near_end | out | unknown
    cutter_error: bool | None = None
    error: bool | None = None

    @property
    def ready(self) -> bool:
        """Safe to send a ticket: online, cover shut, paper in, no error."""
        return (self.online is True and self.cover_open is False
                and self.paper in ("ok", "near_end") and not self.error
                and not self.cutter_error)

    def problem(self) -> tuple[str, str]:
        """The first reason it is not ready, in Chinese and English (empty if ready)."""
        if self.online is None:
            return "打印机无应答", "printer does not answer (status unknown)"
        if self.cover_open:
            return "打印机盖未关", "printer cover is open"
        if self.paper == "out":
            return "打印机缺纸", "printer is out of paper"
        if self.cutter_error:
            return "切刀故障", "cutter error"
        if self.error or not self.online:
            return "打印机离线或故障", "printer is offline or in error"
        if not self.ready:
            # Some of DLE EOT 1..4 went unanswered: the state is unknown, never OK.
            return ("打印机状态回复不完整（状态未知）",
                    "the printer answered only some status queries (status unknown)")
        return "", ""

    def to_json(self) -> dict[str, object]:
        return {"online": self.online, "cover_open": self.cover_open, "paper": self.paper,
                "cutter_error": self.cutter_error, "error": self.error}


UNKNOWN_STATUS = PrinterStatus(online=None, cover_open=None, paper="unknown")


def decode_status(replies: dict[int, int | None]) -> PrinterStatus:
    """Combine the replies to ``DLE EOT 1..4`` (a missing or malformed reply is None)."""
    def bit(n: int, b: int) -> bool | None:
        value = replies.get(n)
        if value is None or not is_status_reply(value):
            return None
        return bool(value >> b & 1)

    offline = bit(1, 3)
    paper_byte = replies.get(4)
    if paper_byte is None or not is_status_reply(paper_byte):
        paper = "unknown"
    elif paper_byte & 0x60:
        paper = "out"
    elif paper_byte & 0x0C:
        paper = "near_end"
    else:
        paper = "ok"
    if paper == "ok" and bit(2, 5):  # stopped for paper end, though EOT 4 missed it
        paper = "out"
    unrecoverable, auto = bit(3, 5), bit(3, 6)
    error = None if unrecoverable is None else bool(unrecoverable or auto or bit(2, 6))
    return PrinterStatus(online=None if offline is None else not offline,
                         cover_open=bit(2, 2), paper=paper, cutter_error=bit(3, 3),
                         error=error)


def status_reply_bytes(*, online: bool = True, cover_open: bool = False,
                       paper: str = "ok", cutter_error: bool = False) -> dict[int, int]:
    """The replies a printer in this state sends (used by the fake printer)."""
    out_of_paper = paper == "out"
    eot1 = 0x12 | (0x08 if (not online or cover_open or out_of_paper) else 0)
    eot2 = 0x12 | (0x04 if cover_open else 0) | (0x20 if out_of_paper else 0)
    eot3 = 0x12 | (0x08 if cutter_error else 0)
    eot4 = 0x12 | {"ok": 0, "near_end": 0x0C, "out": 0x60}.get(paper, 0)
    return {1: eot1, 2: eot2, 3: eot3, 4: eot4}


__all__ = ["UNKNOWN_STATUS", "EscPos", "PrinterStatus", "Unencodable", "decode_status",
           "gbk_bytes", "is_printable_text", "is_status_reply", "printable", "status_query",
           "status_reply_bytes"]
