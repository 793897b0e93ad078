"""``kiosk demo``: a lobby that runs by itself, for showing the product without
hardware.

It uses its own SQLite file unless ``--db`` names another, opens the branch every day
round the clock (a demo must work on a Sunday evening too), opens the counters with
staff, and starts the simulated devices on pseudo-terminals: a receipt printer that
decodes what it receives, and one rating keypad per counter on one KP1 bus. The real
drivers talk to them: tickets go through the print spool, finished customers are
asked for a rating by the keypad service, and simulated customers press a key.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import time as clock_time

from kiosk.app import AppContext
from kiosk.app.admin import apply_settings
from kiosk.app.board import lobby_board
from kiosk.app.counters import call_next, open_counter
from kiosk.app.keypads import configure_keypads
from kiosk.app.printer import set_printer
from kiosk.app.ratings import rating_report
from kiosk.app.staff import console
from kiosk.app.tickets import take_ticket
from kiosk.branch.settings import BranchConfig, default_config
from kiosk.devices.keypads import KeypadService
from kiosk.errors import RuleRefused
from kiosk.feedback.ratings import RATING_KEYS, scale_values
from printers.escpos.transport import close_all
from printers.simulators.keypad_bus import FakeKeypadBus
from printers.simulators.printer import FakePrinter

ROUND_THE_CLOCK = (clock_time(0, 0), clock_time(23, 59, 59))
SERVICES = ["enquiry", "claims", "payments", "policy_change", "new_business", "complaints"]
WAITING_FOR_RATING = 1  # KP1 keypad state
DRAIN_S = 10.0  # at most this long for the last key presses to be stored on exit
log = logging.getLogger(__name__)


@contextmanager
def simulated_devices(app: AppContext, counters: list[int]) -> Iterator[
        tuple[FakePrinter, FakeKeypadBus]]:
    """A fake printer and one fake keypad per counter, configured as the branch's
    devices, with the keypad service running; everything stopped on exit, in order:
    the keypads' last presses are stored first (:func:`drain_keypads`), then the
    keypad service stops, then the keypads, then the printer."""
    printer = FakePrinter("ok").start()
    keypads = FakeKeypadBus(counters)
    service: KeypadService | None = None
    try:
        port = keypads.start()
        set_printer(app, printer.path, "generic-80", "text")
        configure_keypads(app, port, {n: n for n in counters}, timeout_s=20)
        service = KeypadService(app.engine, station=app.station)
        service.start()
        yield printer, keypads
    finally:
        if service is not None:
            if not drain_keypads(keypads, counters):
                log.warning("demo: keypad presses not stored within %s s", DRAIN_S)
            service.stop()
        keypads.stop()
        close_all()
        printer.stop()


def drain_keypads(keypads: FakeKeypadBus, counters: list[int],
                  timeout_s: float = DRAIN_S) -> bool:
    """Wait until no keypad holds an event the service has not taken: a keypad deletes
    an event only when the host acknowledges it, and the service acknowledges only
    after the rating is committed. False if some are still held at ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while any(keypads.state(a)["pending"] for a in counters):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def demo_config() -> BranchConfig:
    """The default branch, open every day round the clock with no calendar exceptions,
    national holidays included (a demo must work on a Sunday evening too)."""
    config = default_config()
    return replace(config, hours=dict.fromkeys(range(7), ROUND_THE_CLOCK),
                   holidays=frozenset(), workdays=frozenset(),
                   settings={**config.settings, "national_calendar": False})


def prepare_branch(app: AppContext, config: BranchConfig | None = None) -> list[int]:
    """Apply ``config`` (default :func:`demo_config`) and open every counter with a
    member of staff; returns the counter numbers."""
    apply_settings(app, config or demo_config())
    counters = []
    for counter in lobby_board(app).counters:
        counters.append(counter.number)
        if counter.status != "open":
            open_counter(app, console(app), counter.number, f"S{counter.number:02d}")
    return counters


def run_demo(app: AppContext, steps: int = 0, pace_s: float = 1.0, seed: int = 7,
             say: Callable[[str], None] | None = None) -> int:
    """Simulate customers, counters and devices; ``steps`` customers (0 = until Ctrl-C).
    Everything goes through the application layer, as the screens will."""
    say = say or (lambda line: print(line, flush=True))
    counters = prepare_branch(app)
    rng = random.Random(seed)
    say("Lobby Kiosk demo: simulated printer and keypads; Ctrl-C to stop")
    with simulated_devices(app, counters) as (printer, keypads):
        say(f"  printer on {printer.path}, keypads 1-{len(counters)} on one KP1 bus")
        done = 0
        try:
            while steps == 0 or done < steps:
                simulate_step(app, counters, keypads, rng, say, printer)
                done += 1
                time.sleep(pace_s)
        except KeyboardInterrupt:
            say("stopping")
        _customers_rate(keypads, counters, rng, say, wait_s=3.0)
    _summary(app, say)
    return 0


def simulate_step(app: AppContext, counters: list[int], keypads: FakeKeypadBus,
                  rng: random.Random, say: Callable[[str], None],
                  printer: FakePrinter | None = None) -> None:
    """One step of a busy lobby: a customer takes a ticket (printed when ``printer`` is
    given), a counter calls its next customer, waiting keypads get a rating."""
    if printer is not None:
        _customer_arrives(app, printer, rng, say)
    else:
        _customer_takes(app, rng, say)
    _counter_calls(app, counters, rng, say)
    _customers_rate(keypads, counters, rng, say)


def _customer_takes(app: AppContext, rng: random.Random, say: Callable[[str], None]) -> None:
    try:
        taken = take_ticket(app, rng.choice(SERVICES), "care" if rng.random() < 0.1 else "normal")
    except RuleRefused as exc:
        say(f"取号被拒 refused: {exc.bilingual()}")
        return
    say(f"取号 {taken.number} {taken.service_name_zh} ({taken.priority}), "
        f"{taken.ahead} ahead (simulated customer, not printed)")


def _customer_arrives(app: AppContext, printer: FakePrinter, rng: random.Random,
                      say: Callable[[str], None]) -> None:
    printed_before = len(printer.jobs)
    try:
        taken = take_ticket(app, rng.choice(SERVICES),
                            "care" if rng.random() < 0.1 else "normal", print_ticket=True)
    except RuleRefused as exc:
        say(f"取号被拒 refused: {exc.bilingual()}")
        return
    wait = f"{taken.wait_min[0]}-{taken.wait_min[1]} min" if taken.wait_min else "-"
    printed = printer.wait_for(lambda p: len(p.jobs) > printed_before, timeout=5)
    outcome = taken.print
    result = "printed" if outcome is not None and outcome.printed and printed else \
        f"print queued ({outcome.reason_en if outcome and outcome.reason_en else 'not confirmed'})"
    say(f"取号 {taken.number} {taken.service_name_zh} ({taken.priority}), "
        f"{taken.ahead} ahead, wait {wait} - {result}")


def _counter_calls(app: AppContext, counters: list[int], rng: random.Random,
                   say: Callable[[str], None]) -> None:
    counter = rng.choice(counters)
    ticket = call_next(app, console(app), counter).ticket
    if ticket is not None:
        say(f"叫号 {ticket.number} -> counter {counter}")


def _customers_rate(keypads: FakeKeypadBus, counters: list[int], rng: random.Random,
                    say: Callable[[str], None], wait_s: float = 0.0) -> None:
    """Every keypad that is waiting for a rating gets one, as a customer would press."""
    deadline = time.monotonic() + wait_s
    while True:
        waiting = [a for a in counters if keypads.state(a)["state"] == WAITING_FOR_RATING]
        for address in waiting:
            value = rng.choices(scale_values(4), weights=[6, 3, 1, 0.3])[0]
            keypads.press(address, RATING_KEYS[value])
            say(f"评价 counter {address} keypad: {value}")
        if waiting or time.monotonic() >= deadline:
            return
        time.sleep(0.1)


def _summary(app: AppContext, say: Callable[[str], None]) -> None:
    board = lobby_board(app)
    report = rating_report(app)
    for s in board.services:
        say(f"  {s.prefix} {s.name_zh:<8} waiting {s.waiting}")
    rate = report.satisfaction_rate
    say(f"  ratings today: {report.given} given, satisfaction "
        f"{'-' if rate is None else f'{rate:.0%}'}")
