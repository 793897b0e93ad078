"""Housekeeping a running station does by itself: the daily purge of personal data past
the retention limit. Every role's window asks at start and then hourly; the database
lets one station per business day do it (``kiosk.app.privacy.daily_purge``), so it
makes no difference how many are running."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from kiosk.app import AppContext, privacy
from ui.tasks import Failure, run_task

log = logging.getLogger(__name__)

PURGE_EVERY_MS = 3_600_000


class DailyPurge(QObject):
    """Asks for the daily purge now and every ``every_ms``; nothing shows on screen
    (a failure is logged and tried again at the next turn)."""

    def __init__(self, app: AppContext, parent: QObject, *,
                 every_ms: int = PURGE_EVERY_MS) -> None:
        super().__init__(parent)
        self.app = app
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(self.ask)
        self.last: privacy.PurgeResult | None = None

    def start(self) -> None:
        self.ask()
        self.timer.start()

    def ask(self) -> None:
        run_task(privacy.daily_purge, self.app, owner=self, on_result=self._done,
                 on_error=self._failed)

    def _done(self, result: privacy.PurgeResult | None) -> None:
        if result is not None:
            self.last = result
            log.info("daily purge at %s: %d records erased", self.app.station, result.total)

    def _failed(self, failure: Failure) -> None:
        log.warning("daily purge failed (tried again in an hour): %s", failure.error)


__all__ = ["DailyPurge"]
