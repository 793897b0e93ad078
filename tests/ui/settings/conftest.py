"""Fixtures for the admin panel's settings pages: the branch database as the admin
station sees it, with the supervisor the pages are shown to."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from tests.ui.settings_support import with_supervisor


@pytest.fixture
def app(engine: Engine) -> AppContext:
    """Station ADMIN on a fresh SQLite branch, with supervisor S0001 (王主管), the one
    ``tests.ui.admin_support.session()`` logs in as."""
    return with_supervisor(AppContext(engine, "ADMIN"))
