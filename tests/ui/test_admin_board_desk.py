"""The live board's remainder through real widgets: every station's devices with what
is wrong and since when, the branch's warnings, and the ticket desk: find today's
tickets, reprint, cancel with a reason, issue a care ticket for a customer (each
audited; a printer problem said in the banner and losing nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app.display import report_sound
from kiosk.app.tickets import show_ticket, take_ticket
from kiosk.branch.settings import apply_config
from kiosk.db import unit_of_work
from kiosk.devices.health import record_health
from kiosk.devices.keypad_ports import configure_port
from kiosk.models import Keypad
from tests.conftest import MONDAY_10AM, open_all_hours
from tests.staff_support import add, audit_rows
from tests.ui.admin_support import admin_window, session
from ui.admin.board import BoardPage
from ui.admin.board_tickets import TicketDesk
from ui.admin.window import AdminWindow

WAIT_MS = 60_000  # generous bound on a loaded machine; nothing here is a timing check


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    """Open all hours, no holiday calendar at all (so the board warns), a kiosk out of
    paper since 09:52, a keypad offline, the display without sound, two tickets."""
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    config = open_all_hours()
    with unit_of_work(engine, write=True) as session:
        apply_config(session, replace(config, settings={**config.settings,
                                                        "national_calendar": False}))
    record_health(engine, "K1", "printer", "problem", ("打印机缺纸", "printer is out of paper"),
                  detail="/dev/ttyS0", at=MONDAY_10AM - timedelta(minutes=8))
    report_sound(AppContext(engine, "DISPLAY"), "no audio output device")
    with unit_of_work(engine, write=True) as session:
        configure_port(session, "/dev/ttyUSB1", {1: 1}, station="C1")
    with unit_of_work(engine, write=True) as session:
        keypad = session.query(Keypad).filter_by(address=1).one()
        keypad.online, keypad.last_seen_at = False, MONDAY_10AM - timedelta(minutes=3)
    app = AppContext(engine, "DESK-PC")
    add(app, "S9001", "supervisor")
    take_ticket(app, "claims")
    take_ticket(app, "enquiry")
    return app


@pytest.fixture
def board(qtbot: QtBot, app: AppContext) -> Iterator[tuple[AdminWindow, BoardPage]]:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session(number="S9001"))
        page = window.desk.page("board")
        assert isinstance(page, BoardPage)
        qtbot.waitUntil(lambda: page.board is not None, timeout=WAIT_MS)
        yield window, page


def wait_desk(qtbot: QtBot, desk: TicketDesk) -> None:
    qtbot.waitUntil(lambda: desk._task is None, timeout=WAIT_MS)


def test_devices_of_every_station_with_what_is_wrong_and_since_when(
        board: tuple[AdminWindow, BoardPage]) -> None:
    _, page = board
    rows = {(r[0], r[1]): r for r in page.devices.row_texts()}
    assert rows[("K1", "小票打印机")][2:] == ["故障", "打印机缺纸", "09:52"]
    assert rows[("C1", "评价器 1（1 号窗口）")][2:] == ["故障", "评价器离线", "09:57"]
    assert rows[("DISPLAY", "叫号音箱")][2:] == ["故障", "叫号语音无法播放", "10:00"]
    assert set(page.devices.row_levels()) == {"error"}
    assert page.warnings.isVisible()
    assert "2026" in page.warnings.labels[0].text()


def test_find_reprint_cancel_and_issue_a_care_ticket(
        qtbot: QtBot, board: tuple[AdminWindow, BoardPage], app: AppContext) -> None:
    window, page = board
    desk = page.tickets
    assert desk.reprint_button.isVisible()
    assert not desk.issue_button.isEnabled()  # no service chosen yet
    qtbot.mouseClick(desk.search_button, Qt.MouseButton.LeftButton)
    wait_desk(qtbot, desk)
    assert list(desk.result_buttons) == ["A001", "D001"]
    assert desk.result_buttons["D001"].text().startswith("D001 · 理赔 · 等候中")
    desk.search_field.setText("d")
    qtbot.mouseClick(desk.search_button, Qt.MouseButton.LeftButton)
    wait_desk(qtbot, desk)
    assert list(desk.result_buttons) == ["D001"]
    assert not desk.cancel_button.isEnabled()
    qtbot.mouseClick(desk.result_buttons["D001"], Qt.MouseButton.LeftButton)
    assert desk.cancel_button.isEnabled()

    # this PC has no receipt printer: the reprint is recorded and the banner says so
    qtbot.mouseClick(desk.reprint_button, Qt.MouseButton.LeftButton)
    wait_desk(qtbot, desk)
    assert window.banner.level == "warning"
    assert "D001" in window.banner.label.text()

    # cancel without a reason: refused, nothing changes
    qtbot.mouseClick(desk.cancel_button, Qt.MouseButton.LeftButton)
    wait_desk(qtbot, desk)
    assert window.banner.level == "error"
    assert show_ticket(app, "D001").status == "waiting"
    desk.reason.setText("客户有事先走")
    qtbot.mouseClick(desk.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk._task is None and "已取消" in desk.result_buttons[
        "D001"].text(), timeout=WAIT_MS)
    assert show_ticket(app, "D001").status == "cancelled"
    assert desk.reason.text() == ""

    qtbot.mouseClick(desk.service_buttons["claims"], Qt.MouseButton.LeftButton)
    assert desk.priority == "care"
    qtbot.mouseClick(desk.issue_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk._task is None and "D002" in desk.result_buttons,
                    timeout=WAIT_MS)
    assert "爱心" in desk.result_buttons["D002"].text()
    assert show_ticket(app, "D002").priority == "care"
    qtbot.waitUntil(lambda: page._task is None, timeout=WAIT_MS)
    assert [(who, action, subject) for who, action, subject, _ in audit_rows(app)
            if action.startswith("ticket.")] == [
        ("S9001", "ticket.reprint", "D001"), ("S9001", "ticket.cancel", "D001"),
        ("S9001", "ticket.issue", "D002")]


def test_logout_forgets_the_search_and_what_was_typed(
        qtbot: QtBot, board: tuple[AdminWindow, BoardPage]) -> None:
    window, page = board
    desk = page.tickets
    desk.search_field.setText("A")
    qtbot.mouseClick(desk.search_button, Qt.MouseButton.LeftButton)
    wait_desk(qtbot, desk)
    desk.reason.setText("x")
    qtbot.mouseClick(window.desk.logout_button, Qt.MouseButton.LeftButton)
    assert (desk.search_field.text(), desk.reason.text(), desk.result_buttons) == ("", "", {})
