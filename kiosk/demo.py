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

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import time as clock_time
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from kiosk.branch.info import load_branch
from kiosk.branch.settings import apply_config, default_config
from kiosk.db import unit_of_work
from kiosk.devices.keypad_ports import configure_port
from kiosk.devices.keypads import KeypadService
from kiosk.devices.printing import print_document, set_printer, ticket_document
from kiosk.errors import RuleRefused
from kiosk.feedback.ratings import RATING_KEYS, rating_report, scale_values
from kiosk.queue.lobby import Lobby
from printers.escpos.transport import close_all
from printers.simulators.keypad_bus import FakeKeypadBus
from printers.simulators.printer import FakePrinter

if TYPE_CHECKING:
    from kiosk.cli import Context

ROUND_THE_CLOCK = (clock_time(0, 0), clock_time(23, 59, 59))
SERVICES = ["enquiry", "claims", "payments", "policy_change", "new_business", "complaints"]
WAITING_FOR_RATING = 1  # KP1 keypad state


@contextmanager
def simulated_devices(engine: Engine, counters: list[int]) -> Iterator[
        tuple[FakePrinter, FakeKeypadBus]]:
    """A fake printer and one fake keypad per counter, configured as the branch's
    devices, with the keypad service running; everything stopped on exit."""
    printer = FakePrinter("ok").start()
    keypads = FakeKeypadBus(counters)
    service: KeypadService | None = None
    try:
        port = keypads.start()
        with unit_of_work(engine, write=True) as session:
            set_printer(session, printer.path, "generic-80", "text")
            configure_port(session, port, {n: n for n in counters}, rating_timeout_s=20)
        service = KeypadService(engine)
        service.start()
        yield printer, keypads
    finally:
        if service is not None:
            service.stop()
        keypads.stop()
        close_all()
        printer.stop()


def run_demo(ctx: Context, steps: int = 0, pace_s: float = 1.0, seed: int = 7,
             say: Callable[[str], None] | None = None) -> int:
    """Simulate customers, counters and devices; ``steps`` customers (0 = until Ctrl-C)."""
    say = say or (lambda line: print(line, flush=True))
    engine = ctx.engine
    config = replace(default_config(), hours=dict.fromkeys(range(7), ROUND_THE_CLOCK),
                     holidays=frozenset(), workdays=frozenset())
    with unit_of_work(engine, write=True) as session:
        apply_config(session, config)
        lobby = Lobby(session)
        counters = [c.number for c in lobby.counters()]
        for number in counters:
            if lobby.counter(number).status != "open":
                lobby.open_counter(number, f"S{number:02d}")
    rng = random.Random(seed)
    say("Lobby Kiosk demo: simulated printer and keypads; Ctrl-C to stop")
    with simulated_devices(engine, counters) as (printer, keypads):
        say(f"  printer on {printer.path}, keypads 1-{len(counters)} on one KP1 bus")
        done = 0
        try:
            while steps == 0 or done < steps:
                _customer_arrives(engine, printer, rng, say)
                _counter_calls(engine, rng, say)
                _customers_rate(keypads, counters, rng, say)
                done += 1
                time.sleep(pace_s)
        except KeyboardInterrupt:
            say("stopping")
        _customers_rate(keypads, counters, rng, say, wait_s=3.0)
    _summary(engine, say)
    return 0


def _customer_arrives(engine: Engine, printer: FakePrinter, rng: random.Random,
                      say: Callable[[str], None]) -> None:
    with unit_of_work(engine, write=True) as session:
        try:
            number = Lobby(session).take(rng.choice(SERVICES),
                                         "care" if rng.random() < 0.1 else "normal").number
        except RuleRefused as exc:
            say(f"取号被拒 refused: {exc.bilingual()}")
            return
    with unit_of_work(engine) as session:
        lobby = Lobby(session)
        view = lobby.ticket_view(lobby.ticket(number))
        document = ticket_document(session, number, lobby)
    wait = f"{view['wait_min'][0]}-{view['wait_min'][1]} min" if view["wait_min"] else "-"
    printed_before = len(printer.jobs)
    job_id, run = print_document(engine, document)
    printed = printer.wait_for(lambda p: len(p.jobs) > printed_before, timeout=5)
    outcome = "printed" if job_id in run.printed and printed else \
        f"print queued ({run.error.en if run.error else 'not confirmed'})"
    say(f"取号 {number} {view['service_name_zh']} ({view['priority']}), "
        f"{view['ahead']} ahead, wait {wait} - {outcome}")


def _counter_calls(engine: Engine, rng: random.Random, say: Callable[[str], None]) -> None:
    with unit_of_work(engine, write=True) as session:
        lobby = Lobby(session)
        counter = rng.choice(lobby.counters())
        ticket = lobby.call_next(counter.number)
        if ticket is not None:
            say(f"叫号 {ticket.number} -> counter {counter.number}")


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


def _summary(engine: Engine, say: Callable[[str], None]) -> None:
    with unit_of_work(engine) as session:
        branch = load_branch(session)
        lobby = Lobby(session)
        snap = lobby.snapshot()
        report = rating_report(session, branch, lobby.today, lobby.today)
    for s in snap["services"]:
        say(f"  {s['prefix']} {s['name_zh']:<8} waiting {s['waiting']}")
    rate = report["satisfaction_rate"]
    say(f"  ratings today: {report['given']} given, satisfaction "
        f"{'-' if rate is None else f'{rate:.0%}'}")
