"""Matching the heading row to the columns a case list needs."""

from __future__ import annotations

import pytest

from qa_app.cases.case_columns import column_letter, match_headings
from tests.cases.case_files import HEADINGS


def test_the_documented_headings_match_every_column():
    headings, problems = match_headings(HEADINGS)
    assert problems == []
    assert headings.positions == {
        "reference": 0,
        "team": 1,
        "case_type": 2,
        "allocated_worker": 3,
        "opened_on": 4,
        "closed_on": 5,
        "age_band": 6,
    }
    assert headings.ignored == ()


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("Case ref", "reference"),
        ("CASE_ID", "reference"),
        ("Reference", "reference"),
        ("case-reference", "reference"),
        ("Team name", "team"),
        ("Worker", "allocated_worker"),
        ("Social worker", "allocated_worker"),
        ("Allocated to", "allocated_worker"),
        ("Start date", "opened_on"),
        ("Opened", "opened_on"),
        ("End date", "closed_on"),
        ("Closed", "closed_on"),
        ("Age group", "age_band"),
        ("  Case   Type. ", "case_type"),
    ],
)
def test_headings_are_matched_ignoring_case_spaces_punctuation_and_common_synonyms(heading, field):
    required = {
        "reference": "Case reference",
        "team": "Team",
        "case_type": "Case type",
        "allocated_worker": "Allocated worker",
        "opened_on": "Date opened",
    }
    others = [text for name, text in required.items() if name != field]
    headings, problems = match_headings([heading, *others])
    assert problems == []
    assert headings.positions[field] == 0
    assert headings.column_name(field) == " ".join(heading.split())


def test_optional_columns_may_be_left_out():
    headings, problems = match_headings(HEADINGS[:5])
    assert problems == []
    assert "closed_on" not in headings.positions


def test_missing_columns_are_named_with_the_headings_found():
    _, problems = match_headings(["Case ref", "Worker", "Notes"])
    assert problems == [
        "Row 1 must have a heading for each column; the file has no column for team, case type "
        'and date opened. Headings found: "Case ref", "Worker", "Notes"'
    ]


def test_two_columns_with_the_same_meaning_are_refused():
    _, problems = match_headings([*HEADINGS, "Case ID"])
    assert problems == [
        'Columns A ("Case reference") and H ("Case ID") both look like the case reference '
        "column: rename or remove one of them"
    ]


def test_unknown_columns_are_ignored_and_listed():
    headings, problems = match_headings([*HEADINGS, "Notes", None, "Ethnicity"])
    assert problems == []
    assert headings.ignored == ("Notes", "Ethnicity")


def test_column_letters_follow_the_spreadsheet():
    assert [column_letter(i) for i in (0, 2, 25, 26, 27, 701, 702)] == [
        "A",
        "C",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
