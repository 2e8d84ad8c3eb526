"""Reading one cell of a case list: text, case types and dates, written the ways people write them.

Nothing here knows about files, rows or the database: each function takes a cell's value (a
string from a CSV file, or a string, number or date from a spreadsheet) and returns what it
means, or raises :class:`ValueError` with a message fit to show the person who made the file.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from qa_app.template_format.definition import CASE_TYPES

# Dates outside these years are typing mistakes (0026 for 2026), not case dates.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2100

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+)?")
# Exports often add a midnight time to a date: 03/03/2026 00:00.
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?:\s+[0-9:.]+)?")
_WORDY_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]+)\.?,?[\s\-]+(\d{4}|\d{2})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

DATE_EXAMPLES = "like 3/3/2026, 03/03/2026, 2026-03-03 or 3 March 2026"


def _simplify(text: str) -> str:
    """Return lower-case words and numbers only: "Homeless 16/17" -> "homeless 16 17"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


# Each case type's key and label, and the short forms case management systems and people use.
_CASE_TYPE_VARIANTS: dict[str, tuple[str, ...]] = {
    "contact_referral": (
        "contact",
        "referral",
        "contact referral",
        "contact and referral",
        "contacts and referrals",
        "referral and assessment",
    ),
    "early_help": ("eh", "early help assessment", "family help"),
    "child_in_need": ("cin", "children in need", "child in need plan", "cin plan"),
    "child_protection": ("cp", "cpp", "child protection plan", "cp plan"),
    "child_in_care": (
        "cic",
        "children in care",
        "looked after",
        "looked after child",
        "looked after children",
        "lac",
        "cla",
        "child looked after",
        "children looked after",
    ),
    "care_leaver": ("care leavers", "leaving care", "care experienced"),
    "homeless_16_17": (
        "homeless",
        "homeless 16 17",
        "homeless 16 or 17",
        "homeless 16 and 17",
        "homeless 16 17 year old",
        "homeless 16 17 year olds",
        "homeless 16 or 17 year olds",
        "homeless young person",
        "homeless 16 and 17 year olds",
    ),
    "lado": ("lado allegation", "allegation against an adult", "allegations"),
}

CASE_TYPE_ALIASES: dict[str, str] = {}
for _key, _label in CASE_TYPES.items():
    for _name in (_key, _label, *_CASE_TYPE_VARIANTS.get(_key, ())):
        CASE_TYPE_ALIASES[_simplify(_name)] = _key


class Formula:
    """Stands for a spreadsheet cell holding a formula (its value is not known until calculated)."""

    __slots__ = ()


FORMULA = Formula()


def cell_text(value: object) -> str:
    """Return the cell as text with spaces tidied ("" for an empty cell).

    Whole numbers a spreadsheet stored as 104233.0 come back as "104233". A date cell raises
    ValueError: a spreadsheet turned what was typed into a date (age band 5-9 becomes 9 May).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        # Spreadsheets use non-breaking spaces; split() treats them as spaces.
        return " ".join(value.split())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, date):
        raise ValueError(
            "is a date in the spreadsheet; format the column as text and type the value again"
        )
    return " ".join(str(value).split())


def parse_case_type(value: object) -> str | None:
    """Return the case type key for a key, label or common variant ("CIN", "CP"), else None."""
    try:
        text = value if isinstance(value, str) else cell_text(value)
    except ValueError:  # a date cell is no case type
        return None
    return _case_type_for_text(text)


@lru_cache(maxsize=1024)
def _case_type_for_text(text: str) -> str | None:
    # A case list repeats a handful of spellings many thousand times: simplify each once.
    return CASE_TYPE_ALIASES.get(_simplify(text))


def case_type_names() -> str:
    """Return the case type labels as a list to show in a message."""
    return ", ".join(CASE_TYPES.values())


def parse_date(value: object) -> date:
    """Return the date a cell holds.

    Accepts date cells, ISO dates (2026-03-03, with or without a time), day-first dates
    (03/03/2026, 3/3/26, 3.3.2026, 3-3-2026) and dates with a month name (3 March 2026,
    3rd Mar 2026, 03-Mar-26). Two-digit years 00-68 are 2000-2068, 69-99 are 1969-1999.
    Raises ValueError saying what was wrong.
    """
    if isinstance(value, datetime):
        return _plausible(value.date())
    if isinstance(value, date):
        return _plausible(value)
    if not isinstance(value, str):
        raise ValueError(f"must be a date, {DATE_EXAMPLES}")
    return _parse_date_text(value.strip())


@lru_cache(maxsize=8192)
def _parse_date_text(text: str) -> date:
    # Cases opened on the same day share a date: parse each spelling once (errors are not cached).
    day_first = False
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST_DATE.fullmatch(text):
        day, _, month, year = match.groups()
        day, month, year = int(day), int(month), _full_year(year)
        day_first = True
    elif match := _WORDY_DATE.fullmatch(text.casefold()):
        day_text, month_name, year_text = match.groups()
        if month_name not in _MONTHS:
            raise ValueError(f"must be a date, {DATE_EXAMPLES}")
        day, month, year = int(day_text), _MONTHS[month_name], _full_year(year_text)
    else:
        raise ValueError(f"must be a date, {DATE_EXAMPLES}")
    try:
        parsed = date(year, month, day)
    except ValueError:
        if day_first and month > 12 >= day:
            raise ValueError(
                f"must be a real date: dates are read day first, as in {month}/{day}/{year}"
            ) from None
        raise ValueError("must be a real date") from None
    return _plausible(parsed)


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 69 else 1900
    return year


def _plausible(value: date) -> date:
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"must be a real date between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return value
