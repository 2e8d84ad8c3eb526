"""Sharing a sample out among auditors: the own-team rule, evenness and what cannot be assigned."""

from __future__ import annotations

import random

from qa_app.sampling.draw import Auditor, Sample, SampledCase, assign_evenly


def sample_of(team_counts: dict[int, int]) -> Sample:
    """Return a sample with the given number of cases from each team id."""
    selected, case_id = [], 1
    for team_id, count in team_counts.items():
        for _ in range(count):
            team = f"Team {team_id} (synthetic)"
            selected.append(SampledCase(case_id, f"SYN-{case_id:06d}", team_id, team, "CIN", team))
            case_id += 1
    return Sample(selected)


def team_of(sample: Sample) -> dict[int, int]:
    return {case.case_id: case.team_id for case in sample.selected}


def test_no_auditor_is_given_a_case_from_their_own_team():
    sample = sample_of({1: 10, 2: 10, 3: 10})
    auditors = [Auditor(10, 1), Auditor(11, 2), Auditor(12, 3), Auditor(13, 1)]
    teams = {a.user_id: a.team_id for a in auditors}
    assignment = assign_evenly(sample, auditors, seed=4)
    assert len(assignment.pairs) == 30
    assert all(teams[p.user_id] != team_of(sample)[p.case_id] for p in assignment.pairs)
    assert assignment.unassignable == []


def test_cases_are_spread_as_evenly_as_possible():
    sample = sample_of({1: 7, 2: 6})
    auditors = [Auditor(u, None) for u in (1, 2, 3, 4)]
    counts = assign_evenly(sample, auditors, seed=1).counts()
    assert sorted(counts.values()) == [3, 3, 3, 4]


def test_auditors_with_fewer_open_audits_get_more_new_ones():
    sample = sample_of({1: 6})
    auditors = [Auditor(1, None, open_load=4), Auditor(2, None, open_load=0)]
    counts = assign_evenly(sample, auditors, seed=1).counts()
    assert counts == {1: 1, 2: 5}  # both end with five open audits


def test_constrained_cases_are_placed_first_so_the_spread_stays_even():
    # Team 1's cases can only go to auditor 2 (auditor 1 is in team 1); team 2's can go to
    # either. Placing team 1's first leaves team 2's for auditor 1: two each, whatever the seed.
    sample = sample_of({2: 2, 1: 2})
    auditors = [Auditor(1, 1), Auditor(2, None)]
    for seed in range(20):
        assert assign_evenly(sample, auditors, seed).counts() == {1: 2, 2: 2}


def test_a_case_no_chosen_auditor_may_take_is_reported_with_the_reason():
    sample = sample_of({1: 2, 2: 1})
    assignment = assign_evenly(sample, [Auditor(5, 1)], seed=1)
    assert [p.case_id for p in assignment.pairs] == [3]
    assert [(u.reference, u.reason) for u in assignment.unassignable] == [
        ("SYN-000001", "Every chosen auditor works in Team 1 (synthetic)"),
        ("SYN-000002", "Every chosen auditor works in Team 1 (synthetic)"),
    ]


def test_with_no_auditors_every_case_is_unassignable():
    assignment = assign_evenly(sample_of({1: 2}), [], seed=1)
    assert assignment.pairs == []
    assert {u.reason for u in assignment.unassignable} == {"No auditors were chosen"}


def test_the_same_seed_gives_the_same_assignment_and_ties_follow_the_seed():
    sample = sample_of({1: 5, 2: 5})
    auditors = [Auditor(u, None) for u in range(1, 11)]
    first = assign_evenly(sample, auditors, seed=3)
    assert assign_evenly(sample, list(reversed(auditors)), seed=3) == first
    others = {tuple(p.user_id for p in assign_evenly(sample, auditors, s).pairs) for s in range(5)}
    assert len(others) > 1


def _assign_by_the_plain_rule(sample: Sample, auditors: list[Auditor], seed: int):
    """The rule spelled out the slow way: each case, fewest possible auditors first, goes to the
    allowed auditor with the fewest open audits, ties broken by the seeded order."""
    rng = random.Random(seed)
    ordered = sorted(auditors, key=lambda a: a.user_id)
    rng.shuffle(ordered)
    tie_break = {a.user_id: position for position, a in enumerate(ordered)}
    load = {a.user_id: a.open_load for a in auditors}
    cases = sorted(sample.selected, key=lambda c: c.case_id)
    rng.shuffle(cases)
    allowed = {
        c.case_id: [a for a in ordered if a.team_id is None or a.team_id != c.team_id]
        for c in cases
    }
    cases.sort(key=lambda c: len(allowed[c.case_id]))
    pairs, unassignable = [], []
    for case in cases:
        if not allowed[case.case_id]:
            unassignable.append(case.case_id)
            continue
        chosen = min(allowed[case.case_id], key=lambda a: (load[a.user_id], tie_break[a.user_id]))
        load[chosen.user_id] += 1
        pairs.append((case.case_id, chosen.user_id))
    return sorted(pairs), sorted(unassignable)


def test_assignment_gives_each_case_to_the_least_busy_allowed_auditor_on_random_rounds():
    for trial in range(200):
        chooser = random.Random(trial)
        teams = chooser.randint(1, 6)
        selected = [
            SampledCase(n, f"SYN-{n:06d}", chooser.randint(1, teams), "Team", "CIN", "Team")
            for n in range(1, chooser.randint(2, 60))
        ]
        auditors = [
            Auditor(user_id, chooser.choice([None, *range(1, teams + 1)]), chooser.randint(0, 3))
            for user_id in chooser.sample(range(1, 100), chooser.randint(0, 8))
        ]
        assignment = assign_evenly(Sample(selected), auditors, seed=trial)
        pairs = [(p.case_id, p.user_id) for p in assignment.pairs]
        unassignable = sorted(u.case_id for u in assignment.unassignable)
        assert (pairs, unassignable) == _assign_by_the_plain_rule(
            Sample(selected), auditors, trial
        ), f"trial {trial}"
