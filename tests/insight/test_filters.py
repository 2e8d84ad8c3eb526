"""Reading dashboard filters from the URL and writing them back (pure, no database)."""

from __future__ import annotations

from datetime import date

from qa_app.insight.figures import Share, change_text
from qa_app.insight.filters import parse_filter

TODAY = date(2026, 11, 20)


def test_the_default_is_the_last_12_whole_months_on_final_grades():
    parsed = parse_filter({}, TODAY)
    assert (parsed.filter.start, parsed.filter.end) == (date(2025, 11, 1), date(2026, 10, 1))
    assert parsed.filter.basis == "final" and not parsed.errors


def test_last_3_months_and_the_previous_period_of_the_same_length():
    f = parse_filter({"period": "3"}, TODAY).filter
    assert [m.month for m in f.months] == [8, 9, 10]
    previous = f.previous()
    assert (previous.start, previous.end) == (date(2026, 5, 1), date(2026, 7, 1))


def test_custom_months_round_trip_through_the_url():
    args = {
        "period": "custom",
        "from-month": "2",
        "from-year": "2026",
        "to-month": "5",
        "to-year": "2026",
        "team": "3",
        "grade": "auditor",
        "template": "front-door",
    }
    f = parse_filter(args, TODAY).filter
    assert (f.start, f.end, f.team_id, f.basis) == (
        date(2026, 2, 1),
        date(2026, 5, 1),
        3,
        "auditor",
    )
    assert parse_filter(f.to_params(), TODAY).filter == f


def test_bad_input_is_reported_and_the_default_applies():
    parsed = parse_filter(
        {
            "period": "custom",
            "from-month": "13",
            "from-year": "2026",
            "to-month": "1",
            "to-year": "2026",
            "team": "abc",
        },
        TODAY,
    )
    assert parsed.errors["from-month"].startswith("Enter the first month of the period")
    assert parsed.errors["team"] == "Select a team"
    assert parsed.filter.period == "12" and parsed.filter.team_id is None
    assert parsed.values["from-month"] == "13"  # kept to show again
    backwards = parse_filter(
        {
            "period": "custom",
            "from-month": "5",
            "from-year": "2026",
            "to-month": "1",
            "to-year": "2026",
        },
        TODAY,
    )
    assert "same as or after" in backwards.errors["to-month"]


def test_a_share_on_too_few_audits_says_so_instead_of_a_percentage():
    assert Share(2, 3, 3, suppress_below=5).text == "fewer than 5"
    assert Share(2, 3, 3, suppress_below=5).as_json()["percent"] is None
    assert Share(3, 5, 5, suppress_below=5).text == "60%"
    assert Share(0, 0, 0, suppress_below=5).text == "No data"
    assert change_text(Share(67, 100, 100), Share(61, 100, 100)) == "up 6 points"
