"""Tickets from the admin board (kiosk.app.ticket_desk) on both backends: today's
tickets by the start of their number, reprint, cancel with a reason and a care or VIP
ticket issued for a customer; each action audited under the staff member, a refusal
changing nothing, a printer problem losing nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.app import ticket_desk as desk
from kiosk.app.tickets import show_ticket, take_ticket
from kiosk.errors import RuleRefused, UsageError
from kiosk.staff.permissions import NotPermitted
from tests.staff_support import PINS, add, at, audit_rows


@pytest.fixture
def app(open_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    at(monkeypatch, 0)
    app = AppContext(open_engine, "DESK")
    add(app, "S9001", "supervisor")
    add(app, "T01", "technician")
    return app


def actions(app: AppContext) -> list[tuple[str, str, str]]:
    return [(who, action, subject) for who, action, subject, _ in audit_rows(app)
            if action.startswith("ticket.")]


def test_search_finds_todays_tickets_by_the_start_of_their_number(
        app: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    supervisor = staff_app.login(app, "S9001", PINS["supervisor"])
    for code in ("claims", "claims", "enquiry", "claims"):
        take_ticket(app, code)
    found = desk.search_tickets(app, supervisor, "d0")
    assert [t.number for t in found.tickets] == ["D003", "D002", "D001"]
    assert found.query == "D0"
    assert [t.number for t in desk.search_tickets(app, supervisor, "").tickets] == [
        "D003", "A001", "D002", "D001"]
    assert [t.number for t in desk.search_tickets(app, supervisor, "", limit=2).tickets] == [
        "D003", "A001"]
    assert desk.search_tickets(app, supervisor, "Z9").tickets == ()
    for bad in ("D%", "D_", "'; --", "D0000000001"):
        with pytest.raises(UsageError) as refused:
            desk.search_tickets(app, supervisor, bad)
        assert refused.value.code == "bad_number"
    at(monkeypatch, 24 * 60)  # tomorrow: yesterday's tickets are not today's
    assert desk.search_tickets(app, supervisor, "D").tickets == ()


def test_issue_a_care_or_vip_ticket_for_a_customer_audited(app: AppContext) -> None:
    supervisor = staff_app.login(app, "S9001", PINS["supervisor"])
    take_ticket(app, "claims")
    care = desk.issue_ticket(app, supervisor, "claims", "care", print_it=False)
    assert (care.number, care.priority, care.print) == ("D002", "care", None)
    assert care.ahead == 0  # care goes before the normal ticket
    vip = desk.issue_ticket(app, supervisor, "vip", "vip", print_it=False)
    assert vip.priority == "vip"
    with pytest.raises(UsageError):
        desk.issue_ticket(app, supervisor, "claims", "urgent")
    with pytest.raises(UsageError):
        desk.issue_ticket(app, supervisor, "nothing", "care")
    assert actions(app) == [("S9001", "ticket.issue", "D002"),
                            ("S9001", "ticket.issue", vip.number)]


def test_a_print_problem_loses_nothing(app: AppContext) -> None:
    supervisor = staff_app.login(app, "S9001", PINS["supervisor"])
    issued = desk.issue_ticket(app, supervisor, "claims", "care")  # no printer here
    assert issued.print is not None
    assert (issued.print.status, issued.print.printed) == ("no_printer", False)
    assert show_ticket(app, issued.number).status == "waiting"
    again = desk.reprint_ticket(app, supervisor, issued.number.lower())
    assert again.status == "no_printer"
    assert actions(app) == [("S9001", "ticket.issue", issued.number),
                            ("S9001", "ticket.reprint", issued.number)]


def test_cancel_needs_a_reason_masks_numbers_and_is_audited(app: AppContext) -> None:
    supervisor = staff_app.login(app, "S9001", PINS["supervisor"])
    number = take_ticket(app, "claims").number
    with pytest.raises(UsageError) as empty:
        desk.cancel_ticket_for(app, supervisor, number, "  ")
    assert empty.value.code == "empty"
    assert show_ticket(app, number).status == "waiting"
    cancelled = desk.cancel_ticket_for(app, supervisor, number, "客户离开，电话13812345678")
    assert cancelled.status == "cancelled"
    with pytest.raises(RuleRefused) as twice:
        desk.cancel_ticket_for(app, supervisor, number, "again")
    assert twice.value.code == "not_cancellable"
    rows = [(who, action, subject, detail) for who, action, subject, detail in
            _details(app) if action == "ticket.cancel"]
    assert rows == [("S9001", "ticket.cancel", number, "客户离开，电话138****5678")]


def test_only_permitted_roles_and_refusals_are_audited(app: AppContext) -> None:
    technician = staff_app.login(app, "T01", PINS["technician"])
    number = take_ticket(app, "claims").number
    for call in (lambda: desk.search_tickets(app, technician, ""),
                 lambda: desk.cancel_ticket_for(app, technician, number, "x"),
                 lambda: desk.issue_ticket(app, technician, "claims", "vip"),
                 lambda: desk.reprint_ticket(app, technician, number)):
        with pytest.raises(NotPermitted):
            call()
    assert show_ticket(app, number).status == "waiting"
    assert [a for _, a, _, _ in audit_rows(app) if a == "denied"] == ["denied"] * 4
    assert actions(app) == []


def _details(app: AppContext) -> list[tuple[str, str, str, str]]:
    from sqlalchemy import select

    from kiosk.models import AuditEntry

    with app.read() as session:
        return [(r.staff, r.action, r.subject, r.detail)
                for r in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
