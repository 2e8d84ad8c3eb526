"""How long each kind of record is kept: the settings and the cut-off moments they give.

Pure logic, no Flask: the command line, the job runner and the admin page share it.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

# The defaults, overridden by the same names in instance/config.py.
DEFAULT_SETTINGS = {
    # Case-level detail (case references, written text, allocated workers) is purged this many
    # months after the audit was closed, or submitted when it has not been closed.
    "RETENTION_CASE_DETAIL_MONTHS": 36,
    # Form data held for a signed-out save.
    "RETENTION_HELD_FORM_DAYS": 30,
    # Finished export files waiting to be downloaded.
    "RETENTION_EXPORT_FILE_DAYS": 7,
    # Rows of the access log (who viewed which case).
    "RETENTION_ACCESS_LOG_MONTHS": 24,
    # How many records one step of the purge changes before it commits and reports progress.
    "RETENTION_BATCH_SIZE": 500,
}


@dataclass(frozen=True)
class RetentionSettings:
    case_detail_months: int = 36
    held_form_days: int = 30
    export_file_days: int = 7
    access_log_months: int = 24
    batch_size: int = 500

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> RetentionSettings:
        """Return the settings from an app config (defaults where a name is missing).

        Raises ValueError naming a setting that is not a whole number of at least 1.
        """
        values = {}
        for name, default in DEFAULT_SETTINGS.items():
            value = config.get(name, default)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}")
            values[name.removeprefix("RETENTION_").lower()] = value
        return cls(**values)

    def cutoffs(self, now: datetime) -> RetentionCutoffs:
        """Return the moments before which each kind of record is past its period."""
        return RetentionCutoffs(
            case_detail=months_before(now, self.case_detail_months),
            held_forms=now - timedelta(days=self.held_form_days),
            export_files=now - timedelta(days=self.export_file_days),
            access_log=months_before(now, self.access_log_months),
        )


@dataclass(frozen=True)
class RetentionCutoffs:
    case_detail: datetime
    held_forms: datetime
    export_files: datetime
    access_log: datetime


def months_before(moment: datetime, months: int) -> datetime:
    """Return the same day and time ``months`` calendar months earlier (the month's last day
    when the day does not exist then, so 31 May less 3 months is 28 or 29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def tombstone(case_id: int) -> str:
    """Return the reference a purged case is known by from then on."""
    return f"PURGED-{case_id:08d}"


# What replaces written text that cannot be left empty (action and concern descriptions).
REMOVED_TEXT = "Removed at the end of the retention period."
