"""Filters shared by the access log and event log pages: who, what and between which dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from qa_app.display import ENGLAND

__all__ = ["DateRange", "day_bounds"]


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None  # inclusive

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Return the UTC moments the range covers: from the start of ``start`` in England to
        the start of the day after ``end``."""
        return (
            day_bounds(self.start)[0] if self.start else None,
            day_bounds(self.end)[1] if self.end else None,
        )


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the first moment of a day in England and of the next day, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=ENGLAND)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=ENGLAND)
    return start, end
