"""The customer kiosk's navigation states (one per screen)."""

from __future__ import annotations

from enum import Enum, auto


class State(Enum):
    WELCOME = auto()
    SERVICES = auto()
    TICKET = auto()
    CLAIM_TYPE = auto()
    CLAIM_QUESTIONS = auto()
    CLAIM_DOCUMENTS = auto()
    CLAIM_RESULT = auto()
    FEEDBACK = auto()
    FEEDBACK_DONE = auto()
    INFO = auto()
    INFO_TOPIC = auto()
