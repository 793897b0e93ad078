"""The complaints register page through real widgets: the list by view with overdue
complaints marked and counted (also on the live board, whose button opens the overdue
list), a complaint's detail and history, take / hand over / feedback / reply / close
as the rules allow, a refusal that keeps what was typed, and the contact masked on
every screen text unless a supervisor reveals it (audited; forgotten on logout)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from kiosk.app import AppContext
from kiosk.app.complaints import submit_complaint
from kiosk.privacy.masking import find_unmasked
from tests.conftest import MONDAY_10AM
from tests.staff_support import add, audit_rows
from tests.ui.admin_support import admin_window, session
from ui.admin.board import BoardPage
from ui.admin.complaints import ComplaintsPage
from ui.admin.complaints_detail import ComplaintDetail
from ui.admin.pages import reachable_pages
from ui.admin.window import AdminWindow

WAIT_MS = 60_000  # generous bound on a loaded machine; nothing here is a timing check
PHONE = "13812345678"


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    """Two complaints received last Monday (one overdue, one given feedback) and one
    today with a call-back phone; supervisors S9001 and S9002, clerk S0101."""
    app = AppContext(engine, "ADMIN")
    monkeypatch.setenv("KIOSK_NOW", (MONDAY_10AM - timedelta(days=7)).isoformat())
    for number, role in (("S9001", "supervisor"), ("S9002", "supervisor"),
                         ("S0101", "counter")):
        add(app, number, role, name=f"员工{number}")
    submit_complaint(app, "waiting", "等了一个小时")
    monkeypatch.setenv("KIOSK_NOW", MONDAY_10AM.isoformat())
    submit_complaint(app, "claims", f"理赔太慢，我的电话 {PHONE}", phone=PHONE, consent=True)
    return app


@pytest.fixture
def window(qtbot: QtBot, app: AppContext) -> Iterator[AdminWindow]:
    with admin_window(qtbot, app, feed=False) as window:
        window.start_session(session(number="S9001"))
        yield window


def open_register(qtbot: QtBot, window: AdminWindow, **params: object) -> ComplaintsPage:
    window.desk.open("complaints", **params)
    page = window.desk.page("complaints")
    assert isinstance(page, ComplaintsPage)
    qtbot.waitUntil(lambda: page.listing is not None and page._task is None, timeout=WAIT_MS)
    return page


def choose(qtbot: QtBot, page: ComplaintsPage, reference: str) -> ComplaintDetail:
    qtbot.mouseClick(page.rows[reference], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.detail.entry is not None
                    and page.detail.entry.complaint.reference == reference, timeout=WAIT_MS)
    return page.detail


def click(qtbot: QtBot, detail: ComplaintDetail, action: str) -> None:
    button = detail.buttons[action]
    assert button.isEnabled(), action
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail._task is None, timeout=WAIT_MS)


def screen_text(widget: QWidget) -> str:
    texts = [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
    texts += [b.text() for b in widget.findChildren(QAbstractButton) if b.isVisible()]
    return "\n".join(texts)


def test_the_list_marks_and_counts_the_overdue_and_the_detail_shows_the_history(
        qtbot: QtBot, window: AdminWindow) -> None:
    page = open_register(qtbot, window)
    assert page.listing is not None
    late, fresh = (e.complaint.reference for e in reversed(page.listing.entries))
    assert list(page.rows) == [fresh, late]
    assert page.rows[late].property("level") == "error"
    assert page.rows[fresh].property("level") == ""
    assert "逾期：进展反馈, 处理决定" not in page.rows[late].text()  # only what is late
    assert "逾期：进展反馈" in page.rows[late].text()
    assert page.counts.text() == "营业日 2026-11-23 · 未结案 2 件，逾期 1 件"

    detail = choose(qtbot, page, fresh)
    assert detail.overdue.isHidden()
    assert "138****5678" in detail.contact.text()
    assert detail.text.text() == "理赔太慢，我的电话 138****5678"
    assert [row[1] for row in detail.history.row_texts()] == ["已受理"]
    assert find_unmasked(screen_text(window)) == []

    qtbot.mouseClick(page.view_buttons["overdue"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.listing is not None and page.listing.view == "overdue",
                    timeout=WAIT_MS)
    assert list(page.rows) == [late]


def test_take_hand_over_reply_and_close_as_the_rules_allow(
        qtbot: QtBot, window: AdminWindow, app: AppContext) -> None:
    page = open_register(qtbot, window)
    ref = next(iter(page.rows))
    detail = choose(qtbot, page, ref)
    assert {a for a, b in detail.buttons.items() if b.isEnabled()} == {
        "take", "note", "major_dispute"}
    click(qtbot, detail, "take")
    assert detail.entry is not None
    assert detail.entry.complaint.owner == "S9001"
    assert {a for a, b in detail.buttons.items() if b.isEnabled()} == {
        "hand_over", "feedback", "note", "complex", "major_dispute", "reply"}
    assert window.banner.level == "success"

    # a refusal says why and keeps what was typed
    detail.note.setPlainText("理赔组跟进")
    detail.to_staff.setText("S0101")
    click(qtbot, detail, "hand_over")
    assert window.banner.level == "error"
    assert "不能处理投诉" in window.banner.label.text()
    assert detail.note.toPlainText() == "理赔组跟进"
    assert detail.entry.complaint.owner == "S9001"

    detail.to_staff.setText("S9002")
    click(qtbot, detail, "hand_over")
    assert (detail.entry.complaint.owner, detail.entry.first_owner) == ("S9002", "S9001")
    assert detail.note.toPlainText() == ""
    # no longer the owner: only a note, a major dispute mark; close waits for the reply
    assert {a for a, b in detail.buttons.items() if b.isEnabled()} == {"note",
                                                                        "major_dispute"}
    assert [row[1] for row in detail.history.row_texts()] == ["已受理", "接手", "移交"]
    qtbot.waitUntil(lambda: page._task is None and ref in page.rows, timeout=WAIT_MS)
    assert page.rows[ref].text().split("\n")[2] == "负责人 S9002"  # the list read again

    actions = [(who, action) for who, action, subject, _ in audit_rows(app)
               if subject == ref]
    assert actions == [("S9001", "complaint.take"), ("S9001", "complaint.hand_over")]


def test_a_supervisor_reveals_the_contact_audited_and_it_is_forgotten(
        qtbot: QtBot, window: AdminWindow, app: AppContext) -> None:
    page = open_register(qtbot, window)
    ref = next(iter(page.rows))
    detail = choose(qtbot, page, ref)
    assert detail.reveal_button.isVisible()
    qtbot.mouseClick(detail.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: PHONE in detail.contact.text(), timeout=WAIT_MS)
    assert detail.reveal_button.text() == "隐藏"
    assert [(who, subject) for who, action, subject, _ in audit_rows(app)
            if action == "personal_data.reveal"] == [("S9001", ref)]
    # another complaint, then back: masked again
    other = list(page.rows)[1]
    choose(qtbot, page, other)
    assert not detail.reveal_button.isVisible()  # no phone kept for that one
    choose(qtbot, page, ref)
    assert PHONE not in detail.contact.text()
    qtbot.mouseClick(detail.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: PHONE in detail.contact.text(), timeout=WAIT_MS)
    qtbot.mouseClick(window.desk.logout_button, Qt.MouseButton.LeftButton)
    assert detail.entry is None
    assert PHONE not in detail.contact.text()
    assert find_unmasked(screen_text(window)) == []


def test_the_board_counts_overdue_complaints_and_opens_the_overdue_list(
        qtbot: QtBot, window: AdminWindow) -> None:
    board = window.desk.page("board")
    assert isinstance(board, BoardPage)
    qtbot.waitUntil(lambda: board.board is not None, timeout=WAIT_MS)
    assert board.complaints.isVisible()
    assert board.complaints.label.text() == "投诉：未结案 2 件，逾期 1 件"
    qtbot.mouseClick(board.complaints.button, Qt.MouseButton.LeftButton)
    assert window.desk.current_key == "complaints"
    page = window.desk.page("complaints")
    assert isinstance(page, ComplaintsPage)
    qtbot.waitUntil(lambda: page.listing is not None and page.listing.view == "overdue",
                    timeout=WAIT_MS)
    assert len(page.rows) == 1


def test_only_roles_with_the_register_reach_the_page() -> None:
    assert "complaints" in reachable_pages(session("supervisor"))
    assert "complaints" not in reachable_pages(session("technician"))
    assert reachable_pages(session("counter")) == []


def test_staff_enter_a_complaint_for_a_customer_masked_and_audited(
        qtbot: QtBot, window: AdminWindow, app: AppContext) -> None:
    page = open_register(qtbot, window)
    assert not page.form.isVisible()
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    form = page.form
    assert form.isVisible()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # no category yet
    assert window.banner.level == "error"
    qtbot.mouseClick(form.category_buttons["service"], Qt.MouseButton.LeftButton)
    form.text.setPlainText("柜员没有解释清楚理赔流程")
    form.phone.setText("139-1234-5678")            # no consent: refused, text kept
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form._task is None, timeout=WAIT_MS)
    assert window.banner.level == "error"
    assert form.text.toPlainText() == "柜员没有解释清楚理赔流程"
    form.consent.setChecked(True)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.isVisible() and page.detail.entry is not None
                    and page.detail.entry.complaint.category == "service", timeout=WAIT_MS)
    entry = page.detail.entry
    assert entry is not None
    ref = entry.complaint.reference
    assert (entry.complaint.source, entry.complaint.entered_by) == ("staff", "S9001")
    assert entry.complaint.contact == "139****5678"
    assert ref in page.rows
    assert form.text.toPlainText() == ""
    assert find_unmasked(screen_text(window)) == []
    assert [(who, subject) for who, action, subject, _ in audit_rows(app)
            if action == "complaint.add"] == [("S9001", ref)]
