"""Languages of the screens: English source strings, zh_CN by default, switched at run time.

Every visible string is written in English inside ``self.tr()`` (or
``QCoreApplication.translate(context, text)`` outside a QObject). Chinese lives in the
human-maintained catalogue ``resources/translations/zh_CN/*.toml`` (one file per screen
module; a table per context = the class that calls ``tr()``, ``["*"]`` for any class).
``python -m ui.i18n build`` runs ``pyside6-lupdate`` over ``ui/``, fills the Chinese in
from the catalogue and runs ``pyside6-lrelease``; it fails naming every string that has
no Chinese. The ``.ts``/``.qm`` files are build outputs (never edited, never committed).

At run time :func:`set_language` swaps the installed translators; Qt then sends
``QEvent.LanguageChange`` to every widget, and each widget re-sets its texts in
``retranslate()`` (see ``docs/ui.md``).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QTranslator,
    Signal,
)

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
UI_DIR = ROOT / "ui"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
CATALOGUE_DIR = TRANSLATIONS_DIR / "zh_CN"
TS_FILE = TRANSLATIONS_DIR / "lobby_kiosk_zh_CN.ts"
QM_FILE = TRANSLATIONS_DIR / "lobby_kiosk_zh_CN.qm"

Language = Literal["zh_CN", "en"]
LANGUAGES: tuple[Language, ...] = ("zh_CN", "en")
DEFAULT_LANGUAGE: Language = "zh_CN"
ANY_CONTEXT = "*"


# --------------------------------------------------------------------------- build


class MissingTranslations(Exception):
    """Strings found by lupdate that the catalogue does not translate."""

    def __init__(self, missing: Sequence[tuple[str, str]]) -> None:
        self.missing = list(missing)
        lines = "\n".join(f"  [{ctx}] {source!r}" for ctx, source in self.missing)
        super().__init__(f"{len(self.missing)} string(s) without a zh_CN translation "
                         f"(add them to resources/translations/zh_CN/*.toml):\n{lines}")


@dataclass(frozen=True)
class BuildResult:
    ts: Path
    qm: Path
    translated: int
    unused: list[tuple[str, str]]  # catalogue entries no source uses (stale, harmless)


def load_catalogue(files: Iterable[Path]) -> dict[tuple[str, str], str]:
    """(context, English) -> Chinese from every catalogue file; a clash is an error."""
    entries: dict[tuple[str, str], str] = {}
    for path in sorted(files):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for context, table in data.items():
            if not isinstance(table, dict):
                raise ValueError(f"{path}: {context!r} must be a table of \"English\" = \"中文\"")
            for source, chinese in table.items():
                if not isinstance(chinese, str) or not chinese.strip():
                    raise ValueError(f"{path}: [{context}] {source!r} needs a non-empty string")
                key = (context, source)
                if key in entries and entries[key] != chinese:
                    raise ValueError(f"{path}: [{context}] {source!r} is translated twice "
                                     f"({entries[key]!r} and {chinese!r})")
                entries[key] = chinese
    return entries


def _tool(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found (it comes with PySide6-Essentials)")
    return found


def source_files(ui_dir: Path = UI_DIR) -> list[Path]:
    return sorted(p for p in ui_dir.rglob("*.py") if "__pycache__" not in p.parts)


def fill_ts(ts: Path, catalogue: dict[tuple[str, str], str]) -> tuple[int, list[tuple[str, str]],
                                                                     set[tuple[str, str]]]:
    """Write the catalogue's Chinese into lupdate's ``.ts``; returns (translated,
    missing, used catalogue keys)."""
    tree = ET.parse(ts)
    tree.getroot().set("language", "zh_CN")
    translated, missing, used = 0, [], set()
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            source = message.findtext("source", "")
            comment = message.findtext("comment")
            # a disambiguation comment makes the catalogue key "source#comment"
            source_key = f"{source}#{comment}" if comment else source
            key = (name, source_key) if (name, source_key) in catalogue else (
                ANY_CONTEXT, source_key)
            chinese = catalogue.get(key)
            if chinese is None:
                missing.append((name, source_key))
                continue
            used.add(key)
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            translation.attrib.pop("type", None)
            if message.get("numerus") == "yes":
                for child in list(translation):
                    translation.remove(child)
                ET.SubElement(translation, "numerusform").text = chinese
                translation.text = None
            else:
                translation.text = chinese
            translated += 1
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    return translated, missing, used


def build(*, sources: Sequence[Path] | None = None, catalogue_files: Sequence[Path] | None = None,
          out_dir: Path | None = None) -> BuildResult:
    """lupdate -> fill from the catalogue -> lrelease. Raises :class:`MissingTranslations`
    (nothing written to ``out_dir``) when a string has no Chinese."""
    sources = list(sources) if sources is not None else source_files()
    catalogue = load_catalogue(catalogue_files if catalogue_files is not None
                               else CATALOGUE_DIR.glob("*.toml"))
    out_ts = (out_dir / TS_FILE.name) if out_dir else TS_FILE
    out_qm = (out_dir / QM_FILE.name) if out_dir else QM_FILE
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / TS_FILE.name
        qm = Path(tmp) / QM_FILE.name
        subprocess.run([_tool("pyside6-lupdate"), *map(str, sources), "-no-obsolete",
                        "-locations", "none", "-ts", str(ts)],
                       check=True, capture_output=True, text=True)
        translated, missing, used = fill_ts(ts, catalogue)
        if missing:
            raise MissingTranslations(missing)
        subprocess.run([_tool("pyside6-lrelease"), str(ts), "-qm", str(qm)],
                       check=True, capture_output=True, text=True)
        out_qm.parent.mkdir(parents=True, exist_ok=True)
        _replace(ts, out_ts)
        _replace(qm, out_qm)
    unused = sorted(set(catalogue) - used)
    return BuildResult(out_ts, out_qm, translated, unused)


def _replace(built: Path, target: Path) -> None:
    """Put ``built`` at ``target`` in one step (a rename in the target's folder): a
    screen starting meanwhile, or another build running at the same time (each test
    worker builds), reads the old file or the new one, never half of one."""
    part = target.with_name(f".{target.name}.{os.getpid()}.part")
    shutil.copyfile(built, part)
    os.replace(part, target)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.i18n",
                                     description="Build the zh_CN translations of the screens.")
    parser.add_argument("command", choices=["build", "check"],
                        help="build: write .ts/.qm; check: report only")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            with tempfile.TemporaryDirectory() as tmp:
                result = build(out_dir=Path(tmp))
        else:
            result = build()
    except MissingTranslations as exc:
        print(f"ui.i18n: {exc}", file=sys.stderr)
        return 1
    where = "" if args.command == "check" else f" -> {result.qm.relative_to(ROOT)}"
    print(f"ui.i18n: {result.translated} string(s) translated{where}")
    for ctx, source in result.unused:
        print(f"ui.i18n: unused catalogue entry [{ctx}] {source!r}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- run time

_current: Language = DEFAULT_LANGUAGE
_translators: list[QTranslator] = []


def current_language() -> Language:
    """The language the screens show now."""
    return _current


def error_language() -> Literal["zh", "en"]:
    """The language code ``KioskError.message()`` takes for the current language."""
    return "en" if _current == "en" else "zh"


def ensure_built() -> None:
    """Build the ``.qm`` if it is missing (a checkout where setup has not run yet)."""
    if QM_FILE.exists():
        return
    try:
        build()
        log.info("built %s", QM_FILE)
    except (MissingTranslations, OSError, subprocess.CalledProcessError) as exc:
        log.error("zh_CN translations could not be built; screens show English: %s", exc)


def set_default_language(language: str) -> Language:
    """The language a screen returns to for the next person (the customer screen's
    reset reads :data:`DEFAULT_LANGUAGE`): ``kiosk run`` sets the branch's
    ``screen_language`` setting, or ``--lang``."""
    global DEFAULT_LANGUAGE
    DEFAULT_LANGUAGE = "en" if language.lower().startswith("en") else "zh_CN"
    return DEFAULT_LANGUAGE


def set_language(language: str) -> Language:
    """Show the screens in ``language`` (``zh_CN`` or ``en``; ``zh`` is taken as zh_CN).

    Installs or removes the translators; every widget then gets ``LanguageChange``.
    Unknown codes fall back to the default language.
    """
    global _current
    lang: Language = "en" if language.lower().startswith("en") else "zh_CN"
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("set_language needs a QApplication")
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if lang == "zh_CN":
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        for path in (str(QM_FILE), f"{qt_dir}/qtbase_zh_CN.qm"):
            translator = QTranslator(app)
            if translator.load(path):
                app.installTranslator(translator)
                _translators.append(translator)
            else:
                log.error("translation file %s could not be loaded", path)
    QLocale.setDefault(QLocale("zh_CN" if lang == "zh_CN" else "en_GB"))
    _current = lang
    # Qt posts LanguageChange; deliver it now so every widget is re-translated when
    # this returns (a screenshot or a test right after sees the new language).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    signals().changed.emit(lang)
    return lang


class LanguageSignals(QObject):
    """Application-wide language signal for objects that are not widgets (the virtual
    keyboard); widgets react to ``QEvent.LanguageChange`` in ``changeEvent`` instead."""

    changed = Signal(str)
    """Emitted with the new language code after :func:`set_language`."""


_signals: LanguageSignals | None = None


def signals() -> LanguageSignals:
    """The one :class:`LanguageSignals` instance."""
    global _signals
    if _signals is None:
        _signals = LanguageSignals()
    return _signals


if __name__ == "__main__":
    sys.exit(main())
