"""Demo mode runs end to end with the simulated printer and keypads: the first of the
README's two commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select

from kiosk.db import make_engine, unit_of_work
from kiosk.models import PrintJob, Ticket


def test_demo_prints_every_ticket_through_the_fake_printer(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    env.pop("KIOSK_DB_URL", None)
    result = subprocess.run([sys.executable, "-m", "kiosk", "demo", "--steps", "4"],
                            capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    taken = [line for line in result.stdout.splitlines() if line.startswith("取号 ")]
    assert len(taken) == 4
    assert all(line.endswith("- printed") for line in taken)
    assert "ratings today" in result.stdout
    demo_db = tmp_path / "lobby-kiosk" / "demo.db"
    assert demo_db.exists()
    assert not (tmp_path / "lobby-kiosk" / "kiosk.db").exists()
    engine = make_engine(f"sqlite:///{demo_db}")
    with unit_of_work(engine) as session:
        tickets = session.scalar(select(func.count()).select_from(Ticket))
        done = session.scalar(select(func.count()).select_from(PrintJob).where(
            PrintJob.state == "done"))
    engine.dispose()
    assert tickets == 4
    assert done == 4



def test_leaving_the_simulated_devices_stores_the_last_key_press_first(engine: Engine) -> None:
    """The demo shows a key press at once, but the keypad service stores it only when
    it next gets through to that keypad. Here the keypad misses the next two polls
    after the press: leaving the devices must wait for the press to be stored before
    it stops the service (it used to stop at once and lose it)."""
    from kiosk.branch.settings import apply_config
    from kiosk.demo import simulated_devices
    from kiosk.feedback.ratings import RATING_KEYS
    from kiosk.models import Rating
    from kiosk.queue.lobby import Lobby
    from tests.conftest import MONDAY_10AM, open_all_hours
    from tests.keypad_support import wait_until

    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
        Lobby(session, now=MONDAY_10AM).open_counter(1, "S01")
    from kiosk.app import AppContext

    with simulated_devices(AppContext(engine, "K1"), [1]) as (_printer, keypads):
        wait_until(lambda: keypads.state(1)["flags"] == 0)  # polled: its restart is seen
        keypads.deafen(1, 2)
        keypads.press(1, RATING_KEYS["satisfied"])
    with unit_of_work(engine) as session:
        stored = [(r.counter_number, r.value, r.solicited)
                  for r in session.scalars(select(Rating))]
    assert stored == [(1, "satisfied", False)]
