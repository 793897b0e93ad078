"""Masking of personal data: the one place screens, printouts, CSV and the CLI take
it from (the branch's rule: first 3 + last 4 of a phone, 3 + 4 of an ID number with
the birth digits hidden, the first character of a name, first 4 + last 4 of a bank
card).

Each function masks one kind of value and keeps its length, so a masked value still
looks like what it is (138****5678). :func:`mask_text` masks every phone, ID and card
number found inside free text (a complaint written by a customer). Tests use
:data:`UNMASKED_PHONE` to prove no screen, file or output shows a phone in clear.
"""

from __future__ import annotations

import re

STAR = "*"

# A mainland mobile number standing alone (not part of a longer digit run), with an
# optional +86 / 86 country code and the usual spaces or dashes inside it.
UNMASKED_PHONE = re.compile(
    r"(?<![\d*])(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?![\d*])")
# A resident ID number (18 characters, the last may be X; or the old 15 digits).
UNMASKED_ID = re.compile(r"(?<![\d*])(?:\d{17}[\dXx]|\d{15})(?![\dXx*])")
# A bank card number: 16-19 digits, optionally in groups of four.
UNMASKED_CARD = re.compile(r"(?<![\d*])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\d*])")


def mask_phone(phone: str) -> str:
    """``13812345678`` -> ``138****5678``; ``+86 138-1234-5678`` -> ``+86 138****5678``;
    a landline keeps its area code's first 3 and last 4 digits the same way. Fewer
    than 8 digits: everything but the last 2 is hidden."""
    text = phone.strip()
    prefix = ""
    country = re.match(r"^(\+?86)[ -]?(?=1\d{10}$|1[\d -]{10,12}$)", text)
    if country:
        prefix, text = country.group(1) + " ", text[country.end():]
    digits = re.sub(r"\D", "", text)
    if not digits:
        return ""
    if len(digits) < 8:
        return STAR * max(len(digits) - 2, 1) + digits[-2:] if len(digits) > 2 else STAR * 3
    return prefix + digits[:3] + STAR * (len(digits) - 7) + digits[-4:]


def mask_id_number(number: str) -> str:
    """``110101199003071234`` -> ``110***********1234`` (first 3 and last 4 kept, so
    the birth date and the order digits are hidden)."""
    text = re.sub(r"\s", "", number)
    if len(text) <= 7:
        return STAR * len(text)
    return text[:3] + STAR * (len(text) - 7) + text[-4:]


def mask_name(name: str) -> str:
    """``王小明`` -> ``王**``; ``Li Lei`` -> ``L*****`` (the first character, then one
    star for every other character). A one-character name is hidden entirely."""
    text = name.strip()
    if len(text) <= 1:
        return STAR * len(text)
    return text[0] + STAR * (len(text) - 1)


def mask_bank_card(card: str) -> str:
    """``6222021234567890123`` -> ``6222***********0123`` (first 4 and last 4)."""
    digits = re.sub(r"\D", "", card)
    if len(digits) <= 8:
        return STAR * len(digits)
    return digits[:4] + STAR * (len(digits) - 8) + digits[-4:]


def mask_text(text: str) -> str:
    """``text`` with every phone, ID and bank-card number in it masked (customers
    write them into complaints); the rest of the text is left as it is."""
    text = UNMASKED_ID.sub(lambda m: mask_id_number(m.group()), text)
    text = UNMASKED_CARD.sub(lambda m: mask_bank_card(m.group()), text)
    return UNMASKED_PHONE.sub(lambda m: mask_phone(m.group()), text)


def find_unmasked(text: str) -> list[str]:
    """Every phone, ID or bank-card number in ``text`` shown in clear (for tests and
    for checking an export before it leaves the building)."""
    found = [m.group() for pattern in (UNMASKED_PHONE, UNMASKED_ID, UNMASKED_CARD)
             for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))  # an ID number is also card-shaped: list it once


__all__ = ["UNMASKED_CARD", "UNMASKED_ID", "UNMASKED_PHONE", "find_unmasked", "mask_bank_card",
           "mask_id_number", "mask_name", "mask_phone", "mask_text"]
