"""Application set-up: the environment the platform needs, logging, font, theme and
Chinese by default; and the common path loads no charts, multimedia or Qt Quick."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys
from ui.app import create_app
from ui.gallery import GalleryWindow
app = create_app(keyboard={keyboard})
window = GalleryWindow()
window.show()
app.processEvents()
from ui import theme
header_texts = [b.text() for b in window.findChildren(type(window.banner.close_button))]
print(json.dumps({{
    "im": os.environ.get("QT_IM_MODULE"), "quick": os.environ.get("QT_QUICK_BACKEND"),
    "font": app.font().family(), "style": "min-height" in app.styleSheet(),
    "texts": header_texts,
    "heavy": sorted(m for m in sys.modules if m.startswith("PySide6.") and m.split(".")[1]
                    in ("QtCharts", "QtMultimedia", "QtQuick", "QtQml", "QtTextToSpeech")),
}}))
"""


def _probe(tmp_path: Path, keyboard: bool) -> dict[str, object]:
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path / "state"),
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE.format(keyboard=keyboard)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_create_app_sets_up_everything_a_kiosk_needs(tmp_path: Path) -> None:
    seen = _probe(tmp_path, keyboard=True)
    assert seen["im"] == "qtvirtualkeyboard"
    assert seen["quick"] == "software"
    assert seen["font"] == "WenQuanYi Micro Hei"
    assert seen["style"] is True
    assert "控件一览" not in seen["texts"]  # buttons only
    assert "大字模式" in seen["texts"]  # Chinese by default
    assert (tmp_path / "state" / "lobby-kiosk" / "ui.log").exists()


def test_the_common_path_loads_no_charts_multimedia_or_qt_quick(tmp_path: Path) -> None:
    seen = _probe(tmp_path, keyboard=False)
    assert seen["heavy"] == []
    assert seen["im"] is None
