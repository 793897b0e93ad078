"""An announcement turned into audio: each phrase rendered whole by the speech engine
(:mod:`printers.speech.espeak`), cached per phrase, then chime + phrases + pauses +
repeats joined and set to the branch's volume (:mod:`printers.speech.wav`).

Why these voices: espeak-ng is the offline engine Debian ships; its ``cmn`` voice reads
the tone digits of its own Pinyin in English, ``cmn-latn-pinyin`` speaks Mandarin
(docs/voice.md). ``en-gb`` is espeak-ng's reference English voice. Both at 150 words a
minute, a little slower than the engine's 175: a call is heard once, in a hall that
echoes. Whole phrases, not joined word clips (a sentence rendered at once is a third
shorter and keeps its intonation); the pauses between languages and repeats are
silence of a fixed length, after trimming what the engine adds at each end.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from kiosk.devices.voice import Announcement, Language, Phrase
from printers.speech.espeak import Espeak, Voice
from printers.speech.wav import Pcm, chime, join, silence

VOICES: dict[Language, Voice] = {
    "zh": Voice("cmn-latn-pinyin", speed=150),
    "en": Voice("en-gb", speed=150),
}
CHIME_PAUSE_S = 0.3      # after the chime, before the first word
LANGUAGE_PAUSE_S = 0.6   # between the Mandarin and the English sentence
REPEAT_PAUSE_S = 1.2     # between one saying of the call and the next


@dataclass(frozen=True)
class CacheStats:
    hits: int
    misses: int
    size: int


class VoiceRenderer:
    """Renders announcements; safe to share between threads (a worker renders while
    the screen runs). Phrases are kept in a least-recently-used cache of ``cache_size``
    entries (a phrase is ~100 KB: a recall or a repeated call costs nothing)."""

    def __init__(self, engine: Espeak | None = None, *,
                 voices: dict[Language, Voice] | None = None, cache_size: int = 64) -> None:
        self.engine = engine or Espeak()
        self.voices = dict(voices or VOICES)
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[str, int, int, str], Pcm] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def phrase_audio(self, phrase: Phrase) -> Pcm:
        """``phrase`` spoken by its language's voice, without silence at either end."""
        voice = self.voices[phrase.language]
        key = (voice.name, voice.speed, voice.pitch, phrase.spoken)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self._hits += 1
                return cached
            self._misses += 1
        audio = self.engine.render(phrase.spoken, voice).trimmed()
        with self._lock:
            self._cache[key] = audio
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return audio

    def render(self, announcement: Announcement, *, apply_volume: bool = True) -> Pcm:
        """The whole announcement as one piece of audio, at its volume; a player that
        sets the volume itself (QtMultimedia's, at no cost) asks for ``apply_volume=False``
        and gets full scale."""
        spoken = [self.phrase_audio(p) for p in announcement.phrases]
        rate = spoken[0].rate
        once: list[Pcm] = []
        for i, audio in enumerate(spoken):
            if i:
                once.append(silence(LANGUAGE_PAUSE_S, rate))
            once.append(audio)
        parts: list[Pcm] = []
        if announcement.chime:
            parts += [chime(rate), silence(CHIME_PAUSE_S, rate)]
        for i in range(max(1, announcement.repeat)):
            if i:
                parts.append(silence(REPEAT_PAUSE_S, rate))
            parts += once
        parts.append(silence(0.2, rate))  # a player may cut the very end of a buffer
        audio = join(parts)
        return audio.scaled(announcement.volume / 100) if apply_volume else audio

    def render_wav(self, announcement: Announcement, *, apply_volume: bool = True) -> bytes:
        return self.render(announcement, apply_volume=apply_volume).to_wav()

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(self._hits, self._misses, len(self._cache))


__all__ = ["VOICES", "CacheStats", "VoiceRenderer"]
