"""Creating the QApplication the way every kiosk role needs it.

Order matters: the environment (virtual keyboard input method, Qt Quick's software
renderer) must be set before the QApplication exists; the font, theme and translator
after. Only QtCore/QtGui/QtWidgets load here: charts, multimedia and Qt Quick are
imported by the screens that use them, so cold start stays small.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from ui import i18n, tasks, theme

log = logging.getLogger(__name__)

APP_NAME = "lobby-kiosk"
_HANDLER_NAME = "lobby-kiosk"  # our log handlers, added once however often this runs


def configure_environment(*, keyboard: bool = True) -> None:
    """Environment Qt reads when the QApplication is created (platform notes:
    ``QT_IM_MODULE`` before the app or the keyboard never appears; the software Qt
    Quick backend keeps the keyboard near 100 MiB instead of 200)."""
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    if keyboard:
        os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"


def log_path() -> Path:
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / APP_NAME / "ui.log"


def configure_logging(level: int = logging.INFO, path: Path | None = None) -> Path:
    """Log to stderr and to a rotating file (error ids are looked up there)."""
    path = path or log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not any(h.get_name() == _HANDLER_NAME for h in root.handlers):
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
        stream_handler = logging.StreamHandler()
        for handler in (file_handler, stream_handler):
            handler.setFormatter(fmt)
            handler.set_name(_HANDLER_NAME)
            root.addHandler(handler)
    return path


def has_cjk_font() -> bool:
    return theme.FONT_FAMILY in QFontDatabase.families()


def prepare_app(app: QApplication, *, language: str = i18n.DEFAULT_LANGUAGE,
                large_text: bool = False) -> QApplication:
    """Font, theme, translations and the exception safety net on an existing app."""
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    if not has_cjk_font():
        log.error("font %r missing: Chinese shows as boxes (install fonts-wqy-microhei)",
                  theme.FONT_FAMILY)
    i18n.ensure_built()
    i18n.set_language(language)
    theme.apply_theme(large_text, app)
    tasks.install_excepthook()
    app.aboutToQuit.connect(lambda: tasks.wait_idle(5_000))
    return app


def create_app(argv: Sequence[str] | None = None, *, language: str = i18n.DEFAULT_LANGUAGE,
               large_text: bool = False, keyboard: bool = True,
               log_file: Path | None = None) -> QApplication:
    """The one QApplication of a kiosk process, ready for screens."""
    configure_environment(keyboard=keyboard)
    where = configure_logging(path=log_file)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        list(argv) if argv is not None else [APP_NAME])
    log.info("starting; log file %s", where)
    return prepare_app(app, language=language, large_text=large_text)
