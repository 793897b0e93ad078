"""Mono 16-bit PCM held in memory: read and write WAV, silence, a chime, joining,
volume. Enough to build an announcement from whole rendered phrases without any
audio library (``wave`` and ``array`` from the standard library)."""

from __future__ import annotations

import functools
import io
import math
import sys
import wave
from array import array
from dataclasses import dataclass

from printers.errors import DeviceError

SAMPLE_WIDTH = 2  # bytes: signed 16-bit little-endian
_MAX = 32767


@dataclass(frozen=True)
class Pcm:
    """Mono signed 16-bit samples at ``rate`` Hz (native byte order in ``samples``)."""

    rate: int
    samples: bytes

    @property
    def frames(self) -> int:
        return len(self.samples) // SAMPLE_WIDTH

    @property
    def seconds(self) -> float:
        return self.frames / self.rate

    def to_wav(self) -> bytes:
        out = io.BytesIO()
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(SAMPLE_WIDTH)
            w.setframerate(self.rate)
            w.writeframes(_little_endian(self.samples))
        return out.getvalue()

    def scaled(self, factor: float) -> Pcm:
        """Every sample times ``factor``, a volume between 0 (silence) and 1 (as is)."""
        if not 0.0 <= factor <= 1.0:
            raise ValueError(f"volume factor must be within 0..1, got {factor}")
        if factor == 1.0:
            return self
        data = array("h", [int(v * factor) for v in array("h", self.samples)])
        return Pcm(self.rate, data.tobytes())

    def trimmed(self, threshold: int = 200) -> Pcm:
        """Without the near-silence (``|sample| < threshold``) at both ends, so the
        pauses between phrases are the ones the caller puts there."""
        data = array("h", self.samples)
        start = next((i for i, v in enumerate(data) if abs(v) >= threshold), None)
        if start is None:
            return Pcm(self.rate, b"")
        end = next(i for i in range(len(data) - 1, -1, -1) if abs(data[i]) >= threshold)
        return Pcm(self.rate, data[start:end + 1].tobytes())

    def peak(self) -> int:
        """The largest absolute sample (0 for silence)."""
        data = array("h", self.samples)
        return max((abs(v) for v in data), default=0)


def from_wav(data: bytes, *, source: str = "WAV") -> Pcm:
    """Read a mono or stereo 16-bit WAV (stereo is mixed down to mono)."""
    try:
        with wave.open(io.BytesIO(data), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as exc:
        raise DeviceError(f"音频数据无效：{source}", f"not a valid WAV: {source} ({exc})",
                          code="audio") from exc
    if width != SAMPLE_WIDTH or channels not in (1, 2):
        raise DeviceError(f"不支持的音频格式：{source}",
                          f"unsupported WAV format in {source}: {channels} channel(s), "
                          f"{8 * width}-bit", code="audio")
    samples = array("h", _little_endian(raw))
    if channels == 2:
        samples = array("h", ((samples[i] + samples[i + 1]) // 2
                              for i in range(0, len(samples) - 1, 2)))
    return Pcm(rate, samples.tobytes())


def silence(seconds: float, rate: int) -> Pcm:
    return Pcm(rate, bytes(SAMPLE_WIDTH * round(seconds * rate)))


@functools.lru_cache(maxsize=4)
def chime(rate: int, *, notes: tuple[float, ...] = (784.0, 659.3), note_s: float = 0.42,
          level: float = 0.45) -> Pcm:
    """A two-note "ding-dong" (G5, E5 by default): a sine with a soft attack and an
    exponential decay per note, the attention sound lobbies play before a call."""
    out = array("h")
    count = round(note_s * rate)
    attack = max(1, round(0.01 * rate))
    for freq in notes:
        for n in range(count):
            envelope = min(1.0, n / attack) * math.exp(-4.0 * n / count)
            # A little of the octave above makes it sound like a bell, not a test tone.
            tone = (0.8 * math.sin(2 * math.pi * freq * n / rate)
                    + 0.2 * math.sin(4 * math.pi * freq * n / rate))
            out.append(int(_MAX * level * envelope * tone))
    return Pcm(rate, out.tobytes())


def join(parts: list[Pcm]) -> Pcm:
    """The parts one after another; all must share one sample rate."""
    if not parts:
        raise ValueError("nothing to join")
    rates = {p.rate for p in parts}
    if len(rates) != 1:
        raise ValueError(f"cannot join sample rates {sorted(rates)} without resampling")
    return Pcm(parts[0].rate, b"".join(p.samples for p in parts))


def _little_endian(samples: bytes) -> bytes:
    """WAV is little-endian; ``array`` uses the machine's order (swap on big-endian)."""
    if sys.byteorder == "little":
        return samples
    data = array("h", samples)
    data.byteswap()
    return data.tobytes()
