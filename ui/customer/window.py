"""The customer touchscreen (``kiosk run --role customer``): the window, its screens,
the idle reset and the role factory.

Screens are built on first use (cold start builds the welcome only). The branch facts
(name, hotline, the idle setting) are read in a task after start-up and applied when
they come; until then the welcome shows a generic name and the idle reset the default.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QCloseEvent

from kiosk.app import AppContext
from kiosk.app.information import BranchFacts, branch_facts
from ui.customer import staff_menu
from ui.customer.states import State
from ui.customer.welcome import WelcomeScreen
from ui.idle import DEFAULT_COUNTDOWN_MS, DEFAULT_IDLE_MS, IdleWatcher, attach_idle_reset
from ui.shell import Shell
from ui.staff_exit import install_staff_exit
from ui.tasks import Failure, run_task

if TYPE_CHECKING:
    from ui.cli import RunContext
    from ui.customer.take import Announcer

log = logging.getLogger(__name__)


class CustomerWindow(Shell):
    """Every customer screen on one stack, Welcome as home."""

    def __init__(self, app: AppContext, *, announcer: Announcer | None = None,
                 idle_ms: int | None = None, countdown_ms: int = DEFAULT_COUNTDOWN_MS) -> None:
        super().__init__(home=State.WELCOME)
        self.setObjectName("customer")
        self.app = app
        self.facts: BranchFacts | None = None
        self._fixed_idle = idle_ms is not None
        self.welcome = WelcomeScreen()
        self.add_screen(State.WELCOME, self.welcome)
        self._register(announcer)
        self.idle: IdleWatcher = attach_idle_reset(
            self, idle_ms=idle_ms or DEFAULT_IDLE_MS, countdown_ms=countdown_ms,
            hold=self.holds_screen)
        # staff: five taps in the top-left corner, then a technician's or supervisor's PIN
        self.staff_exit = install_staff_exit(self, app, actions={
            "reprint": staff_menu.reprint, "printer": staff_menu.printer})
        self.move_to(State.WELCOME)
        self.facts_task = run_task(branch_facts, app, owner=self, on_result=self.apply_facts,
                                   on_error=self._facts_failed, name="branch facts")

    def _register(self, announcer: Announcer | None) -> None:
        app = self.app

        def services() -> Any:
            from ui.customer.take import ServicesScreen
            return ServicesScreen(app)

        def ticket() -> Any:
            from ui.customer.take import TicketScreen
            return TicketScreen(app, announcer)

        def claims(name: str) -> Any:
            from ui.customer import claims as module
            return getattr(module, name)(app)

        def claim_result() -> Any:
            from ui.customer.claim_result import ClaimResultScreen
            return ClaimResultScreen(app)

        def feedback() -> Any:
            from ui.customer.feedback import FeedbackScreen
            return FeedbackScreen(app, self.facts.retention_days if self.facts else 180)

        def feedback_done() -> Any:
            from ui.customer.feedback import FeedbackDoneScreen
            return FeedbackDoneScreen(app)

        def info() -> Any:
            from ui.customer.info import InfoScreen
            return InfoScreen(app)

        def info_topic() -> Any:
            from ui.customer.info import InfoTopicScreen
            return InfoTopicScreen()

        self.add_screen(State.SERVICES, services)
        self.add_screen(State.TICKET, ticket)
        self.add_screen(State.CLAIM_TYPE, lambda: claims("ClaimTypeScreen"))
        self.add_screen(State.CLAIM_QUESTIONS, lambda: claims("ClaimQuestionsScreen"))
        self.add_screen(State.CLAIM_DOCUMENTS, lambda: claims("ClaimDocumentsScreen"))
        self.add_screen(State.CLAIM_RESULT, claim_result)
        self.add_screen(State.FEEDBACK, feedback)
        self.add_screen(State.FEEDBACK_DONE, feedback_done)
        self.add_screen(State.INFO, info)
        self.add_screen(State.INFO_TOPIC, info_topic)

    def apply_facts(self, facts: BranchFacts) -> None:
        """The branch's name and hotline on the welcome, its idle setting on the reset."""
        self.facts = facts
        self.welcome.set_facts(facts)
        if not self._fixed_idle:
            self.idle.set_idle_ms(facts.idle_seconds * 1000)
        for screen in self.built_screens():
            setter = getattr(screen, "set_retention_days", None)
            if setter is not None:
                setter(facts.retention_days)

    def _facts_failed(self, failure: Failure) -> None:
        # The kiosk still works with the defaults; the database problem shows at the
        # customer's first action, with its message.
        log.error("branch facts not read: %s", failure.error)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)
        if event.isAccepted():
            self.idle.stop()  # no countdown over a closed window

    def holds_screen(self) -> bool:
        """The idle reset waits while a number that did not print is on screen."""
        if self.state is not State.TICKET:
            return False
        return bool(getattr(self.current_screen(), "holding", False))


def make_window(context: RunContext) -> CustomerWindow:
    """Role factory of ``kiosk run --role customer``: the station's database and printer,
    and the announcer the "read aloud" button speaks through."""
    from ui.voice.announcer import branch_announcer

    return CustomerWindow(context.cli.app, announcer=branch_announcer(context.cli.app))
