"""PINs: the format staff may choose, and the slow salted hash that is all we keep.

A PIN is 4 to 8 digits typed on a touch PIN pad, so its space is small; the lockout
(``kiosk.staff.accounts``) is what stops guessing at the counter. The hash is slow on
purpose (scrypt, about 0.1 s on a counter PC) so that a copied database does not give
the PINs away in seconds, and salted so that two equal PINs do not look equal.
The parameters travel inside the stored text, so they can be raised later without
invalidating the PINs already stored.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

from kiosk.errors import UsageError

PIN_MIN, PIN_MAX = 4, 8
# scrypt cost: N=2^15, r=8 takes 32 MiB and 0.1-0.15 s here; the benchmark keeps
# it at or above 50 ms (bench/staff.py, docs/BENCHMARKS.md).
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
_SALT_BYTES, _KEY_BYTES = 16, 32
_SCHEME = "scrypt"


def check_pin_format(pin: str) -> None:
    """Refuse a PIN that is not 4-8 digits, or that anyone would guess first.

    Raises:
        UsageError: with the reason, in both languages (code ``bad_pin``).
    """
    if not (pin.isascii() and pin.isdigit() and PIN_MIN <= len(pin) <= PIN_MAX):
        raise UsageError(f"密码须为 {PIN_MIN}-{PIN_MAX} 位数字",
                         f"a PIN is {PIN_MIN} to {PIN_MAX} digits", code="bad_pin")
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        raise UsageError("密码过于简单（相同或连续的数字），请另选",
                         "this PIN is too easy to guess (one digit repeated, or a run "
                         "like 1234); choose another", code="weak_pin")


def hash_pin(pin: str) -> str:
    """The stored form of ``pin``: ``scrypt$log2N$r$p$salt$key`` (base64)."""
    salt = os.urandom(_SALT_BYTES)
    key = _derive(pin, salt, SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P)
    return "$".join([_SCHEME, str(SCRYPT_LOG2_N), str(SCRYPT_R), str(SCRYPT_P),
                     _b64(salt), _b64(key)])


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` hashes to ``stored`` (compared in constant time). A stored
    text we cannot read never matches."""
    try:
        scheme, log2_n, r, p, salt, key = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(key)
        actual = _derive(pin, base64.b64decode(salt), int(log2_n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def dummy_hash() -> str:
    """A valid hash of no one's PIN, made once per process. Checked when a staff
    number does not exist, so an unknown number takes as long to refuse as a wrong
    PIN (nobody learns which numbers exist by timing the answer)."""
    return hash_pin(_b64(os.urandom(12)))


def _derive(pin: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    n = 1 << log2_n
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * n * r + (1 << 20), dklen=_KEY_BYTES)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


__all__ = ["PIN_MAX", "PIN_MIN", "check_pin_format", "dummy_hash", "hash_pin", "verify_pin"]
