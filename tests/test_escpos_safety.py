"""Printer safety: text never carries control bytes to the printer (issue 9, item 13)."""

from __future__ import annotations

from printers.documents.slips import BranchHeading, TicketFacts, queue_ticket
from printers.escpos.builder import LF, EscPos
from printers.escpos.decode import tokenize
from printers.escpos.encode import encode
from printers.escpos.profiles import PROFILES

BRANCH = BranchHeading("客户服务中心\x1b@", "Customer Service Centre\x1bd\x05", "95500")
# A service name that carries a full cut (GS V 0) and a bell inside it, as a settings
# file written with a careless editor could.
HOSTILE = TicketFacts("D007", "理赔\x07", "Claims\x1dV\x00 desk", "normal", 3, (10, 20),
                      "2026-11-23 10:00", "KIOSK:T:BR0001:2026-11-23:D007",
                      ["请留意\x1d\x56\x01叫号"], ["Watch\tthe screen\x10\x04\x01"])

def test_text_mode_sends_no_control_byte_but_line_feed_inside_text() -> None:
    data = encode(queue_ticket(HOSTILE, BRANCH), PROFILES["generic-80"], "text")
    tokens = tokenize(data)
    # Exactly one cut, at the end: the GS V inside the service name cut nothing.
    assert [t.kind for t in tokens].count("cut") == 1
    assert tokens[-1].kind == "cut"
    assert "unknown" not in {t.kind for t in tokens}
    assert [t.kind for t in tokens].count("init") == 1
    texts = [t.value for t in tokens if t.kind == "text"]
    assert any("Claims" in t and "desk" in t for t in texts)
    assert any("Watch the screen" in t for t in texts)  # a tab becomes a space
    for text in texts:
        assert not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text), text


def test_the_builder_strips_control_characters_and_keeps_line_feeds() -> None:
    data = EscPos().text("A\x1dV\x00B\tC\nD\x7fE\r").getvalue()
    assert data == b"AVB C\nDE"
    assert all(b >= 0x20 or b == LF for b in data)
