"""The sampling rule: validation, JSON round trip, quotas and month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from qa_app.sampling.rule import (
    SamplingRule,
    months_before,
    parse_percent,
    parse_whole_number,
)


def test_a_rule_survives_the_json_column_unchanged():
    rule = SamplingRule(
        mode="percent",
        percent=12.5,
        stratify_by_case_type=True,
        exclude_audited_within_months=6,
        exclude_closed=False,
        teams=[3, 1],
    )
    restored = SamplingRule.from_dict(rule.to_dict())
    assert restored == SamplingRule(
        mode="percent",
        percent=12.5,
        stratify_by_case_type=True,
        exclude_audited_within_months=6,
        exclude_closed=False,
        teams=[1, 3],
    )


def test_missing_keys_take_their_defaults():
    rule = SamplingRule.from_dict({"mode": "per_team", "cases_per_team": 2})
    assert rule.exclude_audited_within_months == 12
    assert rule.exclude_closed is True
    assert rule.teams is None
    assert rule.stratify_by_case_type is False


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        (SamplingRule(mode="per_team"), "cases_per_team", "Enter the number of cases per team"),
        (
            SamplingRule(mode="per_team", cases_per_team=0),
            "cases_per_team",
            "Number of cases per team must be between 1 and 1,000",
        ),
        (SamplingRule(mode="percent"), "percent", "Enter the percentage of open cases per team"),
        (
            SamplingRule(mode="percent", percent=0),
            "percent",
            "Percentage must be more than 0 and no more than 100",
        ),
        (
            SamplingRule(mode="percent", percent=100.5),
            "percent",
            "Percentage must be more than 0 and no more than 100",
        ),
        (SamplingRule(mode=""), "mode", "Select how many cases to draw from each team"),
        (
            SamplingRule(cases_per_team=1, exclude_audited_within_months=-1),
            "exclude_audited_within_months",
            "Months must be between 0 and 120",
        ),
        (SamplingRule(cases_per_team=1, teams=[]), "teams", "Select at least one team"),
    ],
)
def test_an_unusable_rule_says_what_to_fix(rule, field, message):
    [problem] = rule.validate()
    assert (problem.field, problem.message, str(problem)) == (field, message, message)


def test_a_sound_rule_has_no_problems():
    assert SamplingRule(mode="per_team", cases_per_team=3).validate() == []
    assert SamplingRule(mode="percent", percent=100).validate() == []


def test_quota_per_team_is_fixed_and_percent_is_rounded_up_with_a_minimum_of_one():
    assert SamplingRule(cases_per_team=3).quota(1) == 3
    rule = SamplingRule(mode="percent", percent=10)
    assert [rule.quota(n) for n in (0, 1, 10, 11, 30, 31)] == [0, 1, 1, 2, 3, 4]
    assert SamplingRule(mode="percent", percent=33.3).quota(1000) == 333


def test_the_rule_reads_as_a_sentence():
    rule = SamplingRule(cases_per_team=3, stratify_by_case_type=True)
    assert rule.describe() == (
        "3 cases per team, spread across case types, leaving out cases audited in the last "
        "12 months and closed cases"
    )
    assert (
        SamplingRule(
            mode="percent", percent=5, exclude_audited_within_months=0, exclude_closed=False
        ).describe()
        == "5% of each team's eligible cases"
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 5, 15), 12, date(2025, 5, 15)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2026, 1, 10), 1, date(2025, 12, 10)),
        (date(2026, 1, 31), 14, date(2024, 11, 30)),
        (date(2026, 7, 4), 0, date(2026, 7, 4)),
    ],
)
def test_months_before_keeps_the_day_or_falls_back_to_the_months_end(day, months, expected):
    assert months_before(day, months) == expected


def test_numbers_are_read_as_people_type_them():
    assert parse_whole_number(" 1,200 ") == 1200
    assert parse_whole_number("3.5") is None
    assert parse_whole_number("") is None
    assert parse_percent("12.5%") == 12.5
    assert parse_percent("ten") is None
    assert parse_percent("nan") is None
