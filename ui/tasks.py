"""Slow work off the GUI thread, results back by signal on the GUI thread.

One way for every screen (Anki's ``taskman`` + Picard's ``run_task``)::

    run_task(lambda: app_layer.take_ticket(code), owner=self,
             on_result=self.show_ticket, on_error=self.show_failure)

``fn`` runs on a worker thread of one thread pool and must not touch a widget.
``on_result(value)`` or ``on_error(Failure)`` runs later on the GUI thread, and only
while ``owner`` (a widget) still exists. A :class:`~kiosk.errors.KioskError` becomes its
own message in the current language; any other exception is logged with its traceback
under a short error id, and the customer sees a friendly message quoting that id.

:func:`install_excepthook` is the safety net for exceptions raised in slots.
"""

from __future__ import annotations

import logging
import secrets
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import shiboken6
from PySide6.QtCore import SIGNAL, QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from kiosk.errors import KioskError
from ui import i18n

log = logging.getLogger(__name__)

MAX_WORKERS = 4


def new_error_id() -> str:
    """A short id a customer can read out to staff and staff can find in the log."""
    return "E-" + secrets.token_hex(3).upper()


@dataclass(frozen=True)
class Failure:
    """What went wrong in a task or a slot, ready to show.

    ``error_id`` is set for unexpected errors (logged with their traceback) and ``None``
    for a :class:`KioskError`, whose own message says what to do.
    """

    error: BaseException
    error_id: str | None = None

    @property
    def expected(self) -> bool:
        return isinstance(self.error, KioskError)

    def message(self) -> str:
        """The text for the screen, in the current language (call it when showing)."""
        if isinstance(self.error, KioskError):
            return self.error.message(i18n.error_language())
        text = QCoreApplication.translate(
            "Failure", "Sorry, something went wrong. Please ask a member of staff for help "
                       "and quote error %1.")
        return text.replace("%1", self.error_id or "?")


def failure_from(exc: BaseException, what: str = "task") -> Failure:
    """Classify ``exc``; an unexpected one is logged with its traceback and an id."""
    if isinstance(exc, KioskError):
        log.info("%s refused: %s", what, exc.bilingual())
        return Failure(exc)
    error_id = new_error_id()
    log.error("%s failed [%s]", what, error_id, exc_info=(type(exc), exc, exc.__traceback__))
    return Failure(exc, error_id)


class Task(QObject):
    """One piece of work. Lives on the GUI thread; the worker only emits its private
    signals, which Qt queues to this thread."""

    finished = Signal(object)
    """The function's return value (GUI thread)."""
    failed = Signal(object)
    """A :class:`Failure` (GUI thread)."""

    _result_ready = Signal(object)
    _error_raised = Signal(object)

    def __init__(self, name: str, owner: QObject | None) -> None:
        super().__init__()
        self.name = name
        self._owner = owner
        self._cancelled = False
        self._result_ready.connect(self._deliver_result)
        self._error_raised.connect(self._deliver_error)

    def cancel(self) -> None:
        """Drop the result when it comes (the work itself still runs to its end)."""
        self._cancelled = True

    def _wanted(self) -> bool:
        _pending.discard(self)
        owner_alive = self._owner is None or shiboken6.isValid(self._owner)
        return not self._cancelled and owner_alive

    @Slot(object)
    def _deliver_result(self, value: object) -> None:
        if self._wanted():
            self.finished.emit(value)

    @Slot(object)
    def _deliver_error(self, exc: BaseException) -> None:
        failure = failure_from(exc, f"task {self.name!r}")
        if self._wanted():
            if self.receivers(SIGNAL("failed(PyObject)")):
                self.failed.emit(failure)
            else:
                report_failure(failure)


class _Job(QRunnable):
    def __init__(self, task: Task, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task, self._fn = task, fn

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # noqa: BLE001 - every error goes back to the screen
            self._task._error_raised.emit(exc)
        else:
            self._task._result_ready.emit(value)


_pool: QThreadPool | None = None
_pending: set[Task] = set()


def pool() -> QThreadPool:
    """The pool every task runs in (not Qt's global one, so tests can check it is idle)."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(MAX_WORKERS)
    return _pool


def run_task(fn: Callable[..., Any], *args: Any, owner: QObject | None = None,
             on_result: Callable[[Any], None] | None = None,
             on_error: Callable[[Failure], None] | None = None,
             name: str | None = None, **kwargs: Any) -> Task:
    """Run ``fn(*args, **kwargs)`` on a worker thread.

    Tasks run concurrently (up to :data:`MAX_WORKERS`); chain in ``on_result`` when
    order matters. Without ``on_error`` a failure goes to the application's failure
    handler (the shell shows it with Back and Home).
    """
    task = Task(name or str(getattr(fn, "__qualname__", "task")), owner)
    if on_result is not None:
        task.finished.connect(on_result)
    if on_error is not None:
        task.failed.connect(on_error)
    _pending.add(task)
    pool().start(_Job(task, lambda: fn(*args, **kwargs)))
    return task


def pending_tasks() -> list[str]:
    """Names of tasks started and not yet delivered to the GUI thread."""
    return sorted(task.name for task in _pending)


def discard_pending() -> None:
    """Forget undelivered tasks (their results are dropped); for test teardown."""
    for task in list(_pending):
        task.cancel()
    _pending.clear()


def wait_idle(timeout_ms: int = 10_000) -> bool:
    """Wait until no worker runs (results may still wait in the event queue)."""
    return pool().waitForDone(timeout_ms)


# --------------------------------------------------------------------------- safety net

_handler: Callable[[Failure], None] | None = None


def set_failure_handler(handler: Callable[[Failure], None] | None) -> None:
    """Who shows a failure nobody else handled (the shell sets itself)."""
    global _handler
    _handler = handler


def report_failure(failure: Failure) -> None:
    if _handler is not None:
        try:
            _handler(failure)
            return
        except Exception:  # noqa: BLE001 - the handler itself must not crash the kiosk
            log.exception("failure handler failed")
    log.error("unhandled failure: %s", failure.message())


def _excepthook(kind: type[BaseException], exc: BaseException,
                tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    if threading.current_thread() is not threading.main_thread():
        failure_from(exc, "worker thread")  # logged; no widget may be touched from here
        return
    report_failure(failure_from(exc, "slot"))


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        args.exc_value.__traceback__ = args.exc_traceback
        failure_from(args.exc_value, f"thread {args.thread.name if args.thread else '?'}")


def install_excepthook() -> None:
    """Log any exception escaping a slot with an error id and show it friendly
    (PySide prints such exceptions through ``sys.excepthook`` and carries on)."""
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
