"""Checking claim documents through the real widgets: the claim type with its icon, the
yes/no questions (the answers change the list), the documents with their explanation
and original/copy, missing or complete, the printed notice, and the claims ticket linked
to the check."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.app import AppContext
from kiosk.app.claims import find_claim_check
from printers.simulators.printer import FakePrinter
from tests.ui.customer.conftest import find, settle, touch
from ui import i18n
from ui.customer.claim_result import ClaimResultScreen
from ui.customer.claims import (
    ClaimDocumentsScreen,
    ClaimQuestionsScreen,
    ClaimTypeScreen,
)
from ui.customer.states import State
from ui.customer.take import TicketScreen
from ui.customer.window import CustomerWindow


def claim_type(qtbot: QtBot, window: CustomerWindow) -> ClaimTypeScreen:
    touch(qtbot, find(window, "entry-claim-type"))
    settle(qtbot)
    screen = window.current_screen()
    assert isinstance(screen, ClaimTypeScreen)
    return screen


def questions_of(qtbot: QtBot, window: CustomerWindow, code: str) -> ClaimQuestionsScreen:
    touch(qtbot, claim_type(qtbot, window).tiles[code])
    settle(qtbot)
    screen = window.current_screen()
    assert isinstance(screen, ClaimQuestionsScreen)
    return screen


def answer(qtbot: QtBot, screen: ClaimQuestionsScreen, yes: set[str]) -> ClaimDocumentsScreen:
    for code, group in screen.groups.items():
        touch(qtbot, group.buttons()[0 if code in yes else 1])
    touch(qtbot, screen.next_button)
    settle(qtbot)
    documents = screen.window().current_screen()  # type: ignore[attr-defined]
    assert isinstance(documents, ClaimDocumentsScreen)
    return documents


def test_every_claim_type_is_a_tile_with_its_icon_and_words(
        qtbot: QtBot, window: CustomerWindow) -> None:
    screen = claim_type(qtbot, window)
    assert set(screen.tiles) == {
        "outpatient", "inpatient", "critical_illness", "accident_disability",
        "death_illness", "death_accident", "motor_single", "motor_two_party",
        "motor_injury", "home_property"}
    for tile in screen.tiles.values():
        assert tile.icon_label.isVisible()
        assert not tile.icon_label.pixmap().isNull()
        assert tile.title_label.text()
    assert screen.tiles["inpatient"].title_label.text() == "住院医疗"
    i18n.set_language("en")
    assert screen.tiles["inpatient"].title_label.text() == "Inpatient medical"


def test_next_waits_for_every_answer_and_the_answers_change_the_documents(
        qtbot: QtBot, window: CustomerWindow) -> None:
    questions = questions_of(qtbot, window, "outpatient")
    assert set(questions.groups) == {"minor_or_incapable", "by_agent", "accident_related",
                                     "paid_elsewhere"}
    assert not questions.next_button.isEnabled()
    assert questions.labels["by_agent"].text() == "是否由他人代为办理？"
    documents = answer(qtbot, questions, yes={"by_agent"})
    assert list(documents.boxes) == ["CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE",
                                     "EXP_LIST", "BANK", "POWER_OF_ATTORNEY", "AGENT_ID"]
    assert documents.boxes["INVOICE"].text() == "医疗费用原始发票"
    assert documents.boxes["INVOICE"].accessibleName() == "医疗费用原始发票（原件）"
    assert documents.hints["BANK"].text().startswith("复印件 · ")
    assert documents.hints["POWER_OF_ATTORNEY"].text() == (
        "原件 · 委托人亲笔签字的委托书，可在柜台领取样式")
    # Back, a different answer: paid elsewhere adds the split slip, the invoice a copy
    assert documents.header is not None
    touch(qtbot, documents.header.back_button)
    settle(qtbot)
    assert window.state is State.CLAIM_QUESTIONS
    documents = answer(qtbot, questions, yes={"paid_elsewhere"})
    assert "SPLIT_SLIP" in documents.boxes
    assert "POWER_OF_ATTORNEY" not in documents.boxes
    assert documents.hints["INVOICE"].text().startswith("复印件 · ")


def test_missing_documents_are_all_listed_the_notice_prints_and_the_ticket_is_linked(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext,
        paper: FakePrinter) -> None:
    documents = answer(qtbot, questions_of(qtbot, window, "inpatient"), yes=set())
    for code in ("CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE"):
        touch(qtbot, documents.boxes[code])
    touch(qtbot, documents.check_button)
    settle(qtbot)
    result = window.current_screen()
    assert isinstance(result, ClaimResultScreen)
    assert result.check is not None
    assert result.verdict.text() == "还缺 4 份材料"
    details = result.details.text()
    for name in ("出院小结", "诊断证明书", "费用明细清单", "领款人银行卡/存折"):
        assert name in details
    assert "理赔申请书（" not in details.split("需携带原件")[0]  # what they have is not listed

    touch(qtbot, result.print_button)
    settle(qtbot)
    assert paper.wait_for(lambda p: len(p.jobs) == 1)
    printed = "\n".join(paper.jobs[0].texts)
    assert result.check.reference in printed
    assert "出院小结" in printed
    assert result.print_status.text() == "已打印，请从出票口取走告知书。"

    reference = result.check.reference
    touch(qtbot, result.ticket_button)
    settle(qtbot)
    ticket = window.current_screen()
    assert isinstance(ticket, TicketScreen)
    assert ticket.number.text() == "D001"
    assert find_claim_check(kiosk_app, ticket="D001").reference == reference
    assert paper.wait_for(lambda p: len(p.jobs) == 2)  # the ticket printed too


def test_a_complete_set_promises_a_decision_date(
        qtbot: QtBot, window: CustomerWindow, kiosk_app: AppContext) -> None:
    documents = answer(qtbot, questions_of(qtbot, window, "critical_illness"), yes=set())
    for box in documents.boxes.values():
        touch(qtbot, box)
    touch(qtbot, documents.check_button)
    settle(qtbot)
    result = window.current_screen()
    assert isinstance(result, ClaimResultScreen)
    assert result.check is not None
    assert result.check.complete
    assert result.verdict.text() == "您的材料已齐全。"
    assert result.check.decision_by is not None
    assert result.check.decision_by in result.details.text()


def test_the_notice_not_printed_names_the_reference_for_staff(
        qtbot: QtBot, window: CustomerWindow, paper: FakePrinter) -> None:
    paper.set_state("paper_out")
    documents = answer(qtbot, questions_of(qtbot, window, "outpatient"), yes=set())
    touch(qtbot, documents.check_button)
    settle(qtbot)
    result = window.current_screen()
    assert isinstance(result, ClaimResultScreen)
    touch(qtbot, result.print_button)
    settle(qtbot)
    assert result.check is not None
    assert result.check.reference in result.print_status.text()
    assert "缺纸" in result.print_status.text()
