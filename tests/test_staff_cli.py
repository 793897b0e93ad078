"""``kiosk staff``, ``kiosk audit`` and ``kiosk purge`` as scripts use them: the PIN
from standard input and never an argument, exit 0 or 3 with the reason, one JSON
object with --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from kiosk.db import make_engine, unit_of_work
from kiosk.models import StaffMember
from tests.conftest import MONDAY_10AM

MONDAY = "2026-11-23T10:00:00+08:00"


def kiosk(url: str, *args: str, pin: str | None = None,
          now: str = MONDAY) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--db", url, *args],
                          input=None if pin is None else pin + "\n", capture_output=True,
                          text=True, env={**os.environ, "KIOSK_NOW": now}, timeout=60,
                          check=False)


def one_json(result: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, (result.stdout, result.stderr)
    return json.loads(lines[0])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_add_list_login_lockout_reset_and_disable(sqlite_url: str) -> None:
    added = kiosk(sqlite_url, "staff", "add", "S0401", "--name", "王小明", "--role", "counter",
                  "--json", pin="2580")
    assert added.returncode == 0, added.stderr
    assert one_json(added)["number"] == "S0401"
    assert "2580" not in added.stdout + added.stderr
    weak = kiosk(sqlite_url, "staff", "add", "S0402", "--name", "李雷", "--role", "counter",
                 pin="1111")
    assert weak.returncode == 2
    assert "too easy" in weak.stderr
    no_pin = kiosk(sqlite_url, "staff", "add", "S0402", "--name", "李雷", "--role", "counter",
                   pin="")
    assert no_pin.returncode == 2
    # A PIN on the command line is not a thing: there is no option for it.
    assert kiosk(sqlite_url, "staff", "login", "S0401", "2580").returncode == 2

    ok = kiosk(sqlite_url, "staff", "login", "S0401", "--json", pin="2580")
    assert ok.returncode == 0
    assert one_json(ok)["role"] == "counter"
    for left in (4, 3, 2, 1):
        wrong = kiosk(sqlite_url, "staff", "login", "S0401", pin="9999")
        assert wrong.returncode == 3
        assert f"{left} attempts left" in wrong.stderr
    fifth = kiosk(sqlite_url, "staff", "login", "S0401", pin="9999")
    assert fifth.returncode == 3
    assert "locked until 10:05" in fifth.stderr
    locked = kiosk(sqlite_url, "staff", "login", "S0401", "--json", pin="2580")
    assert locked.returncode == 3
    assert "锁定至 10:05" in locked.stderr
    assert one_json(locked)["error"] == "locked"
    listed = one_json(kiosk(sqlite_url, "staff", "list", "--json"))
    assert listed["staff"][0]["locked_until"] == "2026-11-23T10:05:00+08:00"
    assert "pin_hash" not in json.dumps(listed)

    assert kiosk(sqlite_url, "staff", "reset-pin", "S0401", pin="7410").returncode == 0
    assert kiosk(sqlite_url, "staff", "login", "S0401", pin="7410").returncode == 0
    assert kiosk(sqlite_url, "staff", "disable", "S0401").returncode == 0
    disabled = kiosk(sqlite_url, "staff", "login", "S0401", pin="7410")
    assert disabled.returncode == 3
    assert "disabled" in disabled.stderr
    unknown = kiosk(sqlite_url, "staff", "reset-pin", "S9999", pin="7410")
    assert unknown.returncode == 2


@pytest.mark.slow
def test_audit_by_date_and_purge_dry_run_then_run(sqlite_url: str) -> None:
    earlier = "2026-11-20T09:00:00+08:00"
    assert kiosk(sqlite_url, "staff", "add", "S1", "--name", "王小明", "--role", "counter",
                 pin="2580", now=earlier).returncode == 0
    assert kiosk(sqlite_url, "staff", "add", "S2", "--name", "李雷", "--role", "counter",
                 pin="2580").returncode == 0
    assert kiosk(sqlite_url, "staff", "login", "S2", pin="2580").returncode == 0
    log = one_json(kiosk(sqlite_url, "audit", "--from", "2026-11-23", "--to", "2026-11-23",
                         "--json"))
    assert [(e["action"], e["subject"]) for e in log["entries"]] == [
        ("staff.add", "S2"), ("login", "")]
    assert log["entries"][0]["staff"].startswith("cli:")
    assert log["entries"][0]["at"] == "2026-11-23T10:00:00+08:00"
    everything = one_json(kiosk(sqlite_url, "audit", "--json"))
    assert len(everything["entries"]) == 3
    bad = kiosk(sqlite_url, "audit", "--from", "2026-11-24", "--to", "2026-11-23")
    assert bad.returncode == 2

    # Photos of a colleague disabled 200 days ago (past the 180-day limit) and of one
    # disabled 10 days ago.
    engine = make_engine(sqlite_url)
    with unit_of_work(engine, write=True) as session:
        for number, days in (("S1", 200), ("S2", 10)):
            session.execute(update(StaffMember).where(StaffMember.number == number).values(
                enabled=False, disabled_at=MONDAY_10AM - timedelta(days=days),
                photo=b"\x89PNG\r\n\x1a\n", photo_type="image/png"))
    engine.dispose()
    dry = one_json(kiosk(sqlite_url, "purge", "--dry-run", "--json"))
    assert dry["dry_run"] is True
    assert dry["retention_days"] == 180
    assert dry["cutoff"] == "2026-05-27T10:00:00+08:00"
    assert {i["name"]: i["records"] for i in dry["items"]}["staff_photo"] == 1
    done = one_json(kiosk(sqlite_url, "purge", "--json"))
    assert done["dry_run"] is False
    assert done["total"] == 1
    listed = {s["number"]: s["has_photo"] for s in
              one_json(kiosk(sqlite_url, "staff", "list", "--json"))["staff"]}
    assert listed == {"S1": False, "S2": True}
    assert one_json(kiosk(sqlite_url, "purge", "--json"))["total"] == 0
    text = kiosk(sqlite_url, "purge", "--dry-run")
    assert "would erase 0 records" in text.stdout
    actions = [e["action"] for e in one_json(kiosk(sqlite_url, "audit", "--json"))["entries"]]
    assert actions.count("personal_data.purge") == 2  # runs are audited, dry runs not


@pytest.mark.slow
def test_a_staff_board_photo_is_set_refused_when_not_an_image_and_removed(
        sqlite_url: str, tmp_path: Path) -> None:
    assert kiosk(sqlite_url, "staff", "add", "S0401", "--name", "王小明", "--role", "counter",
                 pin="2580").returncode == 0
    png = tmp_path / "s0401.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    text = tmp_path / "notes.txt"
    text.write_text("not a photo")

    def has_photo() -> bool:
        listed = one_json(kiosk(sqlite_url, "staff", "list", "--json"))["staff"]
        return bool(listed[0]["has_photo"])

    done = kiosk(sqlite_url, "staff", "photo", "S0401", str(png), "--json")
    assert done.returncode == 0, done.stderr
    assert one_json(done)["has_photo"] is True
    assert has_photo()
    refused = kiosk(sqlite_url, "staff", "photo", "S0401", str(text))
    assert refused.returncode == 2
    assert "PNG or JPEG" in refused.stderr
    assert has_photo()  # the refused file changed nothing
    missing = kiosk(sqlite_url, "staff", "photo", "S0401", str(tmp_path / "none.png"))
    assert missing.returncode == 2
    assert "cannot read the photo" in missing.stderr
    removed = kiosk(sqlite_url, "staff", "photo", "S0401", "--remove", "--json")
    assert removed.returncode == 0, removed.stderr
    assert not has_photo()
    audit = one_json(kiosk(sqlite_url, "audit", "--json"))
    photo_steps = [e for e in audit["entries"] if e["subject"] == "S0401"
                   and "photo" in e["action"] + e["detail"]]
    assert len(photo_steps) == 2, audit
