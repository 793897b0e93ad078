"""Fixtures of the voice tests (a plugin of tests/conftest.py): one private
PulseAudio server for the run, and a test's environment pointing at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.voice_support import PulseServer


@pytest.fixture(scope="session")
def pulse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseServer]:
    """One private sound server for the run; every speaker process started by these
    tests plays into its null sink."""
    assert PulseServer.installed(), "pulseaudio, pactl and parec come with scripts/setup.sh"
    server = PulseServer(tmp_path_factory.mktemp("pulse")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def speakers(pulse: PulseServer, monkeypatch: pytest.MonkeyPatch) -> PulseServer:
    for key, value in pulse.env().items():
        monkeypatch.setenv(key, value)
    return pulse
