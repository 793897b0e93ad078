"""Printing figures for docs/BENCHMARKS.md.

Run: .venv/bin/python bench/printing.py

- bytes on the wire per queue ticket (text mode target <= 1,000; raster 80 mm <= 25,000);
- time to build the ticket PDF and to rasterise it (target <= 50 ms each, median);
- time the transport adds beyond bytes x 10 / baud: a pty moves bytes at memory speed,
  so the wall time of a job sent to the pty fake printer (until the fake has decoded
  every byte) is the transport's own overhead.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from printers.documents.model import ROLL_58MM, ROLL_80MM
from printers.documents.pdf import render_pdf
from printers.documents.slips import BranchHeading, TicketFacts, queue_ticket
from printers.escpos.encode import encode
from printers.escpos.profiles import PROFILES
from printers.escpos.raster import rasterise_pdf
from printers.escpos.transport import PrinterLink
from printers.simulators.printer import FakePrinter

BRANCH = BranchHeading("客户服务中心", "Customer Service Centre", "95500")
FACTS = TicketFacts("D007", "理赔", "Claims", "care", 12, (25, 40), "2026-11-23 10:00",
                    "KIOSK:T:BR0001:2026-11-23:D007",
                    ["请留意叫号屏幕和语音提示", "过号需重新取号"],
                    ["Please watch the screen and listen for your number",
                     "A missed number must take a new ticket"])


def median_ms(fn: Callable[[], object], runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    doc = queue_ticket(FACTS, BRANCH)
    print("bytes per ticket")
    for name in ("generic-80", "generic-58", "xprinter-58"):
        for mode in ("text", "raster"):
            data = encode(doc, PROFILES[name], mode)
            line_s = len(data) * 10 / PROFILES[name].baud
            print(f"  {name:<12} {mode:<6} {len(data):>6} bytes  "
                  f"({line_s * 1000:.0f} ms at {PROFILES[name].baud} baud)")
    render_pdf(doc, ROLL_80MM)  # font registration, once
    print("times (median of 30)")
    for paper in (ROLL_80MM, ROLL_58MM):
        pdf = render_pdf(doc, paper)
        build = median_ms(lambda paper=paper: render_pdf(doc, paper))
        print(f"  build PDF {paper.name}: {build:.1f} ms")
        print(f"  rasterise {paper.name}: "
              f"{median_ms(lambda pdf=pdf, dots=paper.dots: rasterise_pdf(pdf, dots)):.1f} ms")
    print(f"  text-mode job bytes 80mm: "
          f"{median_ms(lambda: encode(doc, PROFILES['generic-80'], 'text')):.1f} ms")

    print("transport overhead on a pty (send + decoded by the fake printer)")
    with FakePrinter() as fake:
        link = PrinterLink(fake.path, PROFILES["generic-80"])
        link.open()
        for mode in ("text", "raster"):
            data = encode(doc, PROFILES["generic-80"], mode)
            walls = []
            for _ in range(10):
                target = fake.received + len(data)
                start = time.perf_counter()
                link.send(data, check_status=False)
                fake.wait_for(lambda p, t=target: p.received >= t)
                walls.append((time.perf_counter() - start) * 1000)
            wall = statistics.median(walls)
            line_ms = len(data) * 10 / 115200 * 1000
            print(f"  {mode:<6} {len(data):>6} bytes: {wall:.1f} ms on the pty "
                  f"(line time at 115200 baud would be {line_ms:.0f} ms)")
        start = time.perf_counter()
        for _ in range(10):
            link.status()
        print(f"  status query (DLE EOT 1..4): "
              f"{(time.perf_counter() - start) * 100:.1f} ms each")
        link.close()


if __name__ == "__main__":
    main()
