"""Workers: slow work runs off the GUI thread, results and errors come back on it, a
KioskError becomes its message, anything else an error id and a friendly message."""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.errors import RuleRefused
from ui import i18n, tasks
from ui.tasks import Failure, run_task


def test_work_runs_on_a_worker_and_the_result_arrives_on_the_gui_thread(
        qtbot: QtBot) -> None:
    seen: dict[str, object] = {}

    def slow_sum(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread()
        return a + b

    def on_result(value: int) -> None:
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is QApplication.instance().thread()

    task = run_task(slow_sum, 2, b=3, on_result=on_result)
    with qtbot.wait_signal(task.finished, timeout=5_000):
        pass
    assert seen["value"] == 5
    assert seen["gui"] is True
    assert seen["worker"] is not threading.main_thread()


def test_a_kiosk_error_becomes_its_message_in_the_current_language(qtbot: QtBot) -> None:
    def refuse() -> None:
        raise RuleRefused("今日号码已取完", "no more tickets today")

    failures: list[Failure] = []
    task = run_task(refuse, on_error=failures.append)
    with qtbot.wait_signal(task.failed, timeout=5_000):
        pass
    (failure,) = failures
    assert failure.expected
    assert failure.error_id is None
    assert failure.message() == "今日号码已取完"
    i18n.set_language("en")
    assert failure.message() == "no more tickets today"


def test_an_unexpected_error_is_logged_with_an_id_the_customer_can_quote(
        qtbot: QtBot, caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise ZeroDivisionError("division by zero in the estimate")

    failures: list[Failure] = []
    with caplog.at_level(logging.ERROR, logger="ui.tasks"):
        task = run_task(broken, on_error=failures.append, name="estimate")
        with qtbot.wait_signal(task.failed, timeout=5_000):
            pass
    (failure,) = failures
    assert not failure.expected
    assert failure.error_id
    assert failure.error_id.startswith("E-")
    assert len(failure.error_id) == 8
    text = failure.message()
    assert failure.error_id in text
    assert "工作人员" in text
    assert "Traceback" not in text
    assert "ZeroDivisionError" not in text
    (record,) = [r for r in caplog.records if failure.error_id in r.getMessage()]
    assert "estimate" in record.getMessage()
    assert record.exc_info
    assert record.exc_info[0] is ZeroDivisionError
    i18n.set_language("en")
    assert "quote error " + failure.error_id in failure.message()


def test_no_result_is_delivered_to_a_widget_that_is_gone(qtbot: QtBot) -> None:
    owner = QWidget()
    gate = threading.Event()
    delivered: list[object] = []
    task = run_task(lambda: gate.wait(5) and "late", owner=owner, on_result=delivered.append)
    owner.deleteLater()
    qtbot.wait_until(lambda: not _alive(owner))
    results: list[str] = []
    task.finished.connect(lambda value: results.append("finished"))
    gate.set()
    assert tasks.wait_idle(5_000)
    qtbot.wait_until(lambda: not tasks.pending_tasks())
    assert delivered == []
    assert results == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_a_failure_nobody_handles_goes_to_the_failure_handler(qtbot: QtBot) -> None:
    handled: list[Failure] = []
    tasks.set_failure_handler(handled.append)
    try:
        run_task(lambda: 1 / 0)
        qtbot.wait_until(lambda: len(handled) == 1)
    finally:
        tasks.set_failure_handler(None)
    assert handled[0].error_id


class _Emitter(QObject):
    poke = Signal()


@pytest.mark.qt_no_exception_capture
def test_the_excepthook_turns_a_slot_exception_into_a_friendly_failure(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    handled: list[Failure] = []
    tasks.set_failure_handler(handled.append)
    tasks.install_excepthook()
    emitter = _Emitter()

    def bad_slot() -> None:
        raise KeyError("service 'Z' missing")

    emitter.poke.connect(bad_slot)
    try:
        with caplog.at_level(logging.ERROR, logger="ui.tasks"):
            QTimer.singleShot(0, emitter.poke.emit)
            qtbot.wait_until(lambda: len(handled) == 1)
    finally:
        tasks.set_failure_handler(None)
    assert handled[0].error_id
    assert handled[0].error_id in handled[0].message()
    assert any(handled[0].error_id in r.getMessage() and r.exc_info for r in caplog.records)


def test_a_test_that_leaves_a_worker_running_fails(pytester: pytest.Pytester) -> None:
    conftest = Path(__file__).with_name("conftest.py").read_text(encoding="utf-8")
    pytester.makeconftest(conftest)  # QT_QPA_PLATFORM=offscreen is inherited
    pytester.makepyfile(test_leak="""
        import threading
        from ui.tasks import run_task

        GATE = threading.Event()

        def test_leaves_one_running():
            run_task(lambda: GATE.wait(0.5), name="never-awaited")

        def test_waits_properly(qtbot):
            task = run_task(lambda: 42)
            with qtbot.wait_signal(task.finished, timeout=5000):
                pass
    """)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider",
                                           "-o", "qt_api=pyside6")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.re_match_lines([r".*test left work running: tasks \['never-awaited'\]"])


def test_wait_idle_reports_a_worker_still_busy() -> None:
    gate = threading.Event()
    run_task(gate.wait, 10)
    try:
        started = time.monotonic()
        assert tasks.wait_idle(50) is False
        assert time.monotonic() - started < 5
    finally:
        gate.set()
        assert tasks.wait_idle(5_000)
        tasks.discard_pending()
