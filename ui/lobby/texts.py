"""Every text of the lobby display, in both languages at once.

A lobby screen speaks to everyone in the hall, so each label carries the current
language large and the other one beneath (zh_CN: Chinese with English beneath; en:
English with Chinese beneath). The strings are written once here with
``QT_TRANSLATE_NOOP`` (found by ``pyside6-lupdate``; Chinese in
``resources/translations/zh_CN/lobby.toml``); :func:`pair` gives (current, other).
The Chinese of the "other" line comes from a translator of this module's own, loaded
from the same ``.qm``, so switching the language at run time swaps the two lines.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTranslator

from ui import i18n

CONTEXT = "LobbyDisplay"

NOW_CALLING = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Now calling"))
WELCOME = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Welcome"))
PLEASE_WAIT = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Please wait for your number"))
COUNTER_N = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Counter %1"))
RECENT_CALLS = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Recent calls"))
RECALL = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Recall"))
WAITING = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Waiting"))
PEOPLE = str(QT_TRANSLATE_NOOP("LobbyDisplay", "people"))
COUNTERS = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Counters"))
PAUSED = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Paused"))
CLOSED = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Closed"))
FREE = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Free"))
SERVING = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Serving"))
RECONNECTING = str(QT_TRANSLATE_NOOP("LobbyDisplay", "Reconnecting…"))
NO_CALLS_YET = str(QT_TRANSLATE_NOOP("LobbyDisplay", "No calls yet"))

_zh: QTranslator | None = None


def _chinese(source: str) -> str:
    global _zh
    if _zh is None:
        _zh = QTranslator()
        if not _zh.load(str(i18n.QM_FILE)):
            i18n.ensure_built()
            _zh.load(str(i18n.QM_FILE))
    return _zh.translate(CONTEXT, source) or source


def _fill(text: str, args: tuple[object, ...]) -> str:
    for i, value in enumerate(args, start=1):
        text = text.replace(f"%{i}", str(value))
    return text


def current(source: str, *args: object) -> str:
    """``source`` in the language the screens show now."""
    return _fill(QCoreApplication.translate(CONTEXT, source), args)


def other(source: str, *args: object) -> str:
    """``source`` in the other language (the line beneath)."""
    text = source if i18n.current_language() == "zh_CN" else _chinese(source)
    return _fill(text, args)


def pair(source: str, *args: object) -> tuple[str, str]:
    """(current language, other language) of ``source`` with ``%1``.. filled in."""
    return current(source, *args), other(source, *args)


def names(zh: str, en: str) -> tuple[str, str]:
    """A name the core gives in both languages (branch, service), current first."""
    return (zh, en) if i18n.current_language() == "zh_CN" else (en, zh)
