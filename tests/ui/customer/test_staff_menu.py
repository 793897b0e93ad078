"""The staff menu at the customer kiosk (five taps in the corner, a technician's PIN):
the last ticket this kiosk printed today comes out again as a new job, audited with
its number; the printer's status is said in words; with no ticket or no printer the
menu says so."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from kiosk.app import AppContext
from kiosk.app import staff as staff_app
from kiosk.app.printer import print_jobs
from kiosk.app.tickets import print_ticket, take_ticket
from kiosk.models import AuditEntry
from printers.simulators.printer import FakePrinter
from tests.ui.counter_support import click, type_pin
from ui import i18n
from ui.customer.window import CustomerWindow
from ui.staff_exit import StaffExit

WAIT_MS = 30_000


def technician(app: AppContext) -> None:
    staff_app.add_staff(app, staff_app.console(app), "T01", "张技术", "technician", "4702")


def open_menu(qtbot: QtBot, window: CustomerWindow) -> StaffExit:
    exit_ = window.staff_exit
    for _ in range(5):  # the hidden gesture, on the real window
        qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert exit_.isVisible()
    exit_.number.setText("T01")
    type_pin(qtbot, exit_.pinpad, "4702")
    qtbot.waitUntil(lambda: exit_.session is not None, timeout=WAIT_MS)
    return exit_


def menu_says(qtbot: QtBot, exit_: StaffExit, action: str, before: str) -> str:
    click(qtbot, exit_.menu_buttons[action])
    qtbot.waitUntil(lambda: exit_.status.text() not in ("", before, "正在处理…", "Working…"),
                    timeout=WAIT_MS)
    return exit_.status.text()


def test_a_technician_reprints_the_last_ticket_and_reads_the_printer(
        qtbot: QtBot, kiosk_app: AppContext, paper: FakePrinter,
        window: CustomerWindow) -> None:
    technician(kiosk_app)
    take_ticket(kiosk_app, "enquiry", print_ticket=False)
    number = take_ticket(kiosk_app, "claims", print_ticket=False).number
    for taken in ("A001", number):
        assert print_ticket(kiosk_app, taken).printed
    assert paper.wait_for(lambda p: len(p.jobs) == 2)
    exit_ = open_menu(qtbot, window)
    said = menu_says(qtbot, exit_, "reprint", exit_.status.text())
    assert said == f"已重新打印号票 {number}。"
    assert paper.wait_for(lambda p: len(p.jobs) == 3)
    assert any(number in line for line in paper.jobs[2].lines)
    jobs = print_jobs(kiosk_app).jobs
    assert (jobs[0].reference, jobs[0].reprint_of) == (number, jobs[1].id)
    assert menu_says(qtbot, exit_, "printer", said) == "打印机正常。"
    paper.set_state("paper_out")
    assert menu_says(qtbot, exit_, "printer", "打印机正常。") == "打印机缺纸。"
    with kiosk_app.read() as session:
        entries = [(e.staff, e.action, e.subject) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("kiosk.%"))
            .order_by(AuditEntry.id))]
    assert entries == [("T01", "kiosk.staff_menu", ""), ("T01", "kiosk.reprint", number)]
    exit_.close_menu()


def test_nothing_to_reprint_and_no_printer_are_said_in_english_too(
        qtbot: QtBot, kiosk_app: AppContext, window: CustomerWindow) -> None:
    technician(kiosk_app)
    i18n.set_language("en")
    try:
        exit_ = open_menu(qtbot, window)
        said = menu_says(qtbot, exit_, "reprint", exit_.status.text())
        assert said == "This kiosk has printed no ticket today."
        assert menu_says(qtbot, exit_, "printer", said) == \
            "No receipt printer is set up at this kiosk."
        exit_.close_menu()
    finally:
        i18n.set_language("zh_CN")
