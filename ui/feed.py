"""The call feed for the screens: the lobby display, the counter terminals and the
admin board listen to it the same way.

    watcher = FeedWatcher(engine, after_id=position, kinds=CALL_KINDS, parent=window)
    watcher.events.connect(board.show_calls)        # list[FeedEvent], feed order
    watcher.connection_lost.connect(board.show_offline)   # reason (str)
    watcher.connection_restored.connect(board.show_online)
    watcher.start()        # ... watcher.stop() when the screen closes

A :class:`~kiosk.queue.listen.FeedListener` runs in a thread of its own (not the task
pool: it waits for as long as the screen is up, and would hold a pool worker forever);
it only emits this object's private signals, which Qt queues to the GUI thread, where
the public ones are emitted. So a slot connected to :attr:`FeedWatcher.events` runs on
the GUI thread and may touch widgets. The listener reconnects by itself after the
database goes away; what happened meanwhile arrives after ``connection_restored``,
in order, nothing twice. Depends on nothing else in ``ui/``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Collection

from PySide6.QtCore import QObject, Signal, Slot
from sqlalchemy import Engine

from kiosk.queue.feed import FeedEvent
from kiosk.queue.listen import FeedListener

log = logging.getLogger(__name__)

STOP_WAIT_S = 10.0


class FeedWatcher(QObject):
    """Follows one branch's call feed and reports on the GUI thread.

    ``after_id`` is the feed position to carry on from (``None``: from the newest
    when the listener first connects). :attr:`position` is the last position
    delivered; ``stop()`` then ``start()`` carries on from there."""

    events = Signal(object)
    """A non-empty ``list[FeedEvent]``, oldest first (GUI thread)."""
    connection_lost = Signal(str)
    """The database cannot be reached; the reason (GUI thread). Retrying goes on."""
    connection_restored = Signal()
    """The database is back (GUI thread); the events missed meanwhile follow."""

    # Private, emitted by the worker thread with the listener they come from: what a
    # stopped listener still had on its way is dropped, not delivered twice.
    _events_read = Signal(object, object)
    _connection_changed = Signal(object, bool, str)

    def __init__(self, engine: Engine, after_id: int | None = None, *,
                 kinds: Collection[str] | None = None, branch_id: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine, self.kinds, self.branch_id = engine, kinds, branch_id
        self.position = after_id
        self.connected: bool | None = None  # None until known
        self._listener: FeedListener | None = None
        self._thread: threading.Thread | None = None
        self._events_read.connect(self._deliver_events)
        self._connection_changed.connect(self._deliver_connection)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Start listening (does nothing when already listening)."""
        if self._thread is not None:
            return
        listener = FeedListener(self.engine, self.position, branch_id=self.branch_id,
                                kinds=self.kinds)
        listener.on_connection = (
            lambda connected, why: self._connection_changed.emit(listener, connected, why))
        self._listener = listener
        self._thread = threading.Thread(target=self._listen, args=(listener,),
                                        name="call-feed", daemon=True)
        self._thread.start()

    def stop(self) -> bool:
        """Stop listening and wait for the thread; events not yet delivered are dropped
        (a later :meth:`start` reads them again). False if the thread did not end."""
        listener, thread = self._listener, self._thread
        self._listener = self._thread = None
        if listener is None or thread is None:
            return True
        listener.stop()
        thread.join(STOP_WAIT_S)
        listener.close()
        return not thread.is_alive()

    def _listen(self, listener: FeedListener) -> None:
        """The worker thread: touches no widget, only emits the private signals."""
        try:
            while not listener.stopped:
                found = listener.next_events()
                if found:
                    self._events_read.emit(listener, found)
        except Exception as exc:  # a defect, not a lost database (the listener retries those)
            log.exception("call feed listener failed")
            self._connection_changed.emit(listener, False, f"{type(exc).__name__}: {exc}")

    @Slot(object, object)
    def _deliver_events(self, listener: FeedListener, found: list[FeedEvent]) -> None:
        if listener is not self._listener:
            return  # stopped since: dropped, read again by the next start()
        self.position = found[-1].id
        self.events.emit(found)

    @Slot(object, bool, str)
    def _deliver_connection(self, listener: FeedListener, connected: bool, reason: str) -> None:
        if listener is not self._listener:
            return
        self.connected = connected
        if connected:
            self.connection_restored.emit()
        else:
            self.connection_lost.emit(reason)


__all__ = ["FeedWatcher"]
