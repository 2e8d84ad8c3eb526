"""Passwords as the NCSC advises: 12 characters or more, not common, no composition rules."""

from __future__ import annotations

import pytest

from qa_app.auth.passwords import (
    ENTER_PASSWORD,
    TOO_COMMON,
    TOO_LONG,
    TOO_SHORT,
    password_problems,
)


def test_the_password_accepted_in_the_attack_is_now_refused_as_common():
    assert password_problems("123456789012") == [TOO_COMMON]


@pytest.mark.parametrize(
    "password",
    ["passwordpassword", "qwertyuiopasdf", "iloveyou1234", "aaaaaaaaaaaa", "Password1234!"],
)
def test_common_and_easily_guessed_passwords_are_refused(password):
    assert password_problems(password) == [TOO_COMMON]


def test_a_password_under_twelve_characters_is_refused():
    assert password_problems("kettle-orch") == [TOO_SHORT]


def test_an_empty_or_enormous_password_is_refused():
    assert password_problems("") == [ENTER_PASSWORD]
    assert password_problems(None) == [ENTER_PASSWORD]
    assert password_problems("kettle orchard lantern " * 20) == [TOO_LONG]


def test_three_random_words_are_accepted_without_capitals_digits_or_symbols():
    assert password_problems("kettle orchard lantern") == []
    assert password_problems("copper giraffe umbrella") == []


def test_a_password_made_of_the_users_own_email_is_refused():
    email, name = "lantern.orchard@example.org", "Lantern Orchard"
    assert password_problems("lantern.orchard", email, name) == [TOO_COMMON]
    assert password_problems("Lantern Orchard 1", email, name) == [TOO_COMMON]
    assert password_problems("lantern.orchard") == []
