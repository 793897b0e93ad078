from sqlalchemy import Engine

from kiosk.db import unit_of_work
from kiosk.queue.lobby import Lobby
from tests.conftest import MONDAY_10AM


def test_each_backend_issues_the_first_number_of_the_day(any_engine: Engine) -> None:
    with unit_of_work(any_engine, write=True) as session:
        ticket = Lobby(session, now=MONDAY_10AM).take("claims")
    assert ticket.number == "D001"
    assert ticket.status == "waiting"
