"""Working days in England and Wales: when a safeguarding concern must be answered by.

A working day is Monday to Friday, except the bank holidays of England and Wales. Times are read on
the clock in England (Europe/London), so "the next working day at the same time" keeps the time
people saw when the concern was raised, across the change to and from British Summer Time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from qa_app.display import ENGLAND, as_utc

# England and Wales bank holidays, as published at https://www.gov.uk/bank-holidays, including
# substitute days when a holiday falls at a weekend.
#
# THIS LIST MUST BE EXTENDED before the end of LAST_LISTED_YEAR, and corrected whenever the
# government announces a change (an extra holiday for a national event, a moved date). After the
# last listed year only weekends are skipped, so deadlines would fall on unlisted bank holidays.
# A test fails from 1 January of the last listed year as a reminder.
BANK_HOLIDAYS: frozenset[date] = frozenset(
    {
        # 2025
        date(2025, 1, 1),  # New Year's Day
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2025, 5, 5),  # Early May bank holiday
        date(2025, 5, 26),  # Spring bank holiday
        date(2025, 8, 25),  # Summer bank holiday
        date(2025, 12, 25),  # Christmas Day
        date(2025, 12, 26),  # Boxing Day
        # 2026
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 4),  # Early May bank holiday
        date(2026, 5, 25),  # Spring bank holiday
        date(2026, 8, 31),  # Summer bank holiday
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 28),  # Boxing Day (substitute day: 26 December is a Saturday)
        # 2027
        date(2027, 1, 1),  # New Year's Day
        date(2027, 3, 26),  # Good Friday
        date(2027, 3, 29),  # Easter Monday
        date(2027, 5, 3),  # Early May bank holiday
        date(2027, 5, 31),  # Spring bank holiday
        date(2027, 8, 30),  # Summer bank holiday
        date(2027, 12, 27),  # Christmas Day (substitute day: 25 December is a Saturday)
        date(2027, 12, 28),  # Boxing Day (substitute day: 26 December is a Sunday)
        # 2028
        date(2028, 1, 3),  # New Year's Day (substitute day: 1 January is a Saturday)
        date(2028, 4, 14),  # Good Friday
        date(2028, 4, 17),  # Easter Monday
        date(2028, 5, 1),  # Early May bank holiday
        date(2028, 5, 29),  # Spring bank holiday
        date(2028, 8, 28),  # Summer bank holiday
        date(2028, 12, 25),  # Christmas Day
        date(2028, 12, 26),  # Boxing Day
    }
)
FIRST_LISTED_YEAR = 2025
LAST_LISTED_YEAR = 2028


def is_working_day(day: date) -> bool:
    """Return True when the day is a weekday that is not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def next_working_day(day: date) -> date:
    """Return the first working day after ``day`` (``day`` itself never counts)."""
    following = day + timedelta(days=1)
    while not is_working_day(following):
        following += timedelta(days=1)
    return following


def add_working_days(moment: datetime, days: int = 1) -> datetime:
    """Return the moment ``days`` working days after ``moment``, at the same time on the clock in
    England, in UTC.

    A moment on a weekend or holiday counts from that day, so a concern raised on a Saturday
    morning is due on Monday morning. ``moment`` must be timezone-aware (naive values are read as
    UTC, the way the database hands them back on SQLite).
    """
    local = as_utc(moment).astimezone(ENGLAND)
    day = local.date()
    for _ in range(days):
        day = next_working_day(day)
    # Working days are never Sundays, and the clocks only change on Sundays, so this wall-clock
    # time always exists exactly once.
    due = datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=ENGLAND)
    return due.astimezone(UTC)


def date_in_england(moment: datetime) -> date:
    """Return the calendar date in England at the moment."""
    return as_utc(moment).astimezone(ENGLAND).date()
