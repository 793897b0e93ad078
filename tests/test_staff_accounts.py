"""Staff accounts in the core: PIN format and hash, the lockout rule, roles and
permissions (kiosk.staff)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from kiosk.branch.info import load_branch
from kiosk.db import unit_of_work
from kiosk.errors import NotFound, UsageError
from kiosk.models import StaffMember
from kiosk.staff import accounts
from kiosk.staff.permissions import NotPermitted, Permission, StaffSession
from kiosk.staff.pins import check_pin_format, hash_pin, verify_pin
from tests.conftest import MONDAY_10AM


def test_a_pin_is_kept_only_as_a_salted_scrypt_hash() -> None:
    first, second = hash_pin("2580"), hash_pin("2580")
    assert first.startswith("scrypt$")
    assert "2580" not in first
    assert first != second  # salted: equal PINs do not look equal
    assert verify_pin("2580", first)
    assert verify_pin("2580", second)
    assert not verify_pin("2581", first)
    assert not verify_pin("2580", "not a hash")
    assert not verify_pin("2580", "")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "２５８０", "0000", "1234", "9876",
                                 " 2580"])
def test_pins_that_are_malformed_or_guessed_first_are_refused(pin: str) -> None:
    with pytest.raises(UsageError) as refused:
        check_pin_format(pin)
    assert refused.value.code in ("bad_pin", "weak_pin")
    assert refused.value.zh
    assert refused.value.en


@pytest.mark.parametrize("pin", ["2580", "13572468", "9021"])
def test_ordinary_pins_are_accepted(pin: str) -> None:
    check_pin_format(pin)


def test_adding_an_account_validates_and_refuses_a_second_with_the_same_number(
        engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        bid = load_branch(session).id
        accounts.add_member(session, bid, "S0401", "王小明", "counter", "2580", MONDAY_10AM)
        for number, name, role, code in [("S0401", "李雷", "counter", "duplicate_staff"),
                                         ("", "李雷", "counter", "bad_number"),
                                         ("S 1", "李雷", "counter", "bad_number"),
                                         ("S0402", "", "counter", "bad_name"),
                                         ("S0402", "李雷", "boss", "bad_role")]:
            with pytest.raises(UsageError) as refused:
                accounts.add_member(session, bid, number, name, role, "2580", MONDAY_10AM)
            assert refused.value.code == code
        with pytest.raises(NotFound):
            accounts.get_member(session, bid, "S9999")
    with unit_of_work(engine) as session:
        rows = session.scalars(select(StaffMember)).all()
    assert [(r.number, r.name, r.role, r.enabled) for r in rows] == [
        ("S0401", "王小明", "counter", True)]


def test_five_wrong_pins_lock_for_five_minutes_and_a_right_pin_resets_the_count(
        engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session)
        member = accounts.add_member(session, branch.id, "S0401", "王小明", "counter", "2580",
                                     MONDAY_10AM)
        refusals = [accounts.record_pin_result(member, False, branch, MONDAY_10AM)
                    for _ in range(4)]
        assert [r.attempts_left for r in refusals if r] == [4, 3, 2, 1]
        assert accounts.record_pin_result(member, True, branch, MONDAY_10AM) is None
        assert member.failed_pins == 0
        for _ in range(4):
            accounts.record_pin_result(member, False, branch, MONDAY_10AM)
        lock = accounts.record_pin_result(member, False, branch, MONDAY_10AM)
        assert lock is not None
        assert lock.code == "locked"
        assert lock.locked_until == MONDAY_10AM + timedelta(minutes=5)
        assert "10:05" in lock.zh
        assert "10:05" in lock.en
        # While locked even the right PIN is refused, and the gate refuses before hashing.
        later = MONDAY_10AM + timedelta(minutes=4, seconds=59)
        still = accounts.record_pin_result(member, True, branch, later)
        assert still is not None
        assert still.code == "locked"
        with pytest.raises(accounts.LoginRefused):
            accounts.login_gate(member, branch, later)
        after = MONDAY_10AM + timedelta(minutes=5)
        accounts.login_gate(member, branch, after)
        assert accounts.record_pin_result(member, True, branch, after) is None


def test_a_disabled_account_is_refused_and_a_new_pin_lifts_a_lockout(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session)
        member = accounts.add_member(session, branch.id, "S0401", "王小明", "counter", "2580",
                                     MONDAY_10AM)
        for _ in range(5):
            accounts.record_pin_result(member, False, branch, MONDAY_10AM)
        accounts.set_pin(member, "3691", MONDAY_10AM)
        accounts.login_gate(member, branch, MONDAY_10AM)
        assert verify_pin("3691", member.pin_hash)
        assert not verify_pin("2580", member.pin_hash)
        accounts.set_enabled(member, False, MONDAY_10AM)
        with pytest.raises(accounts.LoginRefused) as refused:
            accounts.login_gate(member, branch, MONDAY_10AM)
        assert refused.value.code == "disabled"
        assert member.disabled_at == MONDAY_10AM


def test_a_photo_must_be_png_or_jpeg(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        branch = load_branch(session)
        member = accounts.add_member(session, branch.id, "S0401", "王小明", "counter", "2580",
                                     MONDAY_10AM)
        accounts.set_photo(member, b"\x89PNG\r\n\x1a\n" + b"\0" * 20)
        assert member.photo_type == "image/png"
        with pytest.raises(UsageError):
            accounts.set_photo(member, b"GIF89a")
        accounts.set_photo(member, None)
        assert member.photo is None


def session_of(role: str) -> StaffSession:
    return StaffSession("S1", "王小明", role, "K1", MONDAY_10AM)


def test_each_role_may_do_what_its_table_says_and_nothing_else() -> None:
    counter, supervisor, technician = (session_of(r) for r in
                                       ("counter", "supervisor", "technician"))
    assert counter.permissions == {Permission.SERVE}
    assert technician.permissions == {Permission.DEVICES}
    assert supervisor.permissions == set(Permission)
    with pytest.raises(NotPermitted) as refused:
        counter.require(Permission.SETTINGS)
    assert refused.value.code == "not_permitted"
    assert "柜员" in refused.value.zh
    assert "settings" in refused.value.en
    with pytest.raises(NotPermitted):
        technician.require(Permission.SERVE)
    supervisor.require(Permission.REVEAL)
    assert not session_of("retired").permissions
