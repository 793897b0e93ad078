"""The test configuration screen tests rely on: a Qt warning fails the test that
caused it, unless it is on the documented ignore list."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_a_qt_warning_fails_the_test_and_the_ignore_list_is_honoured(
        pytester: pytest.Pytester) -> None:
    test_file = pytester.makepyfile(test_warn="""
        from PySide6.QtCore import qWarning

        def test_warns(qtbot):
            qWarning("QLayout: Attempting to add QLayout to a widget which already has one")

        def test_ignored_warning(qtbot):
            qWarning("This plugin does not support propagateSizeHints()")

        def test_quiet(qtbot):
            pass
    """)
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider",
                                           "-c", str(ROOT / "pyproject.toml"),
                                           "--rootdir", str(pytester.path), str(test_file))
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.re_match_lines([r".*FAILED test_warn.py::test_warns.*"])
