"""``kiosk display notice``: staff set, show and clear the lobby display's scrolling
line; it is a branch setting every process sees (settings_rev bumped)."""

from __future__ import annotations

import json
import subprocess
from typing import Any

import pytest
from sqlalchemy import Engine

from kiosk.branch.info import load_branch
from kiosk.branch.settings import export_document
from kiosk.cli import main
from kiosk.db import unit_of_work


@pytest.fixture
def kiosk(capsys: pytest.CaptureFixture[str]) -> Any:
    """``kiosk ARGS`` run in this process (the command line is the same as a shell's)."""
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(list(args), code, out, err)
    return run


def one_json(result: subprocess.CompletedProcess[str]) -> Any:
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0])


def test_set_show_and_clear_the_notice(kiosk: Any, sqlite_url: str) -> None:
    assert one_json(kiosk("--db", sqlite_url, "display", "notice", "--json")) == {"notice": ""}
    set_ = kiosk("--db", sqlite_url, "display", "notice",
                 "今天下午 3 点后暂停办理理赔\n  Claims close at 3 pm today", "--json")
    assert set_.returncode == 0, set_.stderr
    # One line, as it scrolls: line breaks and runs of spaces become one space.
    expected = "今天下午 3 点后暂停办理理赔 Claims close at 3 pm today"
    assert one_json(set_) == {"notice": expected}
    shown = kiosk("--db", sqlite_url, "display", "notice")
    assert shown.stdout.strip() == expected
    exported = kiosk("--db", sqlite_url, "settings", "export", "-")
    assert f'display_notice = "{expected}"' in exported.stdout
    assert one_json(kiosk("--db", sqlite_url, "display", "notice", "--clear", "--json")) == {
        "notice": ""}


def test_a_bad_notice_is_refused_and_the_old_one_kept(kiosk: Any, sqlite_url: str) -> None:
    assert kiosk("--db", sqlite_url, "display", "notice", "欢迎光临").returncode == 0
    for args in (["x" * 301], ["   "], ["text", "--clear"]):
        result = kiosk("--db", sqlite_url, "display", "notice", *args, "--json")
        assert result.returncode == 2, args
        error = one_json(result)
        assert error["message_zh"]
        assert error["message_en"]
    assert one_json(kiosk("--db", sqlite_url, "display", "notice", "--json")) == {
        "notice": "欢迎光临"}


def test_setting_the_notice_bumps_the_settings_revision(engine: Engine) -> None:
    """Long-running processes reload the branch when settings_rev moves: a display
    sees a new notice at its next refresh without a restart."""
    from kiosk.branch.values import set_setting

    with unit_of_work(engine) as session:
        before = load_branch(session)
    with unit_of_work(engine, write=True) as session:
        set_setting(session, before.id, "display_notice", "系统维护 / Maintenance")
    with unit_of_work(engine) as session:
        after = load_branch(session)
        assert after.setting("display_notice") == "系统维护 / Maintenance"
        assert before.setting("display_notice") == ""
        assert export_document(session, after.id)["settings"]["display_notice"] == (
            "系统维护 / Maintenance")
