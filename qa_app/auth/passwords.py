"""Password rules as the UK's National Cyber Security Centre advises them.

At least 12 characters, no composition rules (no "one capital, one digit, one symbol"), and a
refusal of passwords that are common or easy to guess. The common-password list and the guess
estimate come from zxcvbn, a maintained package that ships 30,000 of the most used passwords and
scores how quickly a password made of common words, keyboard runs, sequences, repeats and dates
would be guessed. This module imports nothing from Flask.
"""

from __future__ import annotations

from functools import cache

MIN_PASSWORD_LENGTH = 12
# Long enough for any passphrase; the cap stops a megabyte "password" tying up the hasher.
MAX_PASSWORD_LENGTH = 256
# Fewer estimated guesses than this (zxcvbn's "safely unguessable" boundary, score 3) means an
# offline attacker with a stolen hash, or an online one with a word list, would find it quickly.
MIN_GUESSES = 10**8

ENTER_PASSWORD = "Enter a password"
TOO_SHORT = f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
TOO_LONG = f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
TOO_COMMON = (
    "Password is too common or too easy to guess. Try three random words, "
    "like ‘kettle orchard lantern’"
)


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common_password(password: str, user_inputs: tuple[str, ...] = ()) -> bool:
    """Return True when the password is on the common-password list or is quick to guess
    (common words, keyboard runs, sequences, repeats, or the user's own name or email)."""
    from zxcvbn import zxcvbn

    if password.lower() in _common_passwords():
        return True
    inputs = [part for value in user_inputs for part in _input_parts(value)]
    return zxcvbn(password, user_inputs=inputs)["guesses"] < MIN_GUESSES


def _input_parts(value: str) -> list[str]:
    """Return the value and its pieces (an email's name and domain words) for zxcvbn to match."""
    value = value.strip().lower()
    if not value:
        return []
    local_part = value.split("@")[0]
    pieces = value.replace("@", " ").replace(".", " ").replace("-", " ").split()
    return [value, local_part, *pieces]


def password_problems(password: str | None, *user_inputs: str) -> list[str]:
    """Return what is wrong with a new password as GOV.UK-style messages (empty when it is
    acceptable). ``user_inputs`` are the user's email and name: a password built from them is
    refused as easy to guess."""
    if not password:
        return [ENTER_PASSWORD]
    if len(password) < MIN_PASSWORD_LENGTH:
        return [TOO_SHORT]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [TOO_LONG]
    if is_common_password(password, tuple(user_inputs)):
        return [TOO_COMMON]
    return []
