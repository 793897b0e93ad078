"""The diagnostics bundle: one zip with settings, devices, checks, versions and the
recent app log, holding no PIN, no PIN hash and no personal data."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from kiosk.app import AppContext, complaints, staff
from kiosk.cli import main
from kiosk.db import unit_of_work
from kiosk.models import StaffMember
from kiosk.privacy.masking import find_unmasked
from printers.escpos.transport import close_all
from tests.conftest import MONDAY_10AM

PHONE = "13812345678"
ID_NUMBER = "110101199003071234"
NAME = "王小明"
PIN = "275913"


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    context = AppContext.open(str(engine.url), station="K1")
    yield context
    close_all()
    context.close()


def test_the_bundle_holds_no_pin_hash_and_no_personal_data(
        app: AppContext, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff.add_staff(app, staff.console(app), "S0777", NAME, "supervisor", PIN)
    complaints.submit_complaint(app, "waiting", f"{NAME} 等了很久，请回电 {PHONE}，"
                                f"身份证 {ID_NUMBER}", phone=PHONE, consent=True)
    with unit_of_work(app.engine) as session:
        pin_hash = session.scalar(select(StaffMember.pin_hash).where(
            StaffMember.number == "S0777"))
    assert pin_hash
    logs = tmp_path / "state" / "lobby-kiosk"
    logs.mkdir(parents=True)
    (logs / "ui.log").write_text(
        "2026-11-23 10:00:01 INFO ui.customer: ticket A001 taken\n"
        f"2026-11-23 10:00:02 ERROR ui.tasks: E-3F9A2C customer phone {PHONE} id "
        f"{ID_NUMBER}\n", encoding="utf-8")
    target = tmp_path / "out" / "diagnostics.zip"

    code = main(["--db", str(app.engine.url), "--station", "K1", "diagnostics", "export",
                 str(target), "--logs", str(logs), "--json"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 0
    assert answer["path"] == str(target)
    with zipfile.ZipFile(target) as bundle:
        names = set(bundle.namelist())
        texts = {name: bundle.read(name).decode("utf-8") for name in names}
    assert names == {"settings.toml", "stations.json", "device-log.json", "serial-ports.json",
                     "checks.json", "versions.json", "logs/ui.log", "manifest.json"}
    assert set(answer["files"]) == names
    everything = "\n".join(texts.values())
    for secret in (PIN, pin_hash, NAME, PHONE, ID_NUMBER, "S0777"):
        assert secret not in everything, secret
    assert find_unmasked(everything) == []
    # what it is for is there: the settings, the log (masked), versions, the checks
    assert "[branch]" in texts["settings.toml"]
    assert "E-3F9A2C customer phone 138****5678 id 110***********1234" in texts["logs/ui.log"]
    assert "ticket A001 taken" in texts["logs/ui.log"]
    assert json.loads(texts["versions.json"])["packages"]["pyserial"]
    assert {c["name"] for c in json.loads(texts["checks.json"])["checks"]} >= {
        "dialout", "cjk_font", "voice_engine", "audio"}
    manifest = json.loads(texts["manifest.json"])
    assert set(manifest["files"]) == names
    assert any("PIN" in item for item in manifest["left_out"])


def test_an_unwritable_target_is_a_usage_error(app: AppContext, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    code = main(["--db", str(app.engine.url), "diagnostics", "export",
                 str(blocker / "d.zip"), "--json"])
    assert code == 2
    assert json.loads(capsys.readouterr().out)["error"] == "unwritable"
