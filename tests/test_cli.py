"""The ``kiosk`` command as scripts use it: exit codes, JSON on stdout, reasons on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

MONDAY = "2026-11-23T10:00:00+08:00"
SUNDAY = "2026-11-22T10:00:00+08:00"


def kiosk(*args: str, now: str = MONDAY, env: dict[str, str] | None = None,
          stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "KIOSK_NOW": now, **(env or {})}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, env=full_env, timeout=60, check=False, input=stdin)


def one_json(result: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, result.stdout
    return json.loads(lines[0])  # type: ignore[no-any-return]


def test_take_show_and_call_through_the_cli(sqlite_url: str) -> None:
    assert kiosk("--db", sqlite_url, "init").returncode == 0
    taken = one_json(kiosk("--db", sqlite_url, "ticket", "take", "claims", "--json"))
    assert taken["number"] == "D001"
    assert taken["issued_at"] == "2026-11-23T10:00:00+08:00"
    assert taken["status"] == "waiting"
    assert taken["priority"] == "normal"
    assert taken["ahead"] == 0
    assert taken["wait_min"] == [0, 5]
    shown = one_json(kiosk("--db", sqlite_url, "ticket", "show", "d001", "--json"))
    assert shown["number"] == "D001"
    assert kiosk("--db", sqlite_url, "counter", "open", "4", "--staff", "S1").returncode == 0
    called = one_json(kiosk("--db", sqlite_url, "counter", "call", "4", "--json"))
    assert called["counter"] == 4
    assert called["ticket"]["number"] == "D001"
    assert called["ticket"]["status"] == "called"
    empty = one_json(kiosk("--db", sqlite_url, "counter", "call", "4", "--json"))
    assert empty["ticket"] is None
    queue = one_json(kiosk("--db", sqlite_url, "queue", "--json"))
    claims = next(s for s in queue["services"] if s["code"] == "claims")
    assert claims["waiting"] == 0
    assert queue["counters"][3]["ticket"] is None


def test_business_refusal_exits_3_with_reason_on_stderr(sqlite_url: str) -> None:
    result = kiosk("--db", sqlite_url, "ticket", "take", "claims", "--json", now=SUNDAY)
    assert result.returncode == 3
    assert "今日休息" in result.stderr
    assert "closed today" in result.stderr
    assert one_json(result)["error"] == "closed"


def test_usage_errors_exit_2(sqlite_url: str) -> None:
    unknown = kiosk("--db", sqlite_url, "ticket", "take", "mortgage")
    assert unknown.returncode == 2
    assert "claims" in unknown.stderr
    assert kiosk("--db", sqlite_url, "ticket", "take").returncode == 2
    assert kiosk("--db", sqlite_url, "counter", "call", "four").returncode == 2


def test_db_option_wins_over_environment_and_default_is_user_data_dir(
        tmp_path: Path, sqlite_url: str) -> None:
    env_db = tmp_path / "env.db"
    env = {"KIOSK_DB_URL": f"sqlite:///{env_db}", "XDG_DATA_HOME": str(tmp_path / "data")}
    default_db = tmp_path / "data" / "lobby-kiosk" / "kiosk.db"

    def take(*db: str) -> str:
        result = kiosk(*db, "ticket", "take", "claims", "--json", env=env)
        assert result.returncode == 0, result.stderr
        return str(one_json(result)["number"])

    # Each database gets its own first ticket: a take that went to another
    # database would be that one's second (D002).
    assert take("--db", sqlite_url) == "D001"
    assert Path(sqlite_url.removeprefix("sqlite:///")).exists()
    assert not env_db.exists()
    assert take() == "D001"
    assert env_db.exists()
    assert not default_db.exists()
    del env["KIOSK_DB_URL"]
    assert take() == "D001"
    assert default_db.exists()
    assert take("--db", sqlite_url) == "D002"


def test_unreachable_database_is_reported_without_traceback(tmp_path: Path) -> None:
    result = kiosk("--db", "postgresql://nobody@127.0.0.1:1/none", "queue")
    assert result.returncode == 1
    assert "database unreachable" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_export_import_through_the_cli(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "branch.toml"
    assert kiosk("--db", sqlite_url, "settings", "export", str(out)).returncode == 0
    text = out.read_text(encoding="utf-8").replace('hotline = "95500"', 'hotline = "95519"')
    out.write_text(text, encoding="utf-8")
    assert kiosk("--db", sqlite_url, "settings", "import", str(out)).returncode == 0
    assert 'hotline = "95519"' in kiosk("--db", sqlite_url, "settings", "export", "-").stdout
    out.write_text(text.replace("[branch]", "[branch"), encoding="utf-8")
    bad = kiosk("--db", sqlite_url, "settings", "import", str(out))
    assert bad.returncode == 2
    assert "line" in bad.stderr


@pytest.mark.postgres
def test_cli_against_postgresql(pg_url: str) -> None:
    assert kiosk("--db", pg_url, "init").returncode == 0
    assert one_json(kiosk("--db", pg_url, "ticket", "take", "enquiry", "--json"))["number"] \
        == "A001"


@pytest.mark.slow
def test_counter_commands_through_the_cli(sqlite_url: str) -> None:
    db = ("--db", sqlite_url)
    for _ in range(3):
        kiosk(*db, "ticket", "take", "payments")
    assert kiosk(*db, "ticket", "cancel", "E001").returncode == 0
    assert one_json(kiosk(*db, "ticket", "show", "E001", "--json"))["status"] == "cancelled"
    assert kiosk(*db, "counter", "set", "4", "--services", "claims,payments").returncode == 0
    assert kiosk(*db, "counter", "open", "4", "--staff", "S0401").returncode == 0
    assert kiosk(*db, "staff", "add", "SUP1", "--name", "李主管", "--role", "supervisor",
                 stdin="3691\n").returncode == 0
    # Out of order: a reason and a supervisor's PIN (from standard input), every time.
    assert kiosk(*db, "counter", "call", "4", "--number", "E003").returncode == 2
    assert kiosk(*db, "counter", "call", "4", "--number", "E003", "--reason", "elderly",
                 "--supervisor", "SUP1", stdin="9999\n").returncode == 3
    called = one_json(kiosk(*db, "counter", "call", "4", "--number", "E003", "--reason",
                            "elderly", "--supervisor", "SUP1", "--json", stdin="3691\n"))
    assert called["ticket"]["number"] == "E003"
    assert called["services"] == ["claims", "payments"]
    assert kiosk(*db, "counter", "start", "4").returncode == 0
    moved = one_json(kiosk(*db, "counter", "transfer", "4", "enquiry", "--json"))
    assert moved["ticket"]["service"] == "enquiry"
    assert moved["ticket"]["number"] == "E003"
    assert one_json(kiosk(*db, "counter", "call", "4", "--json"))["ticket"]["number"] == "E002"
    assert kiosk(*db, "counter", "recall", "4").returncode == 0
    refused = kiosk(*db, "counter", "no-show", "4")
    assert refused.returncode == 3
    assert "recall" in refused.stderr
    assert kiosk(*db, "counter", "recall", "4").returncode == 0
    assert one_json(kiosk(*db, "counter", "no-show", "4", "--json"))["ticket"]["status"] \
        == "no_show"
    assert kiosk(*db, "counter", "pause", "4").returncode == 3
    assert kiosk(*db, "counter", "pause", "4", "--supervisor", "SUP1",
                 stdin="3691\n").returncode == 0
    assert kiosk(*db, "counter", "resume", "4").returncode == 0
    # E003 waited; no day before today to roll up into the KPIs
    assert one_json(kiosk(*db, "day", "close", "--json")) == {"expired": 1, "rolled_up": 0}


@pytest.mark.parametrize("url", ["notaurl", "mysql://kiosk@localhost/kiosk",
                                 "postgresql://kiosk:secret@host:port/kiosk"])
def test_a_database_url_we_cannot_use_is_a_usage_error(url: str) -> None:
    result = kiosk("--db", url, "queue", "--json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "数据库" in result.stderr
    assert "sqlite" in result.stderr
    assert "secret" not in result.stderr + result.stdout
    assert one_json(result)["error"] == "database_url"


def test_exporting_settings_to_a_missing_folder_is_a_usage_error(
        sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "branch.toml"
    result = kiosk("--db", sqlite_url, "settings", "export", str(target))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "无法写入" in result.stderr
    assert str(target) in result.stderr


def test_a_malformed_command_line_with_json_still_prints_one_json_error(sqlite_url: str) -> None:
    result = kiosk("--db", sqlite_url, "ticket", "take", "claims", "--priority", "bogus",
                   "--json")
    assert result.returncode == 2
    assert one_json(result)["error"] == "usage"
    assert "用法错误" in result.stderr
    assert "bogus" in result.stderr
    plain = kiosk("--db", sqlite_url, "counter", "call", "four")
    assert plain.returncode == 2
    assert plain.stdout == ""
    assert "用法错误" in plain.stderr
    assert "four" in plain.stderr


def test_settings_of_another_branch_are_refused_and_change_nothing(
        sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "branch.toml"
    assert kiosk("--db", sqlite_url, "settings", "export", str(out)).returncode == 0
    before = out.read_text(encoding="utf-8")
    out.write_text(before.replace('id = "BR0001"', 'id = "BR0002"'), encoding="utf-8")
    refused = kiosk("--db", sqlite_url, "settings", "import", str(out), "--json")
    assert refused.returncode == 2
    assert one_json(refused)["error"] == "other_branch"
    assert "BR0002" in refused.stderr
    assert kiosk("--db", sqlite_url, "settings", "export", "-").stdout == before
    assert kiosk("--db", sqlite_url, "ticket", "take", "claims").returncode == 0
