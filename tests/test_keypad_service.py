"""End to end: the keypad service on a real pty with fake keypads, a real database,
the queue engine finishing tickets and keys driving counters."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, func, select

from kiosk.branch.settings import apply_config
from kiosk.db import unit_of_work
from kiosk.devices.keypad_ports import configure_port, keypad_status
from kiosk.devices.keypads import KeypadService
from kiosk.models import KeypadEvent, Rating, RatingRequest, Ticket
from kiosk.queue.lobby import Lobby
from printers.kp1 import codec as kp1
from printers.simulators.keypad_bus import FakeKeypadBus
from tests.conftest import open_all_hours
from tests.keypad_support import no_thread_left, wait_until

__all__ = ["no_thread_left"]


@pytest.fixture
def branch(any_engine: Engine) -> Engine:
    """A branch (SQLite, then PostgreSQL) open round the clock; counters 1 and 2 open
    with staff."""
    engine = any_engine
    with unit_of_work(engine, write=True) as session:
        apply_config(session, open_all_hours())
        lobby = Lobby(session)
        lobby.open_counter(1, "S01")
        lobby.open_counter(2, "S02")
    return engine


@contextmanager
def running_lobby(engine: Engine, timeout_s: int = 30) -> Iterator[tuple[FakeKeypadBus,
                                                                        KeypadService]]:
    """Fake keypads 1 and 2 at counters 1 and 2, and the keypad service running."""
    bus = FakeKeypadBus([1, 2])
    path = bus.start()
    try:
        with unit_of_work(engine, write=True) as session:
            configure_port(session, path, {1: 1, 2: 2}, rating_timeout_s=timeout_s)
        service = KeypadService(engine, cycle_s=0.02)
        service.start()
        try:
            yield bus, service
        finally:
            service.stop()
    finally:
        bus.stop()


@pytest.fixture
def lobby(branch: Engine, no_thread_left: None) -> Iterator[tuple[FakeKeypadBus, KeypadService]]:
    with running_lobby(branch) as running:
        yield running


def act(engine: Engine, fn: str, *args: object) -> Ticket | None:
    with unit_of_work(engine, write=True) as session:
        result: Ticket | None = getattr(Lobby(session), fn)(*args)
        return result


def ratings_of(engine: Engine) -> list[Rating]:
    with unit_of_work(engine) as session:
        return list(session.scalars(select(Rating).order_by(Rating.id)))


def serve_one(engine: Engine, counter: int, service: str = "enquiry") -> Ticket:
    act(engine, "take", service)
    ticket = act(engine, "call_next", counter)
    assert ticket is not None
    act(engine, "finish", counter)
    return ticket


def waiting_session(bus: FakeKeypadBus, address: int) -> int:
    wait_until(lambda: bus.state(address)["state"] == kp1.KeypadState.WAITING)
    return bus.state(address)["session"]


def test_finishing_a_ticket_asks_its_keypad_and_stores_the_rating(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    ticket = serve_one(branch, 1)
    session_id = waiting_session(bus, 1)
    assert bus.state(1)["prompt"] == kp1.Prompt.PLEASE_RATE
    assert bus.state(2)["state"] == kp1.KeypadState.IDLE  # the other counter's keypad
    bus.press(1, 0x01)
    wait_until(lambda: ratings_of(branch))
    (rating,) = ratings_of(branch)
    assert (rating.ticket_id, rating.counter_number, rating.staff, rating.value) == \
        (ticket.id, 1, "S01", "very_satisfied")
    assert rating.solicited
    assert rating.source == "keypad"
    with unit_of_work(branch) as session:
        request = session.get(RatingRequest, session_id)
        assert request is not None
        assert (request.ticket_id, request.status) == (ticket.id, "rated")


def test_call_next_finishing_the_previous_customer_asks_for_that_customers_rating(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    act(branch, "take", "new_business")
    act(branch, "take", "new_business")
    first = act(branch, "call_next", 2)
    act(branch, "call_next", 2, "S02")  # finishes `first`
    waiting_session(bus, 2)
    bus.press(2, 0x04)
    wait_until(lambda: ratings_of(branch))
    (rating,) = ratings_of(branch)
    assert first is not None
    assert (rating.ticket_id, rating.value, rating.staff) == (first.id, "dissatisfied", "S02")


def test_a_rating_for_a_request_whose_replies_were_all_lost_is_still_stored(
        branch: Engine, no_thread_left: None) -> None:
    """REQUEST_RATING reached the keypad but its three replies were lost: the host
    counts it failed, yet the keypad asks the customer; that answer must count."""
    bus = FakeKeypadBus([1, 2])
    path = bus.start()
    try:
        with unit_of_work(branch, write=True) as session:
            configure_port(session, path, {1: 1, 2: 2})
        service = KeypadService(branch)  # not started: cycled by hand
        (master,) = service.masters
        try:
            master.cycle()
            ticket = serve_one(branch, 1)
            assert master.after_cycle is not None
            master.after_cycle()  # the sweep queues REQUEST_RATING for keypad 1
            bus.corrupt(1, replies=3)
            master.cycle()
            with unit_of_work(branch) as session:
                (request,) = session.scalars(select(RatingRequest)).all()
                assert request.status == "failed"  # the host saw no reply
            assert bus.state(1)["session"] == request.id  # yet the keypad asks
            bus.press(1, 0x02)
            master.cycle()
        finally:
            master.line.close()
    finally:
        bus.stop()
    (rating,) = ratings_of(branch)
    assert (rating.ticket_id, rating.value, rating.staff) == (ticket.id, "satisfied", "S01")


def test_a_request_left_unanswered_is_stored_as_not_rated(
        branch: Engine, no_thread_left: None) -> None:
    with running_lobby(branch, timeout_s=1) as (bus, _service):
        ticket = serve_one(branch, 1)
        waiting_session(bus, 1)
        wait_until(lambda: ratings_of(branch), timeout=5)
        (rating,) = ratings_of(branch)
        assert (rating.ticket_id, rating.value) == (ticket.id, "none")
        bus.press(1, 0x01)  # too late: the keypad is idle, so this one is unsolicited
        wait_until(lambda: len(ratings_of(branch)) == 2)
        assert ratings_of(branch)[1].ticket_id is None


def test_a_rating_nobody_asked_for_is_unsolicited_with_counter_and_staff(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    bus.press(2, 0x02)
    wait_until(lambda: ratings_of(branch))
    (rating,) = ratings_of(branch)
    assert (rating.ticket_id, rating.counter_number, rating.staff, rating.value,
            rating.solicited) == (None, 2, "S02", "satisfied", False)


def test_function_keys_run_the_counter(branch: Engine,
                                       lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    act(branch, "take", "payments")

    def ticket_status() -> tuple[str, int]:
        with unit_of_work(branch) as session:
            ticket = Lobby(session).ticket("E001")
            return ticket.status, ticket.recalls

    bus.press(1, kp1.KEY_CALL_NEXT)
    wait_until(lambda: ticket_status() == ("called", 0))
    bus.press(1, kp1.KEY_RECALL)
    wait_until(lambda: ticket_status() == ("called", 1))
    bus.press(1, kp1.KEY_FINISH)
    wait_until(lambda: ticket_status()[0] == "done")
    # finishing from the keypad asks the same keypad for a rating
    waiting_session(bus, 1)


def test_pause_key_obeys_the_pause_rule_and_the_bus_carries_on(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby

    def counter_status(number: int) -> str:
        with unit_of_work(branch) as session:
            return Lobby(session).counter(number).status

    def refusals() -> list[str]:
        with unit_of_work(branch) as session:
            return list(session.scalars(select(KeypadEvent.detail).where(
                KeypadEvent.kind == "refused")))

    # counter 1 is the only open counter for payments: pausing needs a supervisor
    bus.press(1, kp1.KEY_PAUSE_RESUME)
    wait_until(refusals)
    assert "supervisor" in refusals()[0]
    assert counter_status(1) == "open"
    # once counter 2 serves only enquiries, which counter 1 also serves, it may pause
    act(branch, "set_services", 2, ["enquiry"])
    bus.press(2, kp1.KEY_PAUSE_RESUME)
    wait_until(lambda: counter_status(2) == "paused")
    bus.press(2, kp1.KEY_PAUSE_RESUME)
    wait_until(lambda: counter_status(2) == "open")
    bus.press(1, 0x03)  # and ratings still flow after the refusal
    wait_until(lambda: ratings_of(branch))


def test_faults_on_the_line_never_make_a_rating_and_lost_acks_store_once(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    wait_until(lambda: all(s["online"] for s in status(branch)))
    bus.garbage(kp1.parse_hex("A5 01 84 07 09 01 00 07 00 00 00 01 00 00 FF FF"))
    bus.corrupt(1, replies=4)
    bus.busy(2, replies=2)
    bus.garbage(bytes(range(256)))
    bus.deafen(1, frames=3, command=kp1.Command.ACK_EVENT)
    bus.press(1, 0x02)
    wait_until(lambda: ratings_of(branch))
    wait_until(lambda: bus.state(1)["pending"] == 0)
    bus.press(2, 0x10)  # a marker: once it is handled, the earlier redelivery was too
    wait_until(lambda: key_events(branch, 2))
    assert len(ratings_of(branch)) == 1
    assert len(key_events(branch, 1)) == 1


def status(engine: Engine) -> list[dict[str, object]]:
    with unit_of_work(engine) as session:
        return keypad_status(session)


def key_events(engine: Engine, address: int) -> list[KeypadEvent]:
    with unit_of_work(engine) as session:
        return list(session.scalars(select(KeypadEvent).where(
            KeypadEvent.address == address, KeypadEvent.kind.in_(("key", "refused")))
            .order_by(KeypadEvent.id)))


def test_offline_restart_and_back_online_are_recorded(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    wait_until(lambda: all(s["online"] for s in status(branch)))
    bus.deafen(2, frames=10_000)
    wait_until(lambda: status(branch)[1]["online"] is False)
    bus.restart(2)
    bus.deafen(2, frames=0)
    expected = ["online", "restarted", "offline", "back_online", "restarted"]

    def kinds() -> list[str]:
        with unit_of_work(branch) as session:
            return list(session.scalars(select(KeypadEvent.kind).where(
                KeypadEvent.address == 2).order_by(KeypadEvent.id)))

    wait_until(lambda: kinds() == expected)
    assert status(branch)[1]["online"] is True
    assert status(branch)[1]["restarts"] == 2


def test_a_restarted_host_does_not_store_a_redelivered_event_twice(
        branch: Engine, no_thread_left: None) -> None:
    with running_lobby(branch) as (bus, service):
        wait_until(lambda: all(s["online"] for s in status(branch)))
        bus.deafen(1, frames=10_000, command=kp1.Command.ACK_EVENT)
        bus.press(1, 0x03)
        wait_until(lambda: ratings_of(branch))
        service.stop()
        bus.deafen(1, frames=0)
        again = KeypadService(branch, cycle_s=0.02)  # a new host process, same keypads
        again.start()
        try:
            wait_until(lambda: bus.state(1)["pending"] == 0)
        finally:
            again.stop()
        assert len(ratings_of(branch)) == 1
        with unit_of_work(branch) as session:
            assert session.scalar(select(func.count()).select_from(KeypadEvent).where(
                KeypadEvent.kind == "key")) == 1


def test_key_presses_after_a_restart_whose_poll_reply_was_lost_all_act(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    for _ in range(6):
        act(branch, "take", "enquiry")

    def called() -> list[str]:
        with unit_of_work(branch) as session:
            return list(session.scalars(select(Ticket.issue_service + ":" + Ticket.status)
                                        .where(Ticket.status != "waiting")))

    for _ in range(3):
        bus.press(1, kp1.KEY_CALL_NEXT, ago_s=5.0)  # events 1, 2, 3
    wait_until(lambda: len(key_events(branch, 1)) == 3)
    # ...and acknowledged: an event is stored before its ACK goes out, and a late ACK
    # of event 3 would take the new boot's event 3 off the keypad.
    wait_until(lambda: bus.state(1)["pending"] == 0)
    bus.restart(1, lost_polls=3)  # the POLL reply with the restart flag never arrives
    for _ in range(3):
        bus.press(1, kp1.KEY_CALL_NEXT)  # events 1, 2, 3 of the new boot
    wait_until(lambda: len(key_events(branch, 1)) == 6)
    assert sorted(called()) == ["enquiry:called"] + ["enquiry:done"] * 5
    assert [e.event_id for e in key_events(branch, 1)] == [1, 2, 3, 1, 2, 3]
    assert status(branch)[0]["restarts"] == 2


def test_a_keypad_moved_to_another_counter_acts_there_without_a_restart(
        branch: Engine, no_thread_left: None) -> None:
    bus = FakeKeypadBus([1, 2])
    path = bus.start()
    try:
        with unit_of_work(branch, write=True) as session:
            configure_port(session, path, {1: 1, 2: 2})
        service = KeypadService(branch, cycle_s=0.02, config_check_s=0.05)
        service.start()
        try:
            act(branch, "take", "new_business")  # served by counter 2, not by counter 1
            with unit_of_work(branch, write=True) as session:
                configure_port(session, path, {1: 2})  # keypad 1 now sits at counter 2
            wait_until(lambda: service.configs[0].counters == {1: 2})
            bus.press(1, kp1.KEY_CALL_NEXT)

            def called_at() -> int | None:
                with unit_of_work(branch) as session:
                    ticket = Lobby(session).ticket("B001")
                    return ticket.counter_number if ticket.status == "called" else None

            wait_until(lambda: called_at() == 2)
        finally:
            service.stop()
    finally:
        bus.stop()


def test_a_keypad_busy_for_many_cycles_leaves_one_fault_row_not_one_per_cycle(
        branch: Engine, lobby: tuple[FakeKeypadBus, KeypadService]) -> None:
    bus, _ = lobby
    wait_until(lambda: all(s["online"] for s in status(branch)))
    bus.busy(2, replies=30)
    bus.press(2, 0x02)  # stored once keypad 2 answers again, after the busy replies
    wait_until(lambda: key_events(branch, 2), timeout=15)
    with unit_of_work(branch) as session:
        naks = session.scalars(select(KeypadEvent).where(
            KeypadEvent.address == 2, KeypadEvent.kind == "nak")).all()
    assert len(naks) == 1
