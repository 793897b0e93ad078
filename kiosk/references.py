"""References printed on a customer's slip (a claim check, a complaint receipt).

A reference is a prefix, the branch's local date and random characters, e.g.
``CL261123-7K3QXZ``: random rather than sequential, so a reference seen on someone
else's printout says nothing about other customers' records; Crockford base32 without
I, L, O, U, so it reads aloud and types from paper unambiguously.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_CHARACTERS = 6


def new_reference(prefix: str, day: date, taken: Callable[[str], bool]) -> str:
    """``prefix`` + ``day`` as yymmdd + ``-`` + random characters, drawn again while
    ``taken(reference)`` says the branch already uses it."""
    stamp = day.strftime("%y%m%d")
    while True:
        tail = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARACTERS))
        reference = f"{prefix}{stamp}-{tail}"
        if not taken(reference):
            return reference


__all__ = ["ALPHABET", "RANDOM_CHARACTERS", "new_reference"]
