"""Demo mode runs end to end with the simulated printer and keypads: the first of the
README's two commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

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
