"""The catalogue as data: validation rules with their lines, versions in the database,
old checks read against the version they used."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from kiosk.claims.catalogue import line_of, parse_catalogue, shipped_text
from kiosk.claims.catalogue_versions import active_catalogue, store_catalogue
from kiosk.claims.records import find_check, record_check
from kiosk.claims.views import check_view
from kiosk.db import unit_of_work
from kiosk.errors import ConfigError, RuleRefused
from kiosk.models import ClaimCatalogueVersion
from tests.conftest import MONDAY_10AM

SMALL = """\
version = "t1"

[documents.FORM]
name_zh = "申请书"
name_en = "Form"
original = "O"
hint_zh = "柜台领取"
hint_en = "At the counter"

[documents.ID]
name_zh = "身份证"
name_en = "ID"
original = "O*"
hint_zh = "本人身份证"
hint_en = "Your ID card"

[questions.by_agent]
text_zh = "代办？"
text_en = "By an agent?"

[types.simple]
name_zh = "简单"
name_en = "Simple"
documents = ["FORM"]

[types.simple.questions]
by_agent = ["ID"]
"""


def rejects(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_catalogue(text, "cat.toml")
    assert "cat.toml" in caught.value.en
    assert "cat.toml" in caught.value.zh
    return caught.value


def test_small_catalogue_with_list_shorthand_is_valid() -> None:
    catalogue = parse_catalogue(SMALL, "cat.toml")
    assert catalogue.types["simple"].questions["by_agent"].adds == ("ID",)


@pytest.mark.parametrize(("old", "new", "line", "problem"), [
    ('version = "t1"', 'version = ""', 1, "version"),
    ('original = "O*"', 'original = "original"', 13, "original mark"),
    ('name_en = "Simple"\n', 'name_en = "Simple"\ncolour = "red"\n', 24, "unknown key 'colour'"),
    ('documents = ["FORM"]', 'documents = []', 24, "must not be empty"),
    ('documents = ["FORM"]', 'documents = ["FORM", "FORM"]', 24, "listed twice"),
    ('by_agent = ["ID"]', 'by_agent = { drops = ["ID"] }', 27, "not a base document"),
    ('by_agent = ["ID"]', 'by_agent = { adds = [] }', 27, "changes nothing"),
    ('by_agent = ["ID"]', 'theft = ["ID"]', 27, "unknown question code 'theft'"),
    ("[types.simple]", "[types.Simple]", 21, "lower_case"),
    ("[documents.ID]", "[documents.id]", 10, "UPPER_CASE"),
])
def test_each_rule_names_its_line(old: str, new: str, line: int, problem: str) -> None:
    assert old in SMALL
    error = rejects(SMALL.replace(old, new))
    assert f"line {line}:" in error.en
    assert f"第 {line} 行" in error.zh
    assert problem in error.en


def test_line_of_finds_dotted_keys_under_an_enclosing_table() -> None:
    text = '[types]\nsimple.name_zh = "x"\nsimple.documents = ["FORM", "NOPE"]\n'
    assert line_of(text, ("types", "simple"), "documents", "NOPE") == 3
    assert line_of(text, ("types", "other"), "documents") == 1  # the nearest table


def test_store_is_idempotent_for_the_version_in_use_and_refuses_reuse(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        store_catalogue(session, "BR0001", SMALL, "small.toml", MONDAY_10AM)
        store_catalogue(session, "BR0001", SMALL, "small.toml", MONDAY_10AM)
        rows = session.scalar(select(func.count()).select_from(ClaimCatalogueVersion))
        assert rows == 2  # the shipped version first, then t1 once
        assert active_catalogue(session, "BR0001").version == "t1"
        # Going back to the shipped text needs a new version name.
        with pytest.raises(RuleRefused, match="new version"):
            store_catalogue(session, "BR0001", shipped_text(), "back.toml", MONDAY_10AM)


def test_an_old_check_is_shown_against_the_version_it_used(engine: Engine) -> None:
    with unit_of_work(engine, write=True) as session:
        reference = record_check(session, "outpatient", {}, ["CLAIM_FORM"],
                                 now=MONDAY_10AM).reference
        renamed = shipped_text().replace('version = "2026.1"', 'version = "2026.2"').replace(
            'name_en = "Claim application form"', 'name_en = "Claim form (new wording)"')
        store_catalogue(session, "BR0001", renamed, "renamed.toml", MONDAY_10AM)
    with unit_of_work(engine) as session:
        view = check_view(session, find_check(session, reference))
        fresh = record_check(session, "outpatient", {}, ["CLAIM_FORM"], now=MONDAY_10AM)
        new_view = check_view(session, fresh)
    assert view["catalogue_version"] == "2026.1"
    assert view["documents"][0]["name_en"] == "Claim application form"
    assert new_view["catalogue_version"] == "2026.2"
    assert new_view["documents"][0]["name_en"] == "Claim form (new wording)"
