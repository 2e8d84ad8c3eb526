from __future__ import annotations

from datetime import UTC, date, datetime

from qa_app.display import format_date, format_moment


def test_times_are_shown_on_the_clock_in_england_across_summer_time():
    assert format_moment(datetime(2026, 1, 15, 14, 5, tzinfo=UTC)) == (
        "Thursday 15 January 2026 at 2:05pm"
    )
    # 13:05 UTC is 2:05pm British Summer Time; a naive value from SQLite is read as UTC.
    assert format_moment(datetime(2026, 7, 1, 13, 5), weekday=False) == "1 July 2026 at 2:05pm"
    assert (
        format_moment(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == "Thursday 2 July 2026 at 12:30am"
    )


def test_dates_read_as_day_month_year_and_nothing_for_none():
    assert format_date(date(2026, 3, 3)) == "3 March 2026"
    assert format_date(None) == "" and format_moment(None) == ""
