"""The ESC/POS builder, the tokenizer, status decoding and the document encoder."""

from __future__ import annotations

import pytest

from printers.documents.model import Line, RollDocument
from printers.documents.slips import BranchHeading, TicketFacts, queue_ticket
from printers.escpos.builder import (
    EscPos,
    Unencodable,
    decode_status,
    gbk_bytes,
    status_reply_bytes,
)
from printers.escpos.decode import Token, Tokenizer, compose_raster, tokenize
from printers.escpos.encode import encode
from printers.escpos.profiles import PROFILES
from printers.escpos.raster import ink_rows

BRANCH = BranchHeading("客户服务中心", "Customer Service Centre", "95500")
FACTS = TicketFacts("D007", "理赔", "Claims", "care", 3, (10, 20), "2026-11-23 10:00",
                    "KIOSK:T:BR0001:2026-11-23:D007", ["请留意叫号屏幕和语音提示"],
                    ["Please watch the screen and listen for your number"])


def kinds(tokens: list[Token]) -> list[str]:
    return [t.kind for t in tokens]


def test_builder_bytes_decode_back_to_the_commands() -> None:
    data = (EscPos().init().chinese(True).align("center").size(2, 3).bold(True)
            .text("理赔 ￥100").newline().qr("REF-1", 5).feed_dots(300)
            .raster(2, 1, b"\x80\x01").cut("partial", 40).getvalue())
    tokens = tokenize(data)
    assert tokens == [
        Token("init"), Token("chinese", True), Token("align", 1), Token("size", (2, 3)),
        Token("bold", 1), Token("text", "理赔 ￥100"), Token("qr_module", 5),
        Token("qr_ec", "M"), Token("qr", "REF-1"), Token("feed", 255), Token("feed", 45),
        Token("raster", (2, 1, b"\x80\x01")), Token("cut", ("partial", 40))]


def test_text_is_gb_two_byte_codes_and_half_width_yen_becomes_full_width() -> None:
    assert gbk_bytes("理赔") == "理赔".encode("gbk")
    assert gbk_bytes("¥5") == "￥5".encode("gbk")
    with pytest.raises(Unencodable):
        gbk_bytes("𠮷")  # a four-byte GB18030 code: printers do not know it


def test_tokenizer_keeps_a_command_split_across_chunks() -> None:
    data = EscPos().text("前面").raster(1, 2, b"\xff\x0f").text("后").newline().getvalue()
    tokenizer = Tokenizer()
    tokens: list[Token] = []
    for i in range(len(data)):  # one byte at a time, as a slow serial line delivers
        tokens += tokenizer.feed(data[i:i + 1])
    assert tokens == [Token("text", "前面"), Token("raster", (1, 2, b"\xff\x0f")),
                      Token("text", "后")]


@pytest.mark.parametrize(("state", "expected"), [
    ({}, {"online": True, "cover_open": False, "paper": "ok"}),
    ({"paper": "out"}, {"online": False, "cover_open": False, "paper": "out"}),
    ({"paper": "near_end"}, {"online": True, "cover_open": False, "paper": "near_end"}),
    ({"cover_open": True}, {"online": False, "cover_open": True, "paper": "ok"}),
])
def test_status_replies_decode(state: dict[str, object], expected: dict[str, object]) -> None:
    status = decode_status(dict(status_reply_bytes(**state)))  # type: ignore[arg-type]
    assert {k: status.to_json()[k] for k in expected} == expected
    assert status.ready is (not state or state == {"paper": "near_end"})


def test_the_typical_replies_of_the_notes_decode() -> None:
    assert decode_status({1: 0x1A, 2: 0x12, 3: 0x12, 4: 0x72}).paper == "out"
    assert decode_status({1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}).cover_open is True


def test_no_reply_is_unknown_never_ok() -> None:
    status = decode_status({1: None, 2: None, 3: None, 4: None})
    assert status.to_json()["online"] is None
    assert status.paper == "unknown"
    assert not status.ready
    # A garbage byte that is not a status reply counts as no reply.
    assert decode_status({1: 0xFF, 4: 0x00}).online is None


def test_text_mode_ticket_is_text_large_number_native_qr_and_cut() -> None:
    tokens = tokenize(encode(queue_ticket(FACTS, BRANCH), PROFILES["generic-80"], "text"))
    texts = [t.value for t in tokens if t.kind == "text"]
    assert "客户服务中心" in texts
    assert "前面还有 3 人 / 3 ahead of you" in texts
    number_at = texts.index("D007")
    sizes = [t.value for t in tokens[:tokens.index(Token("text", "D007"))] if t.kind == "size"]
    assert sizes[-1] == (5, 5)
    assert number_at > 0
    assert Token("qr", "KIOSK:T:BR0001:2026-11-23:D007") in tokens
    assert tokens[-1].kind == "cut"
    assert "raster" not in kinds(tokens)


def test_a_line_the_printer_cannot_encode_goes_as_raster_and_the_rest_as_text() -> None:
    doc = RollDocument("note", "X", (Line("普通一行"), Line("한국 지점"), Line("最后")))
    tokens = tokenize(encode(doc, PROFILES["generic-80"], "text"))
    texts = [t.value for t in tokens if t.kind == "text"]
    assert texts == ["普通一行", "最后"]
    strips = [t for t in tokens if t.kind == "raster"]
    assert len(strips) == 1
    assert sum(map(any, ink_rows(compose_raster(strips, 576))[1])) > 10  # glyphs inked


def test_a_model_without_native_qr_gets_the_qr_as_an_image() -> None:
    tokens = tokenize(encode(queue_ticket(FACTS, BRANCH), PROFILES["xprinter-58"], "text"))
    assert "qr" not in kinds(tokens)
    assert "raster" in kinds(tokens)
    assert max(t.value[0] for t in tokens if t.kind == "size") <= 2


def test_raster_mode_sends_the_page_trimmed_and_it_recomposes_to_the_page() -> None:
    from printers.documents.model import ROLL_80MM
    from printers.documents.pdf import render_pdf
    from printers.escpos.raster import rasterise_pdf

    doc = queue_ticket(FACTS, BRANCH)
    data = encode(doc, PROFILES["generic-80"], "raster")
    tokens = tokenize(data)
    assert "text" not in kinds(tokens)
    assert all(t.value[1] <= 255 for t in tokens if t.kind == "raster")
    page = rasterise_pdf(render_pdf(doc, ROLL_80MM), 576)
    paper = compose_raster(tokens, 576)
    # Trimming drops only the blank rows at the top and bottom; every inked row arrives.
    _, page_rows = ink_rows(page)
    _, paper_rows = ink_rows(paper)
    inked = [r for r in page_rows if any(r)]
    first = next(i for i, r in enumerate(page_rows) if any(r))
    last = max(i for i, r in enumerate(page_rows) if any(r))
    assert paper_rows == page_rows[first:last + 1]
    assert len(inked) < len(page_rows)
    assert len(data) < 576 // 8 * page.height  # cropping and feeds beat the full bitmap


def test_a_tall_image_goes_in_strips_of_at_most_255_rows_and_recomposes() -> None:
    from PIL import Image

    from printers.escpos.builder import EscPos
    from printers.escpos.raster import bands, put_bands

    # 600 inked rows without a blank one (a tall QR or logo): must be split.
    image = Image.new("1", (64, 600), 1)
    image.putdata([0 if (x + y) % 3 else 1 for y in range(600) for x in range(64)])
    strips = [t for t in tokenize(put_bands(EscPos(), bands(image)).getvalue())
              if t.kind == "raster"]
    assert len(strips) >= 3
    assert all(t.value[1] <= 255 for t in strips)
    assert ink_rows(compose_raster(strips, 64))[1] == ink_rows(image)[1]


def test_text_after_a_raster_line_keeps_the_block_alignment() -> None:
    # The first wrapped line has Hangul (raster, full width); the second is plain text
    # and must still be centred as its block says.
    doc = RollDocument("note", "X", (Line("한" * 24 + "第二行", align="center"),))
    tokens = tokenize(encode(doc, PROFILES["generic-80"], "text"))
    at = tokens.index(Token("text", "第二行"))
    aligns = [t.value for t in tokens[:at] if t.kind == "align"]
    assert aligns[-1] == 1


def test_a_partial_status_reply_is_not_ready_and_says_why() -> None:
    # EOT 1 answered "online", EOT 2 and 4 were lost: not ready, and the message given
    # to staff must not be empty.
    status = decode_status({1: 0x12, 2: None, 3: 0x12, 4: None})
    assert not status.ready
    zh, en = status.problem()
    assert zh
    assert "unknown" in en
