"""Device driver settings from the environment: unset means the protocol's value, a
bad value is refused with the variable's name."""

from __future__ import annotations

import pytest

from printers.env import seconds_from_env
from printers.escpos.transport import STATUS_WAIT_ENV, STATUS_WAIT_S, status_wait_s
from printers.kp1 import codec as kp1
from printers.kp1.link import REPLY_WAIT_ENV, reply_wait_s


def test_unset_or_empty_is_the_default_and_a_number_is_taken(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(STATUS_WAIT_ENV, raising=False)
    monkeypatch.setenv(REPLY_WAIT_ENV, "")
    assert (status_wait_s(), reply_wait_s()) == (STATUS_WAIT_S, kp1.REPLY_TIMEOUT_S)
    monkeypatch.setenv(STATUS_WAIT_ENV, "0.6")
    monkeypatch.setenv(REPLY_WAIT_ENV, "0.15")
    assert (status_wait_s(), reply_wait_s()) == (0.6, 0.15)


@pytest.mark.parametrize("value", ["soon", "0", "-1", "nan", "inf"])
def test_a_value_that_is_not_a_positive_number_is_refused_by_name(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KIOSK_TEST_WAIT_S", value)
    with pytest.raises(ValueError, match=f"KIOSK_TEST_WAIT_S must be a positive number of "
                                         f"seconds, not '{value}'"):
        seconds_from_env("KIOSK_TEST_WAIT_S", 1.0)
