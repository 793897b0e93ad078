"""Calling by voice, the core: what is said for every service prefix and number, how
it sounds (rendered with the real espeak-ng and listened to: voiced length, pitch), the
branch's voice settings, the phrase cache, and a missing engine."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kiosk.branch.info import load_branch
from kiosk.branch.settings import default_config, parse_config
from kiosk.branch.values import set_setting
from kiosk.db import unit_of_work
from kiosk.devices.voice import (
    LETTER_PINYIN,
    Phrase,
    VoiceSettings,
    call_announcement,
    call_phrase,
    number_words,
    split_number,
    ticket_announcement,
    zh_numeral,
)
from kiosk.devices.voice_render import VOICES, VoiceRenderer
from kiosk.errors import ConfigError, DeviceError, UsageError
from printers.speech.espeak import Espeak, Voice
from printers.speech.wav import chime, from_wav
from tests.voice_support import pitch_track, sound_spans, voiced_seconds

PREFIXES = sorted(s.prefix for s in default_config().services)
NUMBERS = ("001", "007", "010", "099", "100", "999")
ZH_TEXT = re.compile(r"^请 ([A-Z]\d{3}) 号到 (\d+) 号窗口办理$")


@pytest.fixture(scope="module")
def renderer() -> VoiceRenderer:
    return VoiceRenderer(cache_size=512)


@pytest.fixture(scope="module")
def espeak() -> Espeak:
    return Espeak()


def test_the_shipped_services_have_the_prefixes_these_tests_walk() -> None:
    assert PREFIXES == ["A", "B", "C", "D", "E", "F", "V"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_call_text_for_every_prefix_and_number(prefix: str) -> None:
    for digits in NUMBERS:
        number = prefix + digits
        zh, en = call_announcement(number, 3, VoiceSettings()).phrases
        assert ZH_TEXT.match(zh.text).groups() == (number, "3")  # type: ignore[union-attr]
        # The voice gets the letter as its Mandarin syllables and each digit as a word.
        digit_words = " ".join("零一二三四五六七八九"[int(d)] for d in digits)
        assert zh.spoken == f"请 {LETTER_PINYIN[prefix]} {digit_words} 号，到 三 号窗口办理"
        assert en.text == f"Number {number}, please go to counter 3"
        assert en.spoken.startswith(f"Number {prefix}, ")
        assert len(en.spoken.split(", ")[1].split(".")[0].split()) == 3  # three digit words


def test_numbers_are_read_digit_by_digit_and_counters_as_numbers() -> None:
    assert number_words("D007", "zh") == "di4 零 零 七"
    assert number_words("d007", "en") == "D, zero zero seven"
    assert number_words("F120", "zh") == "ai2 fu1 一 二 零"
    assert [zh_numeral(n) for n in (1, 2, 10, 11, 12, 20, 21, 100, 105, 110, 999)] == [
        "一", "二", "十", "十一", "十二", "二十", "二十一", "一百", "一百零五", "一百一十",
        "九百九十九"]
    assert call_phrase("A001", 12, "zh").spoken.endswith("到 十二 号窗口办理")


@pytest.mark.parametrize("bad", ["", "007", "D", "D-007", "DD 7", "号码"])
def test_a_malformed_number_is_a_bilingual_usage_error(bad: str) -> None:
    with pytest.raises(UsageError) as caught:
        split_number(bad)
    assert "D007" in caught.value.zh
    assert "D007" in caught.value.en


def test_a_counter_outside_1_to_999_is_refused() -> None:
    for counter in (0, -1, 1000):
        with pytest.raises(UsageError):
            call_phrase("A001", counter, "zh")


def test_ticket_read_aloud_says_number_service_people_ahead_and_where_to_wait() -> None:
    settings = VoiceSettings(wait_area_zh="二楼理赔等候区", wait_area_en="the claims area upstairs")
    zh, en = ticket_announcement("D007", "理赔", "Claims", 2, settings).phrases
    assert zh.text == "您的号码是 D007，理赔。前面还有 2 位，请在二楼理赔等候区等候叫号。"
    assert "di4 零 零 七" in zh.spoken
    assert "前面还有 两 位" in zh.spoken
    assert en.text == ("Your number is D007, Claims. There are 2 people ahead of you. "
                       "Please wait in the claims area upstairs until your number is called.")
    first, _ = ticket_announcement("A001", "咨询查询", "Enquiries", 0, settings).phrases
    assert "您是下一位" in first.text
    one = ticket_announcement("A001", "咨询查询", "Enquiries", 1, settings).phrases[1]
    assert "There is 1 person ahead of you" in one.text


def test_recall_says_the_same_words_again() -> None:
    call = call_announcement("B012", 2, VoiceSettings())
    recall = call_announcement("B012", 2, VoiceSettings(), recall=True)
    assert recall.kind == "recall"
    assert call.kind == "call"
    assert recall.phrases == call.phrases


# ----- settings ---------------------------------------------------------------------

def test_voice_settings_come_from_the_branch(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        assert VoiceSettings.of(load_branch(session)) == VoiceSettings()
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session).id
        set_setting(session, branch, "voice_languages", ["zh"])
        set_setting(session, branch, "voice_repeat", 3)
        set_setting(session, branch, "voice_volume", 40)
        set_setting(session, branch, "voice_chime", False)
    with unit_of_work(engine) as session:
        settings = VoiceSettings.of(load_branch(session))
    assert settings == VoiceSettings(languages=("zh",), repeat=3, volume=40, chime=False)
    announcement = call_announcement("C100", 5, settings)
    assert [p.language for p in announcement.phrases] == ["zh"]
    assert (announcement.repeat, announcement.volume, announcement.chime) == (3, 40, False)


@pytest.mark.parametrize(("key", "value"), [
    ("voice_volume", 101), ("voice_volume", -1), ("voice_repeat", 0), ("voice_repeat", 6),
    ("voice_languages", []), ("voice_languages", ["fr"]), ("voice_languages", ["zh", "zh"]),
    ("voice_chime", "yes"), ("display_notice", "x" * 301), ("wait_area_zh", 3),
])
def test_bad_voice_settings_are_refused_in_a_file_and_one_by_one(
        engine: Engine, key: str, value: object) -> None:
    import tomli_w

    from kiosk.branch.settings import export_document

    with unit_of_work(engine) as session:
        branch = load_branch(session).id
        document = export_document(session, branch)
    document["settings"][key] = value
    with pytest.raises(ConfigError) as caught:
        parse_config(tomli_w.dumps(document), "branch.toml")
    assert f"settings.{key}" in caught.value.en
    with unit_of_work(engine, write=True) as session, pytest.raises(ConfigError):
        set_setting(session, branch, key, value)


# ----- listening --------------------------------------------------------------------

def _tones(letter: str) -> list[int]:
    return [int(syllable[-1]) for syllable in LETTER_PINYIN[letter].split()]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_each_prefix_letter_is_heard_with_its_mandarin_tone(espeak: Espeak, prefix: str) -> None:
    """Listen to the letter alone in the Mandarin voice: a syllable's length of sound,
    and the pitch of its last syllable moves as its tone says (1 level, 4 falling).
    The ``cmn`` voice (tone digits read in English: "di four") or an English voice
    fails this: "four"/"one" are level or falling where tone 1/4 must not be."""
    audio = espeak.render(LETTER_PINYIN[prefix], VOICES["zh"])
    syllables = len(_tones(prefix))
    assert 0.15 <= voiced_seconds(audio) <= 0.3 * syllables + 0.15
    track = pitch_track(audio)
    assert len(track) >= 10, "the letter is not voiced"
    last = track[-len(track) // syllables:] if syllables > 1 else track
    third = max(2, len(last) // 3)
    start, end = sum(last[:third]) / third, sum(last[-third:]) / third
    tone = _tones(prefix)[-1]
    if tone == 1:
        assert max(last) / min(last) < 1.12, f"tone 1 should be level: {last}"
    elif tone == 4:
        assert end < 0.93 * start, f"tone 4 should fall: {last}"


def test_the_english_reading_of_a_tone_digit_would_fail_the_listening_test(
        espeak: Espeak) -> None:
    """The check above can fail: espeak-ng's ``cmn`` voice reads "di4" as "di four",
    whose pitch does not fall like Mandarin tone 4."""
    track = pitch_track(espeak.render("di4", Voice("cmn", 150)))
    third = len(track) // 3
    assert sum(track[-third:]) / third >= 0.93 * sum(track[:third]) / third


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_letter_is_spoken_in_its_place_in_the_call(renderer: VoiceRenderer,
                                                       prefix: str) -> None:
    """The call with the letter is longer than without it by the letter's own sound:
    neither dropped nor spelled out."""
    phrase = call_phrase(f"{prefix}007", 3, "zh")
    without = Phrase("zh", "", phrase.spoken.replace(LETTER_PINYIN[prefix] + " ", "", 1))
    letter = Phrase("zh", "", LETTER_PINYIN[prefix])
    added = voiced_seconds(renderer.phrase_audio(phrase)) - voiced_seconds(
        renderer.phrase_audio(without))
    assert added == pytest.approx(voiced_seconds(renderer.phrase_audio(letter)), abs=0.12)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_every_prefix_and_number_renders_a_whole_call(renderer: VoiceRenderer,
                                                      prefix: str) -> None:
    settings = VoiceSettings(repeat=1, chime=False)
    for digits in NUMBERS:
        zh, en = (renderer.phrase_audio(p)
                  for p in call_announcement(prefix + digits, 3, settings).phrases)
        # A Mandarin call is about 3-5 s of speech, the English one about as long.
        assert 2.5 <= voiced_seconds(zh) <= 5.5
        assert 2.0 <= voiced_seconds(en) <= 5.5
    digits_apart = [renderer.phrase_audio(call_phrase(prefix + d, 3, "zh")).samples
                    for d in NUMBERS]
    assert len(set(digits_apart)) == len(NUMBERS)


def test_an_announcement_is_chime_then_each_language_then_the_repeats(
        renderer: VoiceRenderer) -> None:
    once = renderer.render(call_announcement("D007", 3, VoiceSettings(repeat=1, chime=False)))
    twice = renderer.render(call_announcement("D007", 3, VoiceSettings(repeat=2, chime=False)))
    zh_only = renderer.render(call_announcement(
        "D007", 3, VoiceSettings(languages=("zh",), repeat=1, chime=False)))
    chimed = renderer.render(call_announcement("D007", 3, VoiceSettings(repeat=1)))
    assert voiced_seconds(twice) == pytest.approx(2 * voiced_seconds(once), abs=0.05)
    assert voiced_seconds(zh_only) < 0.65 * voiced_seconds(once)
    # The chime comes first, then a pause, then the call as said without it.
    assert chimed.seconds == pytest.approx(once.seconds + chime(once.rate).seconds + 0.3,
                                           abs=0.01)
    assert chimed.samples.endswith(once.samples)
    # Mandarin, a pause, English: two stretches of sound per saying.
    assert len(sound_spans(once, gap_s=0.5)) == 2
    assert len(sound_spans(twice, gap_s=0.5)) == 4


def test_volume_scales_the_rendered_audio(renderer: VoiceRenderer) -> None:
    full = renderer.render(call_announcement("A001", 1, VoiceSettings(volume=100)))
    half = renderer.render(call_announcement("A001", 1, VoiceSettings(volume=50)))
    unscaled = renderer.render(call_announcement("A001", 1, VoiceSettings(volume=50)),
                               apply_volume=False)
    assert half.peak() == pytest.approx(full.peak() / 2, abs=2)
    assert unscaled.samples == full.samples
    silent = renderer.render(call_announcement("A001", 1, VoiceSettings(volume=0)))
    assert silent.peak() == 0
    assert silent.seconds == full.seconds


def test_a_phrase_is_rendered_once_then_served_from_the_cache(tmp_path: Path) -> None:
    class CountingEspeak(Espeak):
        calls = 0

        def render(self, text: str, voice: Voice):  # type: ignore[no-untyped-def]
            CountingEspeak.calls += 1
            return super().render(text, voice)

    renderer = VoiceRenderer(CountingEspeak(), cache_size=2)
    call = call_announcement("E010", 4, VoiceSettings())
    first = renderer.render_wav(call)
    again = renderer.render_wav(call_announcement("E010", 4, VoiceSettings(), recall=True))
    assert CountingEspeak.calls == 2  # one Mandarin and one English phrase
    assert again == first
    assert renderer.stats().hits == 2
    renderer.render(call_announcement("E011", 4, VoiceSettings()))  # two more phrases
    assert renderer.stats().size == 2  # the oldest left the cache
    renderer.render(call)
    assert CountingEspeak.calls == 6


def test_the_wav_is_mono_16_bit_and_reads_back(renderer: VoiceRenderer) -> None:
    audio = renderer.render(call_announcement("V001", 6, VoiceSettings(repeat=1)))
    back = from_wav(audio.to_wav())
    assert back == audio
    assert back.rate == 22050


def test_a_missing_engine_is_a_device_error_naming_it() -> None:
    with pytest.raises(DeviceError) as caught:
        Espeak("espeak-ng-not-installed").render("请", VOICES["zh"])
    assert caught.value.port == "espeak-ng-not-installed"
    assert "espeak-ng" in caught.value.hint
    assert caught.value.zh


def test_an_unknown_voice_is_a_device_error(espeak: Espeak) -> None:
    with pytest.raises(DeviceError) as caught:
        espeak.render("hello", replace(VOICES["en"], name="no-such-voice"))
    assert "no-such-voice" in caught.value.en
