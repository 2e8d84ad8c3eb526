"""The retention settings and their cut-offs (pure logic)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from qa_app.governance.retention_policy import (
    RetentionSettings,
    months_before,
    nightly_time,
    tombstone,
)


def test_months_before_keeps_the_day_or_takes_the_months_last_day():
    assert months_before(datetime(2026, 5, 31, 9, tzinfo=UTC), 3) == datetime(
        2026, 2, 28, 9, tzinfo=UTC
    )
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 36) == datetime(2023, 1, 15, tzinfo=UTC)
    assert months_before(datetime(2028, 3, 29, tzinfo=UTC), 1) == datetime(2028, 2, 29, tzinfo=UTC)


def test_the_defaults_keep_case_detail_for_three_years():
    now = datetime(2026, 12, 3, tzinfo=UTC)
    cutoffs = RetentionSettings.from_config({}).cutoffs(now)
    assert cutoffs.case_detail == datetime(2023, 12, 3, tzinfo=UTC)
    assert cutoffs.held_forms == now - timedelta(days=7)
    assert cutoffs.export_files == now - timedelta(hours=24)
    assert cutoffs.access_log == datetime(2024, 12, 3, tzinfo=UTC)


def test_export_files_are_kept_as_long_as_the_job_runner_keeps_its_results():
    now = datetime(2026, 12, 3, tzinfo=UTC)
    settings = RetentionSettings.from_config({"JOB_RESULT_HOURS": 6})
    assert settings.export_file_hours == 6
    assert settings.cutoffs(now).export_files == now - timedelta(hours=6)
    with pytest.raises(ValueError, match="JOB_RESULT_HOURS"):
        RetentionSettings.from_config({"JOB_RESULT_HOURS": 0})


def test_the_nightly_run_is_at_half_past_two_unless_set_or_switched_off():
    assert nightly_time({}) == time(2, 30)
    assert nightly_time({"RETENTION_NIGHTLY_AT": "23:05"}) == time(23, 5)
    assert nightly_time({"RETENTION_NIGHTLY_AT": None}) is None
    assert nightly_time({"RETENTION_NIGHTLY_AT": ""}) is None
    for wrong in ("25:00", "half two", "2.30", "02:30:00"):
        with pytest.raises(ValueError, match="RETENTION_NIGHTLY_AT must be a time of day"):
            nightly_time({"RETENTION_NIGHTLY_AT": wrong})


@pytest.mark.parametrize("value", [0, -1, "12", 1.5, True, None])
def test_settings_must_be_whole_numbers_of_one_or_more(value):
    with pytest.raises(ValueError, match="RETENTION_ACCESS_LOG_MONTHS"):
        RetentionSettings.from_config({"RETENTION_ACCESS_LOG_MONTHS": value})


def test_a_tombstone_names_no_one():
    assert tombstone(42) == "PURGED-00000042"
