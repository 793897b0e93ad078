"""``kiosk demo``: a lobby that runs by itself, for showing the product without
hardware. It uses its own SQLite file unless ``--db`` names another, opens the branch
every day round the clock (a demo must work on a Sunday evening too), opens the
counters with staff, and lets simulated customers arrive and be served, printing the
queue board as it goes."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import time as clock_time
from typing import TYPE_CHECKING

from kiosk.db import unit_of_work
from kiosk.errors import RuleRefused
from kiosk.queue import Lobby
from kiosk.settings import apply_config, default_config

if TYPE_CHECKING:
    from kiosk.cli import Context

ROUND_THE_CLOCK = (clock_time(0, 0), clock_time(23, 59, 59))


def run_demo(ctx: Context, steps: int = 0, pace_s: float = 1.0, seed: int = 7) -> int:
    """Simulate customers and counters; ``steps`` customers (0 = until Ctrl-C)."""
    config = default_config()
    config = replace(config, hours=dict.fromkeys(range(7), ROUND_THE_CLOCK),
                     holidays=frozenset(), workdays=frozenset())
    engine = ctx.engine
    with unit_of_work(engine, write=True) as session:
        apply_config(session, config)
        lobby = Lobby(session)
        for counter in lobby.counters():
            if counter.status != "open":
                lobby.open_counter(counter.number, f"S{counter.number:02d}")
    rng = random.Random(seed)
    codes = ["enquiry", "claims", "payments", "policy_change", "new_business", "complaints"]
    done = 0
    print("Lobby Kiosk demo — Ctrl-C to stop", flush=True)
    while steps == 0 or done < steps:
        with unit_of_work(engine, write=True) as session:
            lobby = Lobby(session)
            try:
                ticket = lobby.take(rng.choice(codes),
                                    "care" if rng.random() < 0.1 else "normal")
                estimate = lobby.wait_estimate(ticket)
                wait = f"{estimate.minutes[0]}-{estimate.minutes[1]} min" \
                    if estimate.minutes else "-"
                print(f"取号 ticket {ticket.number} ({ticket.service_code}, {ticket.priority}) "
                      f"ahead {estimate.ahead}, wait {wait}", flush=True)
            except RuleRefused as exc:
                print(f"refused: {exc.bilingual()}", flush=True)
            counter = rng.choice(lobby.counters())
            called = lobby.call_next(counter.number)
            if called is not None:
                print(f"叫号 {called.number} → counter {counter.number}", flush=True)
        done += 1
        if steps == 0:
            time.sleep(pace_s)
    with unit_of_work(engine) as session:
        snap = Lobby(session).snapshot()
    for s in snap["services"]:
        print(f"  {s['prefix']} {s['name_zh']:<8} waiting {s['waiting']}", flush=True)
    return 0
