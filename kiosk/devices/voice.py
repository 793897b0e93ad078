"""What the branch says when it calls a number, and what the ticket page reads aloud.

Pure text from the branch settings (no engine, no audio): :func:`call_announcement`
and :func:`ticket_announcement` return an :class:`Announcement`, phrases in the order
spoken; :mod:`kiosk.devices.voice_render` turns it into audio.

The number is read as letter + digits, one by one ("D007" -> D 零 零 七), the way
Chinese lobbies call it: a number read as a quantity ("七号") cannot be told apart from
the counter ("七号窗口"). The Mandarin voice is given each letter as the Mandarin
syllables people say for it (D -> "di4", F -> "ai2 fu1"), in tone-numbered Pinyin,
which espeak-ng's ``cmn-latn-pinyin`` voice reads as Mandarin; ``tests/test_voice.py``
listens to every service prefix (docs/voice.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kiosk.branch.info import BranchInfo
from kiosk.errors import UsageError

Language = Literal["zh", "en"]
Kind = Literal["call", "recall", "ticket"]

# The Mandarin reading of each capital letter, as the Mandarin voice is given it.
LETTER_PINYIN: dict[str, str] = {
    "A": "ei1", "B": "bi4", "C": "xi1", "D": "di4", "E": "yi4", "F": "ai2 fu1",
    "G": "ji4", "H": "ai2 qi1", "I": "ai4", "J": "zhei4", "K": "kai4", "L": "ai2 le1",
    "M": "ai2 mu1", "N": "en1", "O": "ou1", "P": "pi4", "Q": "qiu1", "R": "a1 er3",
    "S": "ai2 si1", "T": "ti4", "U": "you1", "V": "wei1", "W": "da2 bu4 liu1",
    "X": "ai2 ke4 si1", "Y": "wai4", "Z": "zei4",
}
ZH_DIGITS = "零一二三四五六七八九"
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NUMBER = re.compile(r"^([A-Z]+)(\d+)$")
_LANGUAGES: dict[str, Language] = {"zh": "zh", "en": "en"}


@dataclass(frozen=True)
class VoiceSettings:
    """The branch's voice settings (``[settings]`` voice_* and wait_area_*)."""

    languages: tuple[Language, ...] = ("zh", "en")
    repeat: int = 2
    volume: int = 80
    chime: bool = True
    wait_area_zh: str = "大厅等候区"
    wait_area_en: str = "the lobby waiting area"

    @classmethod
    def of(cls, branch: BranchInfo) -> VoiceSettings:
        languages = tuple(_LANGUAGES[lang] for lang in branch.setting("voice_languages")
                          if lang in _LANGUAGES)
        return cls(languages=languages or ("zh",),
                   repeat=int(branch.setting("voice_repeat")),
                   volume=int(branch.setting("voice_volume")),
                   chime=bool(branch.setting("voice_chime")),
                   wait_area_zh=str(branch.setting("wait_area_zh")),
                   wait_area_en=str(branch.setting("wait_area_en")))


@dataclass(frozen=True)
class Phrase:
    """One sentence in one language: ``text`` as people read it (logs, captions),
    ``spoken`` as the engine is given it (letters as Pinyin, digits as words)."""

    language: Language
    text: str
    spoken: str


@dataclass(frozen=True)
class Announcement:
    """Phrases in the order spoken, said ``repeat`` times, at ``volume`` percent."""

    kind: Kind
    number: str
    counter: int | None
    phrases: tuple[Phrase, ...]
    repeat: int
    volume: int
    chime: bool

    @property
    def text(self) -> str:
        return " / ".join(p.text for p in self.phrases)


def split_number(number: str) -> tuple[str, str]:
    """``"D007"`` -> (``"D"``, ``"007"``); anything else is a usage error."""
    match = _NUMBER.match(number.strip().upper())
    if not match:
        raise UsageError(f"号码格式错误：{number}（应为字母加数字，如 D007）",
                         f"not a ticket number: {number!r} (a letter and digits, like D007)",
                         code="bad_number")
    return match.group(1), match.group(2)


def number_words(number: str, language: Language) -> str:
    """The number as the voice is given it: letter then each digit, space separated."""
    letters, digits = split_number(number)
    if language == "zh":
        words = [LETTER_PINYIN[c] for c in letters] + [ZH_DIGITS[int(d)] for d in digits]
        return " ".join(words)
    return ", ".join([" ".join(letters), " ".join(EN_DIGITS[int(d)] for d in digits)])


def zh_numeral(n: int) -> str:
    """A counter number as Mandarin says it: 3 三, 10 十, 12 十二, 20 二十, 105 一百零五."""
    if not 0 < n < 1000:
        raise UsageError(f"窗口号应在 1 到 999 之间：{n}", f"counter must be 1..999, got {n}",
                         code="bad_counter")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{ZH_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else ZH_DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += ZH_DIGITS[ones]
    return out


def _zh_count(n: int) -> str:
    """A count of people: 两 for 2 (两位, not 二位), digits beyond 999."""
    return "两" if n == 2 else zh_numeral(n) if 0 < n < 1000 else str(n)


def call_phrase(number: str, counter: int, language: Language) -> Phrase:
    """「请 D007 号到 3 号窗口办理」 / "Number D, zero zero seven, please go to counter 3"."""
    letters, digits = split_number(number)
    counter_zh = zh_numeral(counter)
    if language == "zh":
        return Phrase("zh", f"请 {letters}{digits} 号到 {counter} 号窗口办理",
                      f"请 {number_words(number, 'zh')} 号，到 {counter_zh} 号窗口办理")
    return Phrase("en", f"Number {letters}{digits}, please go to counter {counter}",
                  f"Number {number_words(number, 'en')}. Please go to counter {counter}.")


def ticket_phrase(number: str, service_zh: str, service_en: str, ahead: int,
                  settings: VoiceSettings, language: Language) -> Phrase:
    """What the ticket page's "read aloud / 语音播报" says: the number, the service,
    how many are ahead and where to wait."""
    letters, digits = split_number(number)
    if language == "zh":
        queue = "您是下一位" if ahead <= 0 else f"前面还有 {ahead} 位"
        spoken_queue = "您是下一位" if ahead <= 0 else f"前面还有 {_zh_count(ahead)} 位"
        where = f"请在{settings.wait_area_zh}等候叫号"
        return Phrase("zh", f"您的号码是 {letters}{digits}，{service_zh}。{queue}，{where}。",
                      f"您的号码是 {number_words(number, 'zh')}，{service_zh}。"
                      f"{spoken_queue}，{where}。")
    if ahead <= 0:
        queue = "You are next"
    else:
        queue = f"There {'is' if ahead == 1 else 'are'} {ahead} " \
                f"{'person' if ahead == 1 else 'people'} ahead of you"
    where = f"Please wait in {settings.wait_area_en} until your number is called"
    return Phrase("en", f"Your number is {letters}{digits}, {service_en}. {queue}. {where}.",
                  f"Your number is {number_words(number, 'en')}, for {service_en}. "
                  f"{queue}. {where}.")


def call_announcement(number: str, counter: int, settings: VoiceSettings, *,
                      recall: bool = False) -> Announcement:
    """A call (or a recall, which says the same again) in the branch's languages."""
    letters, digits = split_number(number)
    phrases = tuple(call_phrase(number, counter, lang) for lang in settings.languages)
    return Announcement("recall" if recall else "call", letters + digits, counter, phrases,
                        settings.repeat, settings.volume, settings.chime)


def ticket_announcement(number: str, service_zh: str, service_en: str, ahead: int,
                        settings: VoiceSettings) -> Announcement:
    """The ticket read aloud once, in the branch's languages, without the chime."""
    letters, digits = split_number(number)
    phrases = tuple(ticket_phrase(number, service_zh, service_en, ahead, settings, lang)
                    for lang in settings.languages)
    return Announcement("ticket", letters + digits, None, phrases, 1, settings.volume, False)


__all__ = ["LETTER_PINYIN", "Announcement", "Phrase", "VoiceSettings", "call_announcement",
           "call_phrase", "number_words", "split_number", "ticket_announcement",
           "ticket_phrase", "zh_numeral"]
