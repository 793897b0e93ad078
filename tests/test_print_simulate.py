"""``kiosk simulate printer`` as a process: prints its pty path, decodes what it
receives, answers status by state, switches state from stdin, stops on SIGTERM."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from pathlib import Path

from printers.escpos.profiles import PROFILES
from printers.escpos.transport import PrinterLink


class Lines:
    """JSON lines of a child's stdout, read unbuffered with a deadline (no sleeps)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self.fd = proc.stdout.fileno()
        self.rest = b""

    def next(self, deadline_s: float = 20) -> dict[str, object]:
        deadline = time.monotonic() + deadline_s
        while b"\n" not in self.rest:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no line from kiosk simulate printer: {self.rest!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 4096)
                if not chunk:
                    raise AssertionError(f"simulate printer ended: {self.rest!r}")
                self.rest += chunk
        line, self.rest = self.rest.split(b"\n", 1)
        return dict(json.loads(line))


def test_simulate_printer_cli(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "--db", f"sqlite:///{tmp_path / 'k.db'}",
         "simulate", "printer", "--json", "--link", str(tmp_path / "printer")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
    assert proc.stdin is not None
    lines = Lines(proc)
    link = None
    try:
        started = lines.next()
        assert str(started["port"]).startswith("/dev/pts/")
        link = PrinterLink(str(tmp_path / "printer"), PROFILES["generic-80"])
        assert link.status().ready
        link.send(b"\x1b@\x1c&\xc0\xed\xc5\xe2\n\x1dVB\x10")  # init, 理赔, cut
        seen = [lines.next()["line"] for _ in range(3)]
        assert "TEXT [left] 理赔" in seen
        assert "CUT partial" in seen
        proc.stdin.write(b"paper_out\n")
        proc.stdin.flush()
        assert lines.next() == {"state": "paper_out"}
        assert link.status().paper == "out"
    finally:
        if link is not None:
            link.close()
        proc.terminate()
        proc.communicate(timeout=20)
    assert proc.returncode == 0
