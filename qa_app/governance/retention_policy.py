"""How long each kind of record is kept: the settings and the cut-off moments they give.

Pure logic, no Flask: the command line, the job runner and the admin page share it.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

# Finished export files are kept as long as the job runner keeps a job's result file: one
# setting, read by both (its default is in qa_app/config.py).
EXPORT_FILE_SETTING = "JOB_RESULT_HOURS"
EXPORT_FILE_DEFAULT_HOURS = 24

# The defaults, overridden by the same names in instance/config.py.
DEFAULT_SETTINGS = {
    # Case-level detail (case references, written text, allocated workers) is purged this many
    # months after the audit was closed, or submitted when it has not been closed.
    "RETENTION_CASE_DETAIL_MONTHS": 36,
    # Form data held for a save that arrived after its session ended.
    "RETENTION_HELD_FORM_DAYS": 7,
    # Rows of the access log (who viewed which case).
    "RETENTION_ACCESS_LOG_MONTHS": 24,
    # How many records one step of the purge changes before it commits and reports progress.
    "RETENTION_BATCH_SIZE": 500,
}

# When the job runner purges, every night (HH:MM, UTC as the job runner keeps time); None or
# an empty string leaves retention to ``flask --app qa_app retention run``.
SCHEDULE_SETTING = "RETENTION_NIGHTLY_AT"
DEFAULT_NIGHTLY_AT = "02:30"


@dataclass(frozen=True)
class RetentionSettings:
    case_detail_months: int = 36
    held_form_days: int = 7
    access_log_months: int = 24
    batch_size: int = 500
    export_file_hours: int = EXPORT_FILE_DEFAULT_HOURS

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> RetentionSettings:
        """Return the settings from an app config (defaults where a name is missing).

        Raises ValueError naming a setting that is not a whole number of at least 1.
        """
        values = {}
        for name, default in DEFAULT_SETTINGS.items():
            values[name.removeprefix("RETENTION_").lower()] = _whole_number(config, name, default)
        values["export_file_hours"] = _whole_number(
            config, EXPORT_FILE_SETTING, EXPORT_FILE_DEFAULT_HOURS
        )
        return cls(**values)

    def cutoffs(self, now: datetime) -> RetentionCutoffs:
        """Return the moments before which each kind of record is past its period."""
        return RetentionCutoffs(
            case_detail=months_before(now, self.case_detail_months),
            held_forms=now - timedelta(days=self.held_form_days),
            export_files=now - timedelta(hours=self.export_file_hours),
            access_log=months_before(now, self.access_log_months),
        )


def _whole_number(config: Mapping[str, object], name: str, default: int) -> int:
    value = config.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}")
    return value


def nightly_time(config: Mapping[str, object]) -> time | None:
    """Return the time of day the scheduled purge runs, or None when it is switched off.

    Raises ValueError when the setting is not a time written as HH:MM.
    """
    value = config.get(SCHEDULE_SETTING, DEFAULT_NIGHTLY_AT)
    if value is None or value == "":
        return None
    try:
        hours, minutes = str(value).split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(
            f"{SCHEDULE_SETTING} must be a time of day like 02:30, or None, not {value!r}"
        ) from None


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
