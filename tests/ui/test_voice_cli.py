"""``kiosk voice say``: render a call to a WAV (read back with sox), play it through the
speakers (heard on the test's sound server), and the exit codes when it cannot."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.branch.info import load_branch
from kiosk.branch.values import set_setting
from kiosk.cli import EXIT_DEVICE, EXIT_OK, main
from kiosk.db import unit_of_work
from kiosk.devices.voice import VoiceSettings, call_announcement
from kiosk.devices.voice_render import VoiceRenderer
from tests.voice_support import PulseServer, voiced_seconds

VOICE = ["ui.voice.commands"]


def say(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main([*args, "--json"], extra_modules=VOICE)
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def sox_stat(path: Path) -> dict[str, str]:
    info = subprocess.run(["soxi", str(path)], capture_output=True, text=True, check=True)
    return {k.strip(): v.strip() for k, v in
            (line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)}


def test_render_a_call_to_a_wav(capsys: pytest.CaptureFixture[str], sqlite_url: str,
                                tmp_path: Path) -> None:
    target = tmp_path / "d007.wav"
    code, out, _ = say(capsys, "--db", sqlite_url, "voice", "say", "d007", "--counter", "3",
                       "--wav", str(target))
    assert code == EXIT_OK
    assert out["text"] == "请 D007 号到 3 号窗口办理 / Number D007, please go to counter 3"
    assert (out["repeat"], out["volume"], out["kind"]) == (2, 80, "call")
    info = sox_stat(target)  # read back by another program
    assert info["Channels"] == "1"
    assert info["Sample Rate"] == "22050"
    assert info["Precision"] == "16-bit"
    seconds = float(info["Duration"].split("=")[0].split(":")[-1])
    assert seconds == pytest.approx(out["seconds"], abs=0.01)
    expected = VoiceRenderer().render(call_announcement("D007", 3, VoiceSettings()))
    assert target.read_bytes() == expected.to_wav()


def test_a_recall_and_a_bad_number(capsys: pytest.CaptureFixture[str], sqlite_url: str,
                                   tmp_path: Path) -> None:
    code, out, _ = say(capsys, "--db", sqlite_url, "voice", "say", "A001", "--counter", "1",
                       "--recall", "--wav", str(tmp_path / "a.wav"))
    assert (code, out["kind"]) == (EXIT_OK, "recall")
    code, out, err = say(capsys, "--db", sqlite_url, "voice", "say", "7", "--counter", "1",
                         "--wav", str(tmp_path / "b.wav"))
    assert (code, out["error"]) == (2, "bad_number")
    assert "号码格式错误" in err
    assert not (tmp_path / "b.wav").exists()


def test_without_the_database_it_uses_the_default_settings(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = say(capsys, "--db", "postgresql+psycopg://kiosk@127.0.0.1:1/none",
                         "voice", "say", "B002", "--counter", "2", "--wav",
                         str(tmp_path / "b.wav"))
    assert code == EXIT_OK
    assert "using the default voice settings" in err
    assert out["repeat"] == VoiceSettings().repeat


def test_say_plays_through_the_speakers(capsys: pytest.CaptureFixture[str], engine: Engine,
                                        sqlite_url: str, speakers: PulseServer,
                                        qtbot: QtBot, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))  # the audio lock of this test
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session).id
        set_setting(session, branch, "voice_languages", ["zh"])
        set_setting(session, branch, "voice_repeat", 1)
        set_setting(session, branch, "voice_chime", False)
    with speakers.record(tmp_path / "heard.wav") as path:
        code, out, _ = say(capsys, "--db", sqlite_url, "voice", "say", "C010",
                           "--counter", "5")
    assert code == EXIT_OK
    assert out["played"] is True
    assert out["text"] == "请 C010 号到 5 号窗口办理"
    expected = VoiceRenderer().render(call_announcement(
        "C010", 5, VoiceSettings(languages=("zh",), repeat=1, chime=False)))
    assert voiced_seconds(speakers.read(path)) == pytest.approx(voiced_seconds(expected),
                                                               abs=0.3)


def test_say_with_no_sound_server_exits_4_naming_what_to_check(
        capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path,
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'none'}")
    code, out, err = say(capsys, "--db", sqlite_url, "voice", "say", "A001", "--counter", "1")
    assert code == EXIT_DEVICE
    assert out["error"] == "no_audio"
    assert "pulseaudio" in out["hint"]
    assert "无法播放语音" in err


def test_the_kiosk_command_has_voice_say(sqlite_url: str, tmp_path: Path) -> None:
    """The console script (ui.cli:main) registers the voice commands."""
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import sys; from ui.cli import main; sys.exit(main())",
         "--db", sqlite_url, "voice", "say", "E005", "--counter", "6", "--wav",
         str(tmp_path / "e.wav"), "--json"], capture_output=True, text=True, timeout=120,
        check=False)
    assert result.returncode == EXIT_OK, result.stderr
    assert json.loads(result.stdout)["wav"] == str(tmp_path / "e.wav")
