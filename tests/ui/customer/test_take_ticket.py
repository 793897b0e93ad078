"""Taking a ticket through the real widgets: the service tiles (waiting, wait, reasons
a service cannot be taken), priority care, the result page, and what the printer did:
printed, out of paper, unplugged, none set. A ticket is never lost to the printer."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.admin import apply_settings
from kiosk.app.printer import print_jobs
from kiosk.app.tickets import show_ticket, take_ticket
from kiosk.demo import demo_config
from printers.simulators.printer import FakePrinter
from tests.ui.customer.conftest import find, settle, touch
from ui import i18n
from ui.customer.states import State
from ui.customer.take import ServicesScreen, TicketScreen
from ui.customer.window import CustomerWindow


def open_services(qtbot: QtBot, window: CustomerWindow) -> ServicesScreen:
    touch(qtbot, find(window, "entry-services"))
    settle(qtbot)
    screen = window.current_screen()
    assert isinstance(screen, ServicesScreen)
    return screen


def take(qtbot: QtBot, window: CustomerWindow, code: str) -> TicketScreen:
    """From the welcome (or the services page) take a ticket of ``code``."""
    services = window.current_screen()
    if not isinstance(services, ServicesScreen):
        services = open_services(qtbot, window)
    touch(qtbot, services.tiles[code])
    settle(qtbot)
    screen = window.current_screen()
    assert isinstance(screen, TicketScreen), f"still on {window.state}"
    return screen


def test_each_service_shows_its_queue_and_a_touch_takes_a_printed_ticket(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext,
        paper: FakePrinter) -> None:
    take_ticket(kiosk_app, "claims")
    take_ticket(kiosk_app, "claims")
    services = open_services(qtbot, window)
    claims = services.tiles["claims"]
    assert claims.title_label.text() == "D  理赔"
    assert "等候 2 人" in claims.status_label.text()
    assert "分钟" in claims.status_label.text()
    assert claims.accessibleName().startswith("D  理赔, 等候 2 人")

    ticket = take(qtbot, window, "claims")
    assert ticket.number.text() == "D003"
    assert ticket.ahead.text() == "前面还有 2 人"
    assert ticket.wait.text().startswith("预计等候：约 ")
    assert ticket.qr._modules  # the QR of the ticket reference is drawn
    assert ticket.ticket is not None
    assert ticket.ticket.reference.endswith(":D003")
    assert paper.wait_for(lambda p: len(p.jobs) == 1)
    assert any("D003" in line for line in paper.jobs[0].texts)
    assert ticket.print_title.text() == "请从出票口取走您的号票。"
    assert ticket.holding is False
    touch(qtbot, ticket.done_button)
    assert window.state is State.WELCOME


def test_priority_care_is_offered_and_reaches_the_ticket(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    services = open_services(qtbot, window)
    assert services.care.text() == "爱心通道"
    assert "老人、残障人士和孕妇" in services.care_hint.text()
    touch(qtbot, services.care)
    assert services.care.isChecked()
    touch(qtbot, services.tiles["enquiry"])
    settle(qtbot)
    ticket = window.current_screen()
    assert isinstance(ticket, TicketScreen)
    assert ticket.priority.isVisible()
    assert ticket.priority.text() == "爱心通道"
    assert show_ticket(kiosk_app, "A001").priority == "care"
    assert not services.care.isChecked()  # the next customer starts without it


def test_services_that_cannot_be_taken_are_disabled_with_the_reason(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    config = demo_config()
    apply_settings(kiosk_app, replace(config, services=tuple(
        replace(s, enabled=False) if s.code == "payments"
        else replace(s, hours=(time(0, 0), time(0, 1))) if s.code == "new_business"
        else replace(s, daily_cap=1) if s.code == "enquiry" else s
        for s in config.services)))
    take_ticket(kiosk_app, "enquiry")
    services = open_services(qtbot, window)
    reasons = {code: (tile.isEnabled(), tile.status_label.text())
               for code, tile in services.tiles.items()}
    assert reasons["payments"][0] is False
    assert "暂停" in reasons["payments"][1]
    assert reasons["new_business"][0] is False
    assert "00:00–00:01" in reasons["new_business"][1]
    assert reasons["enquiry"][0] is False
    assert "今日号码已发完" in reasons["enquiry"][1]
    assert reasons["claims"][0] is True
    i18n.set_language("en")
    assert "00:00–00:01" in services.tiles["new_business"].status_label.text()
    assert services.tiles["claims"].title_label.text() == "D  Claims"


def test_out_of_paper_the_ticket_is_issued_and_the_number_stays_until_touched(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext,
        paper: FakePrinter) -> None:
    paper.set_state("paper_out")
    ticket = take(qtbot, window, "payments")
    assert ticket.number.text() == "E001"
    assert show_ticket(kiosk_app, "E001").status == "waiting"  # issued all the same
    assert ticket.print_title.text() == "请记住您的号码：E001"
    assert "缺纸" in ticket.print_text.text()
    assert ticket.print_panel.property("level") == "warning"
    assert [j.state for j in print_jobs(kiosk_app).jobs] == ["queued"]  # the spool keeps it
    # The idle reset holds the number up, however long nobody touches it...
    assert ticket.holding
    window.idle.idle_elapsed()
    assert not window.idle.counting_down
    assert window.state is State.TICKET
    # ...until someone touches the screen; then the normal reset applies.
    qtbot.mouseClick(ticket.number, Qt.MouseButton.LeftButton)
    assert not ticket.holding
    window.idle.idle_elapsed()
    assert window.idle.counting_down
    with qtbot.waitSignal(window.idle.timed_out, timeout=10_000):
        for _ in range(10):
            window.idle.tick()
    assert window.state is State.WELCOME
    # Paper loaded: the job prints at the next spool run (the next ticket).
    paper.set_state("ok")
    take(qtbot, window, "payments")
    assert paper.wait_for(lambda p: len(p.jobs) == 2)
    assert [j.state for j in print_jobs(kiosk_app).jobs] == ["done", "done"]


def test_unplugged_printer_the_ticket_is_issued_and_the_customer_told(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext,
        paper: FakePrinter) -> None:
    paper.unplug()
    ticket = take(qtbot, window, "claims")
    assert show_ticket(kiosk_app, "D001").status == "waiting"
    assert ticket.print_title.text() == "请记住您的号码：D001"
    assert ticket.holding
    i18n.set_language("en")
    assert ticket.print_title.text() == "Please note your number: D001"
    assert "could not be printed" in ticket.print_text.text()


def test_no_printer_set_the_ticket_is_issued_and_the_number_kept_up(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    ticket = take(qtbot, window, "enquiry")
    assert ticket.number.text() == "A001"
    assert ticket.print_title.text() == "请记住您的号码：A001"
    assert ticket.holding


def test_back_from_the_ticket_never_takes_it_again(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext,
        paper: FakePrinter) -> None:
    ticket = take(qtbot, window, "enquiry")
    assert ticket.header is not None
    touch(qtbot, ticket.header.back_button)
    settle(qtbot)
    assert window.state is State.SERVICES
    touch(qtbot, find(window, "home"))
    assert window.state is State.WELCOME
    assert window.history == ()
    assert show_ticket(kiosk_app, "A001").number == "A001"
    assert len(print_jobs(kiosk_app).jobs) == 1


def test_a_refused_take_is_a_friendly_message_with_a_way_back(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    services = open_services(qtbot, window)
    # Closed between the list being shown and the touch (another PC changed it).
    config = demo_config()
    apply_settings(kiosk_app, replace(config, services=tuple(
        replace(s, enabled=False) if s.code == "claims" else s for s in config.services)))
    touch(qtbot, services.tiles["claims"])
    settle(qtbot)
    panel = window.message_panel()
    assert panel is not None
    assert "暂停" in panel.text_label.text()
    assert "Traceback" not in panel.text_label.text()
    touch(qtbot, panel.back_button)
    assert window.message_panel() is None
    assert window.state is State.SERVICES
    assert not services.tiles["claims"].isEnabled()  # the list was read again
