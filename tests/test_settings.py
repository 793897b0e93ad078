"""Branch settings: seeding, TOML export/import, and malformed files rejected whole."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kiosk.branch.info import load_branch
from kiosk.branch.settings import apply_config, dump_toml, export_document, load_toml, parse_config
from kiosk.db import make_engine, unit_of_work
from kiosk.errors import ConfigError
from kiosk.migrate import ensure_ready
from kiosk.models import Branch, Counter, Service


def export_text(engine: Engine) -> str:
    with unit_of_work(engine) as session:
        return dump_toml(export_document(session, load_branch(session).id))


def test_init_is_idempotent_and_seeds_once(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    assert ensure_ready(engine) is True
    assert ensure_ready(engine) is False
    with unit_of_work(engine) as session:
        assert session.scalar(select(func.count()).select_from(Branch)) == 1
        assert session.scalar(select(func.count()).select_from(Service)) == 7
        counters = session.scalars(select(Counter)).all()
    assert [c.number for c in counters] == [1, 2, 3, 4, 5, 6]
    assert {c.status for c in counters} == {"closed"}
    engine.dispose()


def test_default_services_carry_the_domain_codes_and_prefixes(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        pairs = {(s.code, s.prefix) for s in session.scalars(select(Service))}
    assert pairs == {("enquiry", "A"), ("new_business", "B"), ("policy_change", "C"),
                     ("claims", "D"), ("payments", "E"), ("complaints", "F"), ("vip", "V")}


def test_export_then_import_round_trips(any_engine: Engine, tmp_path: Path) -> None:
    first = export_text(any_engine)
    doc = tomllib.loads(first)
    doc["branch"]["hotline"] = "95511"
    doc["hours"]["sat"] = "09:00-15:00"
    doc["calendar"]["holidays"].append(date(2027, 1, 1))
    doc["counters"][3]["services"] = ["claims", "enquiry"]
    edited = tmp_path / "edited.toml"
    edited.write_text(dump_toml(doc), encoding="utf-8")
    with unit_of_work(any_engine, write=True) as session:
        apply_config(session, load_toml(edited))
    again = tomllib.loads(export_text(any_engine))
    assert again == doc
    with unit_of_work(any_engine) as session:
        branch = load_branch(session)
    assert branch.hotline == "95511"
    assert not branch.is_working_day(date(2027, 1, 1))


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[branch]\nid = "X"\nname_zh = "网点\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_toml(bad)
    assert str(bad) in info.value.en
    assert "line 3" in info.value.en


@pytest.mark.parametrize(("edit", "where"), [
    (lambda d: d["hours"].update(mon="17:30-08:30"), "hours.mon"),
    (lambda d: d["branch"].update(timezone="Mars/Base"), "branch.timezone"),
    (lambda d: d["services"][0].update(daily_cap=5000), "services[0].daily_cap"),
    (lambda d: d["services"][1].update(prefix="A"), "services[1]"),
    (lambda d: d["counters"][0].update(services=["mortgage"]), "counters[0]"),
    (lambda d: d["settings"].update(rating_scale=7), "settings.rating_scale"),
    (lambda d: d["settings"].update(recall_limit="two"), "settings.recall_limit"),
    (lambda d: d["calendar"].update(holidays=["2026-10-01"], workdays=["2026-10-01"]),
     "calendar"),
])
def test_semantic_errors_name_the_field(engine: Engine, edit, where: str) -> None:  # type: ignore[no-untyped-def]
    doc = tomllib.loads(export_text(engine))
    edit(doc)
    with pytest.raises(ConfigError) as info:
        parse_config(dump_toml(doc), "edited.toml")
    assert f"edited.toml: {where}" in info.value.en


def test_rejected_import_leaves_the_database_unchanged(engine: Engine) -> None:
    before = export_text(engine)
    doc = tomllib.loads(before)
    doc["branch"]["name_zh"] = "改名"
    doc["counters"].append({"number": 7, "services": ["claims", "nope"]})
    with pytest.raises(ConfigError):
        parse_config(dump_toml(doc), "x.toml")
    assert export_text(engine) == before


def test_removing_an_open_counter_rolls_back_the_whole_import(engine: Engine) -> None:
    from kiosk.queue.lobby import Lobby
    from tests.conftest import MONDAY_10AM

    with unit_of_work(engine, write=True) as session:
        Lobby(session, now=MONDAY_10AM).open_counter(6, "S6")
    before = export_text(engine)
    doc = tomllib.loads(before)
    doc["branch"]["name_en"] = "Renamed"
    doc["counters"] = [c for c in doc["counters"] if c["number"] != 6]
    config = parse_config(dump_toml(doc), "x.toml")
    with pytest.raises(ConfigError), unit_of_work(engine, write=True) as session:
        apply_config(session, config)
    assert export_text(engine) == before


def test_cached_branch_settings_follow_an_import_made_by_another_process(
        any_engine: Engine, tmp_path: Path) -> None:
    import subprocess
    import sys

    with unit_of_work(any_engine) as session:
        assert load_branch(session).hotline == "95500"  # now cached in this process
    doc = tomllib.loads(export_text(any_engine))
    doc["branch"]["hotline"] = "95522"
    edited = tmp_path / "edited.toml"
    edited.write_text(dump_toml(doc), encoding="utf-8")
    url = any_engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-m", "kiosk", "--db", url, "settings", "import",
                    str(edited)], check=True, capture_output=True, timeout=60)
    with unit_of_work(any_engine) as session:
        assert load_branch(session).hotline == "95522"


@pytest.mark.parametrize(("edit", "where"), [
    (lambda d: d.update(hours="08:30-17:30"), "hours"),
    (lambda d: d.update(settings=5), "settings"),
    (lambda d: d.update(calendar={"holidays": 5}), "calendar.holidays"),
    (lambda d: d.update(calendar=["2026-01-01"]), "calendar"),
    (lambda d: d.update(services={"code": "claims"}), "services"),
    (lambda d: d.update(services=["code"]), "services[0]"),
    (lambda d: d.update(counters=[5]), "counters[0]"),
    (lambda d: d["services"][0].update(enabled="no"), "services[0].enabled"),
    (lambda d: d["settings"].update(recall_limit=-1), "settings.recall_limit"),
    (lambda d: d["settings"].update(ticket_notice_zh=[1, 2]), "settings.ticket_notice_zh"),
])
def test_wrongly_shaped_values_are_config_errors_naming_the_field(  # type: ignore[no-untyped-def]
        engine: Engine, edit, where: str) -> None:
    doc = tomllib.loads(export_text(engine))
    edit(doc)
    with pytest.raises(ConfigError) as info:
        parse_config(dump_toml(doc), "edited.toml")
    assert f"edited.toml: {where}" in info.value.en
    assert "edited.toml：" in info.value.zh


def test_a_file_that_is_not_utf8_text_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "branch.toml"
    bad.write_bytes(b"\xff\xfe[branch]\n")
    with pytest.raises(ConfigError) as info:
        load_toml(bad)
    assert str(bad) in info.value.en
    assert "UTF-8" in info.value.en
