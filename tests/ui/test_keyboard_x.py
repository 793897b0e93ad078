"""The on-screen keyboard on a real X display (offscreen it commits nothing): n-i-h-a-o
touched on its keys plus the first candidate gives 你好, the keyboard follows the app
language at run time, and the focused field moves above it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ui.display import VirtualDisplay

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_pinyin_on_the_keyboard_types_chinese_and_the_field_stays_visible(
        xvfb: VirtualDisplay, tmp_path: Path) -> None:
    env = xvfb.env()
    env["XDG_STATE_HOME"] = str(tmp_path / "state")
    env["HOME"] = str(tmp_path)  # the keyboard writes ~/.config/qtvirtualkeyboard
    done = subprocess.run([sys.executable, "-m", "tests.ui.x_keyboard"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert "error" not in seen, seen
    assert seen["zh_locale"] == "zh_CN"
    assert seen["first_candidate"] == "你好"
    assert seen["after_pinyin"] == "你好"
    assert seen["en_locale"] == "en_GB"
    assert seen["after_english"].rstrip().lower() == "你好hi"
    # the keyboard covers the lower part of the screen; the field moved up above it
    kb_x, kb_y, kb_w, kb_h = seen["keyboard"]
    assert kb_y + kb_h == 1080
    assert kb_w == 1920
    assert seen["space"] == kb_h
    _, before_y, _, before_h = seen["field_before"]
    _, after_y, _, after_h = seen["field_after"]
    assert before_y + before_h > kb_y  # it was under the keyboard
    assert after_y + after_h <= kb_y  # and is now above it
