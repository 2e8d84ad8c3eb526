"""How dates and times read to people in England (no Flask here)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")


def as_utc(moment: datetime) -> datetime:
    """Return the moment as an aware UTC datetime (SQLite hands back naive UTC values)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_date(day: date | None) -> str:
    """Return a date as people read it, e.g. "3 March 2026" ("" for none)."""
    return "" if day is None else f"{day.day} {day:%B %Y}"


def format_clock(moment: datetime | None) -> str:
    """Return the time of a moment on a clock in England, e.g. "2:05pm" ("" for none)."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(ENGLAND)
    return f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def format_moment(moment: datetime | None, *, weekday: bool = True) -> str:
    """Return a moment as read on a clock in England, e.g. "Tuesday 3 March 2026 at 2:05pm"."""
    if moment is None:
        return ""
    local = as_utc(moment).astimezone(ENGLAND)
    day = f"{local:%A} " if weekday else ""
    return f"{day}{local.day} {local:%B %Y} at {format_clock(local)}"
