"""Feedback and complaints through the real widgets: the category, the text, the phone
with its consent line, the acknowledgement with its reference and promised date (printed),
what is refused (and that the typing is kept), and no phone number in clear on any
screen."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.complaints import list_complaints
from kiosk.privacy.masking import find_unmasked
from printers.simulators.printer import FakePrinter
from tests.ui.customer.conftest import find, settle, touch
from ui.customer.feedback import FeedbackDoneScreen, FeedbackScreen
from ui.customer.states import State
from ui.customer.window import CustomerWindow

TEXT = "等候区太冷了，请调高空调温度。回电 13912345678 也可以。"


def open_form(qtbot: QtBot, window: CustomerWindow) -> FeedbackScreen:
    touch(qtbot, find(window, "entry-feedback"))
    screen = window.current_screen()
    assert isinstance(screen, FeedbackScreen)
    return screen


def every_text(window: QWidget) -> list[str]:
    """Everything a customer or a screen reader can see in the window."""
    texts = []
    for widget in window.findChildren(QWidget):
        texts.append(widget.accessibleName())
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    return [t for t in texts if t]


def test_feedback_with_a_call_back_is_stored_acknowledged_and_printed(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext,
        paper: FakePrinter) -> None:
    form = open_form(qtbot, window)
    assert not form.submit_button.isEnabled()
    touch(qtbot, form.category_buttons["facilities"])
    form.text.setFocus()
    form.text.insertPlainText(TEXT)  # what the on-screen keyboard commits
    assert form.count.text() == f"{len(TEXT)} / 1000"
    assert form.submit_button.isEnabled()
    qtbot.keyClicks(form.phone, "138 1234 5678")
    assert not form.submit_button.isEnabled()  # a phone needs the consent line ticked
    assert form.consent.text() == "我同意工作人员通过此号码回电"
    assert "180 天后删除" in form.consent_note.text()
    touch(qtbot, form.consent)
    assert form.submit_button.isEnabled()
    touch(qtbot, form.submit_button)
    settle(qtbot)

    done = window.current_screen()
    assert isinstance(done, FeedbackDoneScreen)
    assert done.complaint is not None
    reference = done.complaint.reference
    assert done.reference.text() == f"受理编号 {reference}"
    assert f"我们将在 {done.complaint.feedback_due} 前反馈处理进展。" in done.details.text()
    assert "我们将致电 138****5678。" in done.details.text()
    assert paper.wait_for(lambda p: len(p.jobs) == 1)
    printed = "\n".join(paper.jobs[0].texts)
    assert reference in printed
    assert done.complaint.feedback_due in printed
    assert "13812345678" not in printed
    assert done.print_status.text() == "请从出票口取走受理回执。"

    stored = list_complaints(kiosk_app).complaints
    assert [(c.reference, c.category, c.contact, c.consent, c.source, c.station)
            for c in stored] == [(reference, "facilities", "138****5678", True, "kiosk", "K1")]
    assert stored[0].text == TEXT.replace("13912345678", "139****5678")
    # the form is empty for the next customer
    assert form.text.toPlainText() == ""
    assert form.phone.text() == ""
    assert not form.consent.isChecked()
    assert form.chosen() is None
    touch(qtbot, done.done_button)
    assert window.state is State.WELCOME


def test_no_screen_shows_a_phone_number_in_clear(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    form = open_form(qtbot, window)
    touch(qtbot, form.category_buttons["service"])
    form.text.insertPlainText(TEXT)
    qtbot.keyClicks(form.phone, "13812345678")
    touch(qtbot, form.consent)
    touch(qtbot, form.submit_button)
    settle(qtbot)
    assert window.state is State.FEEDBACK_DONE
    # every screen built so far, the done page showing, and the way back
    seen = every_text(window)
    assert any("138****5678" in text for text in seen)
    assert [t for t in seen if find_unmasked(t)] == []
    touch(qtbot, find(window, "back"))
    assert window.state is State.FEEDBACK
    assert [t for t in every_text(window) if find_unmasked(t)] == []


def test_a_wrong_phone_is_refused_on_the_form_and_nothing_typed_is_lost(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    form = open_form(qtbot, window)
    touch(qtbot, form.category_buttons["praise"])
    form.text.insertPlainText("4 号窗口的王小姐很耐心")
    qtbot.keyClicks(form.phone, "1381234")
    touch(qtbot, form.consent)
    touch(qtbot, form.submit_button)
    settle(qtbot)
    assert window.state is State.FEEDBACK
    assert form.problem.isVisible()
    assert form.problem.text() == "电话号码格式不正确：请输入 11 位手机号或带区号的固定电话"
    assert window.message_panel() is None
    assert form.text.toPlainText() == "4 号窗口的王小姐很耐心"
    assert form.phone.text() == "1381234"
    assert list_complaints(kiosk_app).complaints == ()
    form.phone.setText("010-87654321")
    touch(qtbot, form.submit_button)
    settle(qtbot)
    assert window.state is State.FEEDBACK_DONE
    assert [c.contact for c in list_complaints(kiosk_app).complaints] == ["010****4321"]


def test_anonymous_feedback_needs_no_phone_and_prints_even_without_a_printer(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    form = open_form(qtbot, window)
    touch(qtbot, form.category_buttons["suggestion"])
    form.text.insertPlainText("Please add more seats.")
    assert not form.consent.isEnabled()  # nothing to consent to without a number
    touch(qtbot, form.submit_button)
    settle(qtbot)
    done = window.current_screen()
    assert isinstance(done, FeedbackDoneScreen)
    assert done.complaint is not None
    assert done.complaint.contact is None
    assert "致电" not in done.details.text()
    assert done.print_status.text().startswith("回执未能打印（")
    assert "请记下受理编号" in done.print_status.text()
