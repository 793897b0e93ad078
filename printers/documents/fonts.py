"""The CJK font every document is set in.

ReportLab's built-in fonts have no Chinese glyphs, so every layout registers a
TrueType CJK font and embeds it in the PDF (which is also what lets ``pdftotext`` read
the Chinese back). The font is found, in order:

1. the file named by the environment variable ``KIOSK_CJK_FONT``;
2. fontconfig (``fc-list :lang=zh``), preferring WenQuanYi Micro Hei, which the set-up
   installs (Debian package ``fonts-wqy-microhei``).

Only TrueType outlines can be embedded by ReportLab: a CFF-based font such as Noto
Sans CJK is tried, refused by ReportLab, and skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from printers.errors import ConfigError

FONT_NAME = "KioskCJK"
"""The name layouts use with ``canvas.setFont(FONT_NAME, size)``."""

FONT_PACKAGE = "fonts-wqy-microhei"
ENV_FONT = "KIOSK_CJK_FONT"

# Families known to embed well, best first; any other zh-capable TrueType is a fallback.
_PREFERRED = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "AR PL UMing", "AR PL UKai")
_FONT_SUFFIXES = (".ttf", ".ttc")


def _fontconfig_candidates() -> list[Path]:
    """Chinese-capable font files fontconfig knows, preferred families first."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    ranked: list[tuple[int, str, Path]] = []
    for line in out.splitlines():
        path_text, _, family = line.partition(":")
        path = Path(path_text.strip())
        if path.suffix.lower() not in _FONT_SUFFIXES:
            continue
        rank = next((i for i, name in enumerate(_PREFERRED) if name in family), len(_PREFERRED))
        ranked.append((rank, str(path), path))
    return [p for _, _, p in sorted(set(ranked))]


def _try_register(path: Path) -> bool:
    try:
        # subfontIndex=0 picks the first face of a .ttc collection (WQY's proportional face).
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
    except (TTFError, OSError):
        return False
    return True


@lru_cache(maxsize=1)
def font_path() -> Path:
    """The font file registered under :data:`FONT_NAME` (registering it on first call).

    Raises:
        ConfigError: ``KIOSK_CJK_FONT`` names an unusable file, or no TrueType CJK font
            is installed; the message names the Debian package to install.
    """
    configured = os.environ.get(ENV_FONT)
    if configured:
        path = Path(configured)
        if not path.is_file() or not _try_register(path):
            raise ConfigError(
                f"{ENV_FONT} 指定的字体无法使用：{path}（需要 TrueType .ttf/.ttc 中文字体）",
                f"{ENV_FONT} names an unusable font: {path} (a TrueType .ttf/.ttc CJK font "
                "is needed)", code="font")
        return path
    for path in _fontconfig_candidates():
        if _try_register(path):
            return path
    raise ConfigError(
        f"未找到可嵌入的中文字体：请安装 {FONT_PACKAGE}（apt-get install {FONT_PACKAGE}）"
        f"或用 {ENV_FONT} 指定 .ttf/.ttc 文件",
        f"no embeddable CJK font found: install {FONT_PACKAGE} (apt-get install "
        f"{FONT_PACKAGE}) or point {ENV_FONT} at a .ttf/.ttc file", code="font")


def cjk_font() -> str:
    """Register the CJK font with ReportLab once and return its name for ``setFont``.

    Raises:
        ConfigError: no usable CJK font (see :func:`font_path`).
    """
    font_path()
    return FONT_NAME


__all__ = ["FONT_NAME", "FONT_PACKAGE", "cjk_font", "font_path"]
