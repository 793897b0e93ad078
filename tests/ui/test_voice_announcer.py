"""The announcer, heard: calls played through a real (private) PulseAudio server and
recorded from its null sink; overlapping calls queue; two processes take turns; no
sound server, a server without outputs, and a server that comes back later."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.devices.voice import Announcement, Phrase, VoiceSettings, call_announcement
from kiosk.devices.voice_render import VoiceRenderer
from tests.voice_support import PulseServer, sound_spans, voiced_seconds
from ui.voice.announcer import Announcer, AudioLock

ZH_ONCE = VoiceSettings(languages=("zh",), repeat=1, chime=False, volume=100)


@contextlib.contextmanager
def make_announcer(qtbot: QtBot, tmp_path: Path, settings: VoiceSettings = ZH_ONCE,
                   **kwargs: object) -> Iterator[Announcer]:
    announcer = Announcer(settings=lambda: settings, lock_path=tmp_path / "audio.lock",
                          **kwargs)  # type: ignore[arg-type]
    try:
        yield announcer
    finally:
        announcer.close()


@pytest.fixture
def announcer(speakers: PulseServer, qtbot: QtBot, tmp_path: Path) -> Iterator[Announcer]:
    with make_announcer(qtbot, tmp_path) as made:
        yield made


def ready(qtbot: QtBot, announcer: Announcer) -> None:
    qtbot.waitUntil(lambda: announcer.available is True, timeout=60_000)


def short(text: str, key: str) -> Announcement:
    """A short announcement (a few syllables), so a test hears several quickly."""
    return Announcement("call", key, 1, (Phrase("zh", text, text),), 1, 100, False)


def test_a_call_is_heard_as_rendered(announcer: Announcer, speakers: PulseServer,
                                     qtbot: QtBot, tmp_path: Path) -> None:
    ready(qtbot, announcer)
    expected = VoiceRenderer().render(call_announcement("D007", 3, ZH_ONCE))
    with speakers.record(tmp_path / "heard.wav") as path, \
            qtbot.waitSignal(announcer.finished, timeout=60_000) as done:
        assert announcer.announce_call("D007", 3)
    heard = speakers.read(path)
    assert done.args[0].text == "请 D007 号到 3 号窗口办理"
    assert voiced_seconds(heard) == pytest.approx(voiced_seconds(expected), abs=0.3)
    assert heard.peak() == pytest.approx(expected.peak(), rel=0.15)


def test_overlapping_calls_queue_in_order_and_never_overlap(
        announcer: Announcer, speakers: PulseServer, qtbot: QtBot, tmp_path: Path) -> None:
    ready(qtbot, announcer)
    texts = ["一", "一 二 三 四 五 六", "一 二 三"]
    events: list[tuple[str, str]] = []
    announcer.started.connect(lambda a: events.append(("started", a.number)))
    announcer.finished.connect(lambda a: events.append(("finished", a.number)))
    renderer = VoiceRenderer()
    lengths = [voiced_seconds(renderer.phrase_audio(Phrase("zh", t, t))) for t in texts]
    with speakers.record(tmp_path / "heard.wav") as path:
        for i, text in enumerate(texts):  # all at once, as three counters call together
            assert announcer.announce(short(text, f"K{i}"))
        qtbot.waitUntil(lambda: len(events) == 6 and announcer.idle, timeout=90_000)
    assert events == [(kind, f"K{i}") for i in range(3) for kind in ("started", "finished")]
    spans = sound_spans(speakers.read(path), gap_s=0.1)
    assert len(spans) == 3, spans  # three sounds apart: none started over another
    heard = [end - start for start, end in spans]
    for got, want in zip(heard, lengths, strict=True):
        assert got == pytest.approx(want, abs=0.35)


def test_volume_is_the_branch_setting(speakers: PulseServer, qtbot: QtBot,
                                      tmp_path: Path) -> None:
    peaks = []
    for volume in (100, 50):
        settings = VoiceSettings(languages=("zh",), repeat=1, chime=False, volume=volume)
        with make_announcer(qtbot, tmp_path, settings) as announcer:
            ready(qtbot, announcer)
            with speakers.record(tmp_path / f"v{volume}.wav") as path, \
                    qtbot.waitSignal(announcer.finished, timeout=60_000):
                announcer.announce_call("A001", 1)
            peaks.append(speakers.read(path).peak())
    assert peaks[1] == pytest.approx(peaks[0] / 2, rel=0.15)


def test_a_waiting_number_is_queued_once_and_a_backlog_is_said_once(
        speakers: PulseServer, qtbot: QtBot, tmp_path: Path) -> None:
    settings = VoiceSettings(languages=("zh",), repeat=2, chime=False, volume=100)
    with make_announcer(qtbot, tmp_path, settings, backlog=2) as announcer:
        ready(qtbot, announcer)
        rendered: list[Announcement] = []
        announcer.queued.connect(rendered.append)
        with qtbot.waitSignal(announcer.started, timeout=60_000):
            assert announcer.announce_call("A001", 1)
        # A001 plays now; these wait. A recall of B002 while it waits adds nothing.
        for number, counter in (("B002", 2), ("B002", 2), ("C003", 3), ("D004", 4)):
            assert announcer.announce_call(number, counter)
        assert announcer.waiting() == [("B002", 2), ("C003", 3), ("D004", 4)]
        qtbot.waitUntil(lambda: len(rendered) == 4, timeout=60_000)
        repeats = {a.number: a.repeat for a in rendered}
        # Two already waited when D004 came: it is said once so every number is heard soon.
        assert repeats == {"A001": 2, "B002": 2, "C003": 2, "D004": 1}


def test_two_kiosk_processes_take_turns_at_the_speakers(
        announcer: Announcer, qtbot: QtBot, tmp_path: Path) -> None:
    ready(qtbot, announcer)
    other = AudioLock(tmp_path / "audio.lock")  # what the other process holds while speaking
    assert other.try_acquire()
    started: list[Announcement] = []
    announcer.started.connect(started.append)
    announcer.announce(short("一", "K1"))
    qtbot.waitUntil(lambda: announcer.waiting_for_speakers, timeout=60_000)
    assert started == []
    other.release()
    with qtbot.waitSignal(announcer.finished, timeout=60_000):
        pass
    assert [a.number for a in started] == ["K1"]


def test_no_sound_server_logs_once_and_queues_nothing(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-server'}")
    caplog.set_level(logging.WARNING, logger="ui.voice.announcer")
    with make_announcer(qtbot, tmp_path) as announcer:
        assert announcer.available is False
        for n in range(1, 6):
            assert announcer.announce_call(f"A00{n}", 1) is False
        assert announcer.idle
        assert "no sound server" in (announcer.problem or "")
    warnings = [r for r in caplog.records if "calls are not spoken" in r.getMessage()]
    assert len(warnings) == 1


def test_a_server_without_outputs_is_no_device(qtbot: QtBot, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Something listens where the server should (here: a plain file), but the speaker
    process finds no output: reported as no device, nothing queued."""
    fake = tmp_path / "not-a-server"
    fake.write_text("")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{fake}")
    with make_announcer(qtbot, tmp_path) as announcer:
        with qtbot.waitSignal(announcer.device_problem, timeout=60_000) as problem:
            announcer.announce_call("A001", 1)
        assert problem.args == ["no audio output device"]
        qtbot.waitUntil(lambda: announcer.idle, timeout=10_000)  # the waiting call dropped
        assert announcer.announce_call("A002", 1) is False


@pytest.mark.slow
def test_sound_comes_back_by_itself_when_the_server_starts(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    later = PulseServer(tmp_path / "later")
    monkeypatch.setenv("PULSE_SERVER", later.env()["PULSE_SERVER"])
    with make_announcer(qtbot, tmp_path, retry_s=(0.5,)) as announcer:
        assert announcer.available is False
        try:
            with qtbot.waitSignal(announcer.availability_changed, timeout=60_000,
                                  check_params_cb=lambda ok: ok):
                later.start()
            assert announcer.problem is None
            with later.record(tmp_path / "heard.wav") as path, \
                    qtbot.waitSignal(announcer.finished, timeout=60_000):
                assert announcer.announce(short("一 二 三", "K1"))
            assert voiced_seconds(later.read(path)) > 0.3
        finally:
            announcer.close()
            later.stop()
