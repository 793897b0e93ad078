"""Printer profiles: what a model can do and how its serial line is set up.

A profile is chosen by name (``kiosk devices set printer --profile NAME``); the
branch's choice of mode (``text`` or ``raster``) is stored with the printer setting
and defaults to the profile's own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from printers.errors import UsageError

Mode = Literal["text", "raster"]
Flow = Literal["none", "rtscts", "xonxoff"]
MODES: tuple[Mode, ...] = ("text", "raster")
FLOWS: tuple[Flow, ...] = ("none", "rtscts", "xonxoff")
MAX_BAUD = 4_000_000  # the fastest USB-serial adapters; pyserial fails above its C int


@dataclass(frozen=True)
class PrinterProfile:
    """One printer model's capabilities and line settings."""

    name: str
    dots: int  # printable width at 203 dpi: 576, 512 or 384
    columns: int  # Font A columns at size 1
    chinese: bool = True  # powers on in (and we use) two-byte GB mode
    native_qr: bool = True  # GS ( k; else the QR goes out as a raster strip
    cut: Literal["partial", "full"] = "partial"
    max_size: int = 8  # largest GS ! magnification (some models: 2)
    baud: int = 115200
    flow: Flow = "none"
    write_timeout_s: float = 5.0
    mode: Mode = "text"

    def with_options(self, *, mode: str | None = None, baud: int | None = None,
                     flow: str | None = None) -> PrinterProfile:
        """A copy with the branch's mode, baud rate or flow control (``none``,
        ``rtscts``, ``xonxoff``: what the cable carries); refuses unknown values."""
        if flow is not None and flow not in FLOWS:
            raise UsageError(f"未知流控方式 {flow}", f"unknown flow control {flow!r} "
                             "(none|rtscts|xonxoff)")
        if mode is not None and mode not in MODES:
            raise UsageError(f"未知打印模式 {mode}", f"unknown print mode {mode!r} (text|raster)")
        if baud is not None and not 0 < baud <= MAX_BAUD:
            raise UsageError(f"波特率 {baud} 无效（1-{MAX_BAUD}）",
                             f"invalid baud rate {baud} (1-{MAX_BAUD})")
        return replace(self, mode=mode or self.mode, baud=baud or self.baud,
                       flow=flow or self.flow)


PROFILES: dict[str, PrinterProfile] = {p.name: p for p in (
    PrinterProfile("generic-80", dots=576, columns=48),
    PrinterProfile("generic-80-512", dots=512, columns=42),
    PrinterProfile("generic-58", dots=384, columns=32, max_size=4),
    # Xprinter XP-58 family: 9600 baud RS-232, no native QR, only 1x/2x sizes reliable.
    PrinterProfile("xprinter-58", dots=384, columns=32, native_qr=False, max_size=2,
                   baud=9600),
    # Epson TM-T88/T82 with the Chinese ROM; hardware flow control on the DB9 cable.
    PrinterProfile("epson-tm-t88", dots=512, columns=42, baud=38400, flow="rtscts"),
)}
DEFAULT_PROFILE = "generic-80"


def profile(name: str) -> PrinterProfile:
    """The profile called ``name``; ``UsageError`` lists the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(PROFILES)
        raise UsageError(f"未知打印机型号 {name}（可选：{known}）",
                         f"unknown printer profile {name!r} (known: {known})") from None


__all__ = ["DEFAULT_PROFILE", "FLOWS", "MODES", "PROFILES", "Mode", "PrinterProfile", "profile"]
