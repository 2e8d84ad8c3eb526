"""Drawing samples: quotas, stratification, exclusions, shortfalls and repeatability."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from qa_app.sampling.draw import EligibleCase, SamplingRule, draw_sample, largest_remainder

TODAY = date(2026, 5, 15)


def make_cases(
    teams: dict[str, int] | None = None, types: tuple[str, ...] = ("CIN",), start_id: int = 1
) -> list[EligibleCase]:
    """Return open, never-audited synthetic cases: ``teams`` maps a team name to its case count,
    and case types cycle through ``types``."""
    teams = teams or {"Team A (synthetic)": 10, "Team B (synthetic)": 10}
    cases, case_id = [], start_id
    for team_id, (team, count) in enumerate(teams.items(), start=1):
        for index in range(count):
            cases.append(
                EligibleCase(
                    case_id,
                    f"SYN-{case_id:06d}",
                    team_id,
                    team,
                    types[index % len(types)],
                    None,
                    None,
                )
            )
            case_id += 1
    return cases


def per_team(count: int, **options) -> SamplingRule:
    return SamplingRule(mode="per_team", cases_per_team=count, **options)


def percent(value: float, **options) -> SamplingRule:
    return SamplingRule(mode="percent", percent=value, **options)


def by_team(sample) -> Counter:
    return Counter(case.team for case in sample.selected)


def test_per_team_rule_draws_that_many_cases_from_every_team():
    sample = draw_sample(make_cases(), per_team(3), seed=1, today=TODAY)
    assert by_team(sample) == {"Team A (synthetic)": 3, "Team B (synthetic)": 3}
    assert sample.shortfalls == []
    assert sample.eligible == 20
    assert len({case.case_id for case in sample.selected}) == 6


def test_percent_rule_rounds_each_teams_share_up():
    cases = make_cases({"Team A (synthetic)": 30, "Team B (synthetic)": 7})
    sample = draw_sample(cases, percent(10), seed=1, today=TODAY)
    # 10% of 30 is exactly 3 (not 4 through float error); 10% of 7 is 0.7, rounded up to 1.
    assert by_team(sample) == {"Team A (synthetic)": 3, "Team B (synthetic)": 1}


def test_percent_rule_takes_at_least_one_case_from_a_team_with_any():
    cases = make_cases({"Team A (synthetic)": 1, "Team B (synthetic)": 200})
    sample = draw_sample(cases, percent(0.5), seed=3, today=TODAY)
    assert by_team(sample) == {"Team A (synthetic)": 1, "Team B (synthetic)": 1}


def test_stratified_sample_shares_a_teams_quota_by_largest_remainder():
    # 6 CIN, 3 CP, 1 LAC: 5 cases share as 3.0, 1.5, 0.5 -> 3, 1 (+1 for the earlier tie), 0.
    types = ("CIN",) * 6 + ("CP",) * 3 + ("LAC",)
    cases = make_cases({"Team A (synthetic)": 10}, types=types)
    sample = draw_sample(cases, per_team(5, stratify_by_case_type=True), seed=9, today=TODAY)
    strata = Counter(case.stratum for case in sample.selected)
    assert strata == {"Team A (synthetic) / CIN": 3, "Team A (synthetic) / CP": 2}
    assert all(case.stratum.endswith(case.case_type) for case in sample.selected)


def test_largest_remainder_gives_the_leftover_seats_to_the_largest_fractions():
    assert largest_remainder(10, [5, 3, 2]) == [5, 3, 2]
    assert largest_remainder(4, [5, 3, 2]) == [2, 1, 1]  # 2.0, 1.2, 0.8
    assert largest_remainder(3, [1, 1, 1, 1]) == [1, 1, 1, 0]
    assert largest_remainder(0, [4, 4]) == [0, 0]
    assert largest_remainder(5, []) == []
    assert sum(largest_remainder(7, [13, 29, 1, 8])) == 7


def test_unstratified_stratum_is_the_team_and_missing_case_types_have_a_label():
    cases = make_cases({"Team A (synthetic)": 4}, types=("CIN",))
    cases[0] = EligibleCase(1, "SYN-000001", 1, "Team A (synthetic)", None, None, None)
    plain = draw_sample(cases, per_team(4), seed=1, today=TODAY)
    assert {case.stratum for case in plain.selected} == {"Team A (synthetic)"}
    stratified = draw_sample(cases, per_team(4, stratify_by_case_type=True), seed=1, today=TODAY)
    assert "Team A (synthetic) / Case type not recorded" in {c.stratum for c in stratified.selected}


def test_recently_audited_cases_are_left_out_and_counted():
    cases = make_cases({"Team A (synthetic)": 4})
    recent = EligibleCase(90, "SYN-000090", 1, "Team A (synthetic)", "CIN", None, date(2025, 6, 1))
    long_ago = EligibleCase(
        91, "SYN-000091", 1, "Team A (synthetic)", "CIN", None, date(2025, 5, 14)
    )
    sample = draw_sample([*cases, recent, long_ago], per_team(10), seed=1, today=TODAY)
    chosen = {case.case_id for case in sample.selected}
    assert 90 not in chosen and 91 in chosen
    assert sample.excluded_counts.audited_recently == 1
    assert sample.excluded_counts.closed == 0


def test_audit_exactly_twelve_months_ago_counts_as_recent():
    case = EligibleCase(1, "SYN-000001", 1, "Team A (synthetic)", "CIN", None, date(2025, 5, 15))
    sample = draw_sample([case], per_team(1), seed=1, today=TODAY)
    assert sample.selected == []
    assert sample.excluded_counts.audited_recently == 1


def test_zero_months_keeps_recently_audited_cases():
    case = EligibleCase(1, "SYN-000001", 1, "Team A (synthetic)", "CIN", None, TODAY)
    rule = per_team(1, exclude_audited_within_months=0)
    assert len(draw_sample([case], rule, seed=1, today=TODAY).selected) == 1


def test_closed_cases_are_left_out_unless_the_rule_includes_them():
    closed = EligibleCase(1, "SYN-000001", 1, "Team A (synthetic)", "CIN", date(2026, 1, 2), None)
    open_case = EligibleCase(2, "SYN-000002", 1, "Team A (synthetic)", "CIN", None, None)
    sample = draw_sample([closed, open_case], per_team(2), seed=1, today=TODAY)
    assert [case.case_id for case in sample.selected] == [2]
    assert sample.excluded_counts.closed == 1
    included = draw_sample([closed, open_case], per_team(2, exclude_closed=False), 1, TODAY)
    assert len(included.selected) == 2


def test_a_team_with_too_few_cases_gives_all_it_has_and_the_shortfall_is_reported():
    cases = make_cases({"Team A (synthetic)": 2, "Team B (synthetic)": 8})
    sample = draw_sample(cases, per_team(3), seed=5, today=TODAY)
    assert by_team(sample) == {"Team A (synthetic)": 2, "Team B (synthetic)": 3}
    [shortfall] = sample.shortfalls
    assert (shortfall.stratum, shortfall.wanted, shortfall.available) == (
        "Team A (synthetic)",
        3,
        2,
    )
    assert shortfall.message == "Team A (synthetic) has 2 eligible cases; 3 were asked for"


def test_a_team_whose_cases_are_all_excluded_is_reported_as_a_shortfall():
    closed = EligibleCase(1, "SYN-000001", 1, "Team A (synthetic)", "CIN", date(2026, 1, 2), None)
    sample = draw_sample([closed], per_team(1), seed=1, today=TODAY)
    assert [s.message for s in sample.shortfalls] == [
        "Team A (synthetic) has 0 eligible cases; 1 was asked for"
    ]


def test_teams_not_chosen_are_ignored():
    cases = make_cases()
    sample = draw_sample(cases, per_team(3, teams=[2]), seed=1, today=TODAY)
    assert set(by_team(sample)) == {"Team B (synthetic)"}
    assert sample.eligible == 10


@pytest.mark.parametrize("stratify", [False, True])
def test_same_seed_gives_the_same_sample_whatever_the_input_order(stratify):
    cases = make_cases(
        {"Team A (synthetic)": 40, "Team B (synthetic)": 25, "Team C (synthetic)": 3},
        types=("CIN", "CP", "LAC", "CIN"),
    )
    rule = per_team(4, stratify_by_case_type=stratify)
    first = draw_sample(cases, rule, seed=2026, today=TODAY)
    for shuffle_seed in range(5):
        shuffled = cases[:]
        random.Random(shuffle_seed).shuffle(shuffled)
        assert draw_sample(shuffled, rule, seed=2026, today=TODAY) == first


def test_a_different_seed_gives_a_different_sample():
    cases = make_cases({"Team A (synthetic)": 100, "Team B (synthetic)": 100})
    samples = {
        tuple(c.case_id for c in draw_sample(cases, per_team(5), seed, TODAY).selected)
        for seed in range(10)
    }
    assert len(samples) == 10


def test_every_case_in_a_team_is_drawable():
    cases = make_cases({"Team A (synthetic)": 6})
    seen = set()
    for seed in range(200):
        seen.update(c.case_id for c in draw_sample(cases, per_team(1), seed, TODAY).selected)
    assert seen == {c.case_id for c in cases}
