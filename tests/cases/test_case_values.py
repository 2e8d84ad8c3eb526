"""Reading single cells: dates, case types and text, as people and spreadsheets write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from qa_app.cases.case_values import cell_text, parse_case_type, parse_date
from qa_app.template_format.definition import CASE_TYPES


@pytest.mark.parametrize(
    "text",
    [
        "2026-03-03",
        "2026-3-3",
        "2026-03-03T00:00:00",
        "2026-03-03 00:00:00",
        "03/03/2026",
        "3/3/2026",
        "3/3/26",
        "03-03-2026",
        "3.3.2026",
        "03/03/2026 00:00",
        "3 March 2026",
        "3 march 2026",
        "3rd March 2026",
        "3 Mar 2026",
        "03-Mar-2026",
        "3-Mar-26",
        " 3 March 2026 ",
    ],
)
def test_dates_are_read_in_the_ways_people_write_them(text):
    assert parse_date(text) == date(2026, 3, 3)


def test_dates_are_read_day_first_as_in_the_uk():
    assert parse_date("04/03/2026") == date(2026, 3, 4)


def test_spreadsheet_date_cells_are_read_as_dates():
    assert parse_date(datetime(2026, 3, 3, 0, 0)) == date(2026, 3, 3)
    assert parse_date(date(2026, 3, 3)) == date(2026, 3, 3)


def test_two_digit_years_up_to_68_are_this_century():
    assert parse_date("1/1/68") == date(2068, 1, 1)
    assert parse_date("1/1/69") == date(1969, 1, 1)


@pytest.mark.parametrize("text", ["soon", "3/3", "2026", "3 Smarch 2026", "03032026", "3//3/2026"])
def test_text_that_is_not_a_date_is_refused_with_examples(text):
    with pytest.raises(ValueError, match="must be a date, like 3/3/2026"):
        parse_date(text)


def test_an_impossible_date_is_refused():
    with pytest.raises(ValueError, match="must be a real date$"):
        parse_date("31/02/2026")


def test_a_month_day_date_explains_that_dates_are_read_day_first():
    with pytest.raises(ValueError, match="read day first, as in 31/12/2026"):
        parse_date("12/31/2026")


def test_a_year_typed_wrongly_is_refused():
    with pytest.raises(ValueError, match="between 1900 and 2100"):
        parse_date("03/03/0026")


def test_a_number_in_a_date_column_is_not_taken_for_a_date():
    with pytest.raises(ValueError, match="must be a date"):
        parse_date(46084)


@pytest.mark.parametrize("key", list(CASE_TYPES))
def test_every_case_type_is_known_by_its_key_and_its_label(key):
    assert parse_case_type(key) == key
    assert parse_case_type(CASE_TYPES[key]) == key
    assert parse_case_type(CASE_TYPES[key].upper()) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("CIN", "child_in_need"),
        ("cin", "child_in_need"),
        ("CP", "child_protection"),
        ("CiC", "child_in_care"),
        ("Looked after child", "child_in_care"),
        ("Contact", "contact_referral"),
        ("Referral", "contact_referral"),
        ("Contact/Referral", "contact_referral"),
        ("Homeless 16-17", "homeless_16_17"),
        ("homeless 16/17", "homeless_16_17"),
        ("LADO", "lado"),
        ("Early Help", "early_help"),
        ("early-help", "early_help"),
        ("Care leaver", "care_leaver"),
        ("child_in_need", "child_in_need"),
    ],
)
def test_common_case_type_variants_are_understood(text, key):
    assert parse_case_type(text) == key


@pytest.mark.parametrize("value", ["Adoption", "", "C", 7, date(2026, 3, 3)])
def test_unknown_case_types_are_not_guessed(value):
    assert parse_case_type(value) is None


def test_cell_text_tidies_spaces_and_whole_numbers():
    assert cell_text("  Team\u00a0A   (synthetic) ") == "Team A (synthetic)"
    assert cell_text(104233.0) == "104233"
    assert cell_text(104233) == "104233"
    assert cell_text(None) == ""


def test_a_date_cell_in_a_text_column_is_reported_not_converted():
    with pytest.raises(ValueError, match="format the column as text"):
        cell_text(datetime(2026, 5, 9))
