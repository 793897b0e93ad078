"""Screenshot tour of the customer touchscreen (``scripts/screenshots.sh customer``):
every screen and state a customer can meet, on a demo branch with a simulated printer
(printed, then out of paper), a service closed for the day and one outside its hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Any

from kiosk.app import AppContext
from kiosk.app.printer import set_printer
from kiosk.app.tickets import take_ticket
from kiosk.demo import demo_config, prepare_branch
from printers.escpos.transport import close_all
from printers.simulators.printer import FakePrinter
from ui.customer.states import State
from ui.customer.window import CustomerWindow
from ui.tasks import Failure

TOUR_TEXT = "大厅空调太冷了，等候区能否调高一点温度？谢谢。"


def demo_app(workdir: Path, printer: FakePrinter | None = None) -> AppContext:
    """A demo branch in ``workdir``: open round the clock, counters open, a few people
    waiting; VIP disabled and new business outside its hours, so both reasons show."""
    app = AppContext.open(f"sqlite:///{workdir / 'tour.db'}", station="K1")
    config = demo_config()
    services = tuple(
        replace(s, enabled=False) if s.code == "vip"
        else replace(s, hours=(time(0, 0), time(0, 1))) if s.code == "new_business"
        else s for s in config.services)
    prepare_branch(app, replace(config, services=services))
    for code in ("enquiry", "claims", "claims", "payments", "enquiry", "claims"):
        take_ticket(app, code)
    if printer is not None:
        set_printer(app, printer.path, "generic-80", "text")
    return app


def tour(camera: Any) -> None:
    """Every customer screen, in the order a customer meets them."""
    printer = FakePrinter("ok", link=camera.workdir / "printer").start()
    app = demo_app(camera.workdir, printer)
    try:
        _walk(camera, app, printer)
    finally:
        camera.close()
        close_all()
        printer.stop()
        app.close()


def _walk(camera: Any, app: AppContext, printer: FakePrinter) -> None:
    window = CustomerWindow(app, idle_ms=600_000)
    camera.show(window)
    camera.take("welcome")

    window.move_to(State.SERVICES)
    camera.take("services")
    services = window.screen(State.SERVICES)
    services.care.setChecked(True)  # type: ignore[attr-defined]
    services.tiles["claims"].click()  # type: ignore[attr-defined]
    camera.take("ticket-printed")
    printer.set_state("paper_out")
    window.move_to(State.SERVICES)
    services.tiles["enquiry"].click()  # type: ignore[attr-defined]
    camera.take("ticket-paper-out")
    printer.set_state("ok")

    window.move_to(State.CLAIM_TYPE)
    camera.take("claim-types")
    window.screen(State.CLAIM_TYPE).tiles["inpatient"].click()  # type: ignore[attr-defined]
    questions = window.screen(State.CLAIM_QUESTIONS)
    camera.take("claim-questions")
    for code, group in questions.groups.items():  # type: ignore[attr-defined]
        group.buttons()[0 if code == "by_agent" else 1].click()
    camera.take("claim-questions-answered")
    questions.next_button.click()  # type: ignore[attr-defined]
    documents = window.screen(State.CLAIM_DOCUMENTS)
    camera.take("claim-documents")
    for code in ("CLAIM_FORM", "ID_INSURED", "MED_RECORD", "INVOICE"):
        documents.boxes[code].setChecked(True)  # type: ignore[attr-defined]
    camera.take("claim-documents-ticked")
    documents.check_button.click()  # type: ignore[attr-defined]
    result = window.screen(State.CLAIM_RESULT)
    camera.take("claim-missing")
    result.print_button.click()  # type: ignore[attr-defined]
    camera.take("claim-notice-printed")
    window.back()
    for box in documents.boxes.values():  # type: ignore[attr-defined]
        box.setChecked(True)
    documents.check_button.click()  # type: ignore[attr-defined]
    camera.take("claim-complete")

    window.move_to(State.FEEDBACK)
    feedback = window.screen(State.FEEDBACK)
    camera.take("feedback")
    feedback.category_buttons["facilities"].click()  # type: ignore[attr-defined]
    feedback.text.setPlainText(TOUR_TEXT)  # type: ignore[attr-defined]
    feedback.phone.setText("1381234")  # type: ignore[attr-defined]
    feedback.consent.setChecked(True)  # type: ignore[attr-defined]
    feedback.submit_button.click()  # type: ignore[attr-defined]
    camera.take("feedback-bad-phone")
    feedback.phone.setText("13812345678")  # type: ignore[attr-defined]
    camera.take("feedback-filled")
    feedback.submit_button.click()  # type: ignore[attr-defined]
    camera.take("feedback-done")

    window.move_to(State.INFO)
    camera.take("info")
    info = window.screen(State.INFO)
    for code in ("new_business", "claims", "claim_documents", "commitments", "hotline",
                 "hours"):
        info.tiles[code].click()  # type: ignore[attr-defined]
        camera.take(f"info-{code.replace('_', '-')}")
        window.back()

    window.move_to(State.SERVICES)
    window.show_failure(Failure(RuntimeError("tour"), "E-3F9A2C"))
    camera.take("error")
    window.close_message()
    window.idle.idle_elapsed()
    camera.take("idle-countdown")
    window.idle.stop()
