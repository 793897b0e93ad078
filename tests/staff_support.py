"""Helpers for the staff tests: an application context at a fixed instant, accounts
added the way the CLI adds them, and the audit log read back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.models import AuditEntry
from tests.conftest import MONDAY_10AM

PINS = {"counter": "2580", "supervisor": "3691", "technician": "4702"}


def at(monkeypatch: pytest.MonkeyPatch, minutes: float) -> None:
    """Place the whole app ``minutes`` after Monday 10:00."""
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM + timedelta(minutes=minutes)).isoformat())


def add(app: AppContext, number: str, role: str, name: str = "王小明") -> None:
    staff_app.add_staff(app, staff_app.console(app), number, name, role, PINS[role])


def audit_rows(app: AppContext) -> list[tuple[str, str, str, str]]:
    """(staff, action, subject, station) of every entry, oldest first."""
    with app.read() as session:
        return [(r.staff, r.action, r.subject, r.station) for r in session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))]
