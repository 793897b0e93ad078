"""The ESC/POS decoder and the fake printer under malformed input (issue 9, item 14):
a malformed command decodes as "unknown", the reader thread keeps answering."""

from __future__ import annotations

import os
import random

from printers.escpos.builder import EscPos, status_query
from printers.escpos.decode import Token, Tokenizer, tokenize
from printers.simulators.printer import FakePrinter

KNOWN_KINDS = {"init", "align", "bold", "feed", "codepage", "size", "auto_status",
               "chinese", "status_query", "printer_id", "cut", "raster", "qr", "qr_module", "qr_ec",
               "text", "unknown", "truncated"}


def test_a_qr_command_with_no_parameters_decodes_as_unknown() -> None:
    malformed = bytes([0x1D, 0x28, 0x6B, 0x00, 0x00, 0x31, 0x43, 0x00, 0x00])
    tokens = tokenize(malformed + EscPos().init().text("after").newline().getvalue())
    assert tokens[0].kind == "unknown"
    assert Token("init") in tokens
    assert tokens[-1] == Token("text", "after")


def test_an_impossible_raster_size_is_not_waited_for() -> None:
    # GS v 0 claiming 65535 x 65535 bytes: no printer takes that; it must not swallow
    # every later byte (status queries included) while "waiting" for 4 GB.
    data = bytes([0x1D, 0x76, 0x30, 0, 0xFF, 0xFF, 0xFF, 0xFF]) + status_query(1)
    tokens = Tokenizer().feed(data)
    assert Token("status_query", 1) in tokens


def _random_stream(rng: random.Random) -> bytes:
    """Pieces that look like commands (every prefix the tokenizer knows) with random
    short parameters, mixed with plain random bytes: reaches the deep branches."""
    prefixes = [b"\x1d(k", b"\x1dv0", b"\x1dV", b"\x1d!", b"\x1da", b"\x1b@", b"\x1ba",
                b"\x1bJ", b"\x1c&", b"\x1c.", b"\x10\x04", b"\n", b"\x81", b""]
    params = [0x00, 0x01, 0x02, 0x03, 0x30, 0x31, 0x41, 0x42, 0x43, 0x45, 0x50, 0x51, 0xFF]
    out = bytearray()
    for _ in range(rng.randrange(1, 12)):
        out += rng.choice(prefixes)
        for _ in range(rng.randrange(0, 6)):
            out.append(rng.choice(params) if rng.random() < 0.8 else rng.randrange(256))
    return bytes(out)


def test_fuzz_random_byte_streams_never_crash_the_tokenizer() -> None:
    rng = random.Random(20261123)
    for _ in range(5000):
        if rng.random() < 0.7:
            stream = _random_stream(rng)
        else:
            stream = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
        whole = tokenize(stream)
        assert {t.kind for t in whole} <= KNOWN_KINDS
        # Fed in random chunks, the stream decodes to the same commands.
        tokenizer, chunked, pos = Tokenizer(), [], 0
        while pos < len(stream):
            step = rng.randrange(1, 9)
            chunked += tokenizer.feed(stream[pos:pos + step])
            pos += step
        chunked += tokenizer.finish()
        assert chunked == whole, stream.hex(" ")


def test_the_fake_printer_keeps_answering_after_a_malformed_command() -> None:
    with FakePrinter() as printer:
        fd = os.open(printer.path, os.O_RDWR | os.O_NOCTTY)
        try:
            os.write(fd, bytes([0x1D, 0x28, 0x6B, 0x00, 0x00, 0x31, 0x43, 0x00, 0x00]))
            os.write(fd, status_query(1))
            assert printer.wait_for(lambda p: p.status_queries == 1, timeout=5)
            assert os.read(fd, 1) == b"\x12"  # online: the reader thread is alive
            job = EscPos().init().text("still printing").newline().cut().getvalue()
            os.write(fd, job)
            assert printer.wait_for(lambda p: len(p.jobs) == 1, timeout=5)
            assert printer.jobs[0].texts == ["still printing"]
        finally:
            os.close(fd)


def test_the_fake_printer_ignores_a_status_query_it_does_not_know() -> None:
    # DLE EOT 7 does not exist: a printer ignores it and answers the next DLE EOT 1.
    with FakePrinter() as printer:
        fd = os.open(printer.path, os.O_RDWR | os.O_NOCTTY)
        try:
            os.write(fd, bytes([0x10, 0x04, 0x07]) + status_query(1))
            assert printer.wait_for(lambda p: p.status_queries == 2, timeout=5)
            assert os.read(fd, 1) == b"\x12"
            assert printer.faults == []
        finally:
            os.close(fd)
