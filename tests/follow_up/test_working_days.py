"""Working days in England and Wales, and when a safeguarding concern must be answered by."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from qa_app.follow_up.working_days import (
    BANK_HOLIDAYS,
    FIRST_LISTED_YEAR,
    LAST_LISTED_YEAR,
    add_working_days,
    date_in_england,
    is_working_day,
    next_working_day,
)


def _easter_sunday(year: int) -> date:
    """The Gregorian Easter Sunday (the anonymous Gregorian algorithm), to check the list."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _last_monday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


@pytest.mark.parametrize(
    ("raised", "due"),
    [
        (date(2026, 11, 20), date(2026, 11, 23)),  # Friday -> Monday
        (date(2026, 11, 21), date(2026, 11, 23)),  # Saturday -> Monday
        (date(2026, 11, 23), date(2026, 11, 24)),  # Monday -> Tuesday
        (date(2026, 8, 28), date(2026, 9, 1)),  # Friday before the summer bank holiday -> Tuesday
        (date(2025, 5, 23), date(2025, 5, 27)),  # Friday before the spring bank holiday -> Tuesday
        (date(2025, 4, 17), date(2025, 4, 22)),  # Thursday before Good Friday -> Easter Tuesday
        (date(2025, 12, 24), date(2025, 12, 29)),  # Christmas Eve, Christmas and Boxing Day
        (date(2026, 12, 24), date(2026, 12, 29)),  # Boxing Day's substitute on Monday 28th
        (date(2027, 12, 24), date(2027, 12, 29)),  # both substitutes, Monday and Tuesday
        (date(2027, 12, 31), date(2028, 1, 4)),  # New Year's Day substitute on Monday 3rd
    ],
)
def test_the_next_working_day_skips_weekends_and_bank_holidays(raised, due):
    assert next_working_day(raised) == due
    assert is_working_day(due)


def test_a_concern_raised_on_friday_afternoon_is_due_on_monday_at_the_same_time():
    raised = datetime(2026, 11, 20, 16, 30, tzinfo=UTC)  # Friday, GMT
    assert add_working_days(raised) == datetime(2026, 11, 23, 16, 30, tzinfo=UTC)


def test_a_concern_raised_before_a_bank_holiday_monday_is_due_on_tuesday():
    raised = datetime(2026, 8, 28, 9, 0, tzinfo=UTC)  # Friday 10:00 BST
    assert add_working_days(raised) == datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def test_a_concern_raised_on_christmas_eve_is_due_after_boxing_day_and_the_weekend():
    raised = datetime(2025, 12, 24, 11, 15, tzinfo=UTC)
    assert add_working_days(raised) == datetime(2025, 12, 29, 11, 15, tzinfo=UTC)


def test_the_time_on_the_clock_in_england_is_kept_when_the_clocks_go_forward():
    raised = datetime(2025, 3, 28, 9, 0, tzinfo=UTC)  # Friday 9am GMT
    due = add_working_days(raised)
    assert due == datetime(2025, 3, 31, 8, 0, tzinfo=UTC)  # Monday 9am BST


def test_the_day_is_read_in_england_not_in_utc():
    # 11:30pm UTC on Sunday 31 August 2025 is 12:30am BST on Monday 1 September.
    raised = datetime(2025, 8, 31, 23, 30, tzinfo=UTC)
    assert date_in_england(raised) == date(2025, 9, 1)
    assert add_working_days(raised) == datetime(2025, 9, 1, 23, 30, tzinfo=UTC)


def test_a_naive_time_from_the_database_is_read_as_utc():
    assert add_working_days(datetime(2026, 11, 20, 16, 30)) == datetime(
        2026, 11, 23, 16, 30, tzinfo=UTC
    )


def test_several_working_days_can_be_added():
    raised = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)  # Wednesday
    assert add_working_days(raised, 3) == datetime(2026, 12, 30, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("year", range(FIRST_LISTED_YEAR, LAST_LISTED_YEAR + 1))
def test_each_listed_year_has_the_eight_regular_bank_holidays_on_weekdays(year):
    holidays = sorted(day for day in BANK_HOLIDAYS if day.year == year)
    assert len(holidays) == 8
    assert all(day.weekday() < 5 for day in holidays)
    easter = _easter_sunday(year)
    assert easter - timedelta(days=2) in holidays  # Good Friday
    assert easter + timedelta(days=1) in holidays  # Easter Monday
    assert _first_monday(year, 5) in holidays
    assert _last_monday(year, 5) in holidays
    assert _last_monday(year, 8) in holidays
    assert Counter(day.month for day in holidays)[12] == 2  # Christmas and Boxing Day


def test_the_bank_holiday_list_is_extended_before_it_runs_out():
    """The list is hard-coded: this fails from the start of its last year so it is extended."""
    assert date.today().year < LAST_LISTED_YEAR, (
        "Add the next years' England and Wales bank holidays to "
        "qa_app/follow_up/working_days.py (see https://www.gov.uk/bank-holidays)"
    )
