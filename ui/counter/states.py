"""The counter terminal's navigation states."""

from __future__ import annotations

from enum import Enum, auto


class CounterState(Enum):
    LOGIN = auto()        # staff number + PIN (also after the idle lock)
    DESK = auto()         # the ticket at the counter and the actions
    TRANSFER = auto()     # choose the service to send the ticket to
    CALL_NUMBER = auto()  # call a number out of order: reason + supervisor PIN
    OVERRIDE = auto()     # 暂停办公 as the last open counter: supervisor PIN
    RATING = auto()       # the customer rates on screen (no keypad at this counter)
    DEVICES = auto()      # a technician: the station's devices only
