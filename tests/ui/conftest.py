"""Fixtures for screen tests: real widgets on the offscreen platform (pytest-qt), the
translations built fresh once per run, the theme and language reset for every test,
a check that no test leaves a worker running, and a virtual X display for the tests
the offscreen platform cannot do (full screen, the virtual keyboard)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from ui import i18n, tasks, theme
from ui.display import VirtualDisplay


@pytest.fixture(scope="session")
def translations() -> i18n.BuildResult:
    """The .qm built from the current sources and catalogue (fails on a missing string)."""
    return i18n.build()


@pytest.fixture(autouse=True)
def kiosk_style(qapp: QApplication, translations: i18n.BuildResult) -> Iterator[None]:
    """Every test starts in zh_CN, normal text, with the kiosk style sheet."""
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    theme.apply_theme(large=False, app=qapp)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    theme.apply_theme(large=False, app=qapp)


@pytest.fixture(autouse=True)
def no_leftover_workers() -> Iterator[None]:
    """Fail a test that leaves a task running or undelivered, or a thread alive
    (napari's ``_dont_leave_threads``): its work would land in the next test."""
    threads_before = set(threading.enumerate())
    yield
    left = tasks.pending_tasks()
    idle = tasks.wait_idle(30_000)
    tasks.discard_pending()
    # The test's widgets and tasks that sit in reference cycles are freed here, with no
    # worker running, rather than by the automatic collector in the middle of a later
    # test's event loop beside that test's workers: a four-worker run once died of
    # SIGSEGV in exactly that spot (docs/BENCHMARKS.md, "Suite time"; cause unproven).
    gc.collect()
    new_threads = [t.name for t in set(threading.enumerate()) - threads_before
                   if t.is_alive() and not isinstance(t, threading._DummyThread)]
    if left or not idle or new_threads:
        pytest.fail(f"test left work running: tasks {left}, pool idle {idle}, "
                    f"threads {new_threads}", pytrace=False)


@pytest.fixture
def xvfb() -> Iterator[VirtualDisplay]:
    """A 1920x1080 virtual X display, stopped after the test."""
    with VirtualDisplay(1920, 1080) as display:
        yield display
