"""A station asking for the daily purge, for the race test:

    python -m tests.purge_worker URL STATION NOW GO_FILE

prints ``ran`` or ``skipped`` after its unit of work committed."""

from __future__ import annotations

import sys

from kiosk import clock
from kiosk.branch.info import load_branch
from kiosk.db import make_engine, unit_of_work
from kiosk.privacy.retention import purge_once_today
from tests.workers import wait_for


def main(argv: list[str]) -> int:
    url, station, now, go = argv[0], argv[1], clock.parse_instant(argv[2]), argv[3]
    engine = make_engine(url)
    wait_for(go)
    with unit_of_work(engine, write=True) as session:
        report = purge_once_today(session, load_branch(session), now, station)
    print("ran" if report is not None else "skipped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
