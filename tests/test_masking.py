"""Masking personal data (kiosk.privacy.masking): the branch's rule for each kind, and
free text with numbers written into it."""

from __future__ import annotations

import pytest

from kiosk.privacy.masking import (
    find_unmasked,
    mask_bank_card,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_text,
)


@pytest.mark.parametrize(("phone", "masked"), [
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138****5678"),
    ("+86 138-1234-5678", "+86 138****5678"),
    ("8613812345678", "86 138****5678"),
    ("010-12345678", "010****5678"),
    ("12345", "***45"),
    ("", ""),
])
def test_a_phone_keeps_its_first_three_and_last_four_digits(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked
    assert not find_unmasked(mask_phone(phone))


@pytest.mark.parametrize(("number", "masked"), [
    ("110101199003071234", "110***********1234"),
    ("11010119900307123X", "110***********123X"),
    ("110101900307123", "110********7123"),
])
def test_an_id_number_hides_the_birth_date(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked
    assert "19900307" not in mask_id_number(number)


@pytest.mark.parametrize(("name", "masked"), [("王小明", "王**"), ("王五", "王*"), ("王", "*"),
                                              ("Li Lei", "L*****"), ("欧阳娜娜", "欧***")])
def test_a_name_keeps_its_first_character(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_a_bank_card_keeps_its_first_and_last_four() -> None:
    assert mask_bank_card("6222021234567890123") == "6222***********0123"
    assert mask_bank_card("6222 0212 3456 7890") == "6222********7890"


def test_numbers_written_into_free_text_are_masked_and_the_words_kept() -> None:
    text = ("我的电话13812345678，身份证110101199003071234，卡号6222 0212 3456 7890 123，"
            "联系+86 139 1234 5678，保单号 P2026001")
    assert set(find_unmasked(text)) == {"13812345678", "+86 139 1234 5678",
                                        "110101199003071234", "6222 0212 3456 7890 123"}
    masked = mask_text(text)
    assert find_unmasked(masked) == []
    assert masked == ("我的电话138****5678，身份证110***********1234，卡号6222***********0123，"
                      "联系+86 139****5678，保单号 P2026001")
    assert mask_text(masked) == masked  # masking twice changes nothing
