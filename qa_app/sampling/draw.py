"""Drawing a round's sample: which cases to audit, chosen at random by a recorded seed.

The same cases, rule and seed always give the same sample, whatever order the cases come in:
the cases are sorted by id, grouped into strata in a fixed order, and ``random.Random(seed)``
samples each stratum in turn. A team with fewer eligible cases than asked for gives all it has,
and the shortfall is reported.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from qa_app.sampling.assignment import (
    AssignedCase,
    Assignment,
    Auditor,
    Unassignable,
    assign_evenly,
)
from qa_app.sampling.rule import SamplingRule, months_before

__all__ = [
    "AUDITED_RECENTLY",
    "CLOSED",
    "ELIGIBLE",
    "Assignment",
    "AssignedCase",
    "Auditor",
    "Candidate",
    "EligibleCase",
    "ExcludedCounts",
    "Sample",
    "SampledCase",
    "SamplingRule",
    "Shortfall",
    "Unassignable",
    "assign_evenly",
    "draw_from_candidates",
    "draw_sample",
    "stratum_label",
]

NO_CASE_TYPE = "Case type not recorded"


@dataclass(frozen=True, slots=True)  # slots: a council may hold 100,000 cases
class EligibleCase:
    """A case the draw may choose, with what the rule needs to know about it."""

    case_id: int
    reference: str
    team_id: int
    team_name: str
    case_type: str | None
    closed_on: date | None
    last_audited_on: date | None


# Why a candidate may not be drawn (ELIGIBLE: it may).
ELIGIBLE = 0
CLOSED = 1
AUDITED_RECENTLY = 2


class Candidate(NamedTuple):
    """A case as the draw sees it: a plain tuple, as cheap to build from a database row as can be.

    ``excluded`` is ELIGIBLE, CLOSED or AUDITED_RECENTLY under the rule being drawn.
    """

    case_id: int
    reference: str
    team_id: int
    case_type: str | None
    excluded: int


@dataclass(frozen=True, slots=True)
class SampledCase:
    case_id: int
    reference: str
    team_id: int
    team: str
    case_type: str | None
    stratum: str


@dataclass(frozen=True)
class Shortfall:
    """A team (or team and case type) with fewer eligible cases than the rule asked for."""

    stratum: str
    wanted: int
    available: int

    @property
    def message(self) -> str:
        """Return the shortfall as a sentence: "Team X has 2 eligible cases; 3 were asked for"."""
        cases = "case" if self.available == 1 else "cases"
        were = "was" if self.wanted == 1 else "were"
        return (
            f"{self.stratum} has {self.available} eligible {cases}; {self.wanted} {were} asked for"
        )


@dataclass(frozen=True)
class ExcludedCounts:
    """How many cases of the chosen teams the rule left out, and why."""

    closed: int = 0
    audited_recently: int = 0

    @property
    def total(self) -> int:
        return self.closed + self.audited_recently


@dataclass(frozen=True)
class Sample:
    selected: list[SampledCase]
    shortfalls: list[Shortfall] = field(default_factory=list)
    excluded_counts: ExcludedCounts = field(default_factory=ExcludedCounts)
    eligible: int = 0  # eligible cases in the chosen teams, before sampling


def stratum_label(team: str, case_type: str | None, stratified: bool) -> str:
    """Return the name of a stratum: the team, or "Team / Case type" when stratified."""
    if not stratified:
        return team
    return f"{team} / {case_type or NO_CASE_TYPE}"


def draw_sample(
    cases: Iterable[EligibleCase], rule: SamplingRule, seed: int, today: date
) -> Sample:
    """Return the sample the rule and seed draw from the cases, with shortfalls and exclusions.

    Cases of teams the rule leaves out are ignored. Closed cases (when the rule says so) and cases
    audited within the rule's months are counted as excluded. Each team's quota comes from
    ``rule.quota``; when stratified, it is shared across the team's case types in proportion to
    their eligible cases by the largest-remainder method.
    """
    cutoff = months_before(today, rule.exclude_audited_within_months)
    team_names: dict[int, str] = {}
    candidates = []
    for case in cases:
        if not rule.includes_team(case.team_id):
            continue
        team_names[case.team_id] = case.team_name
        if rule.exclude_closed and case.closed_on is not None and case.closed_on <= today:
            excluded = CLOSED
        elif (
            rule.exclude_audited_within_months > 0
            and case.last_audited_on is not None
            and case.last_audited_on >= cutoff
        ):
            excluded = AUDITED_RECENTLY
        else:
            excluded = ELIGIBLE
        candidates.append(
            Candidate(case.case_id, case.reference, case.team_id, case.case_type, excluded)
        )
    return draw_from_candidates(candidates, team_names, rule, seed)


def draw_from_candidates(
    candidates: Iterable[tuple], team_names: Mapping[int, str], rule: SamplingRule, seed: int
) -> Sample:
    """Return the sample the rule and seed draw from candidates already marked eligible or not.

    ``candidates`` are the cases of the teams the rule samples, each marked by the rule's
    exclusions (as :func:`draw_sample` marks them, or as a database query does), as
    :class:`Candidate` tuples or plain tuples in the same order (a database driver's rows);
    ``team_names`` names every team they belong to. The same candidates, in any order, give the
    same sample.
    """
    closed = audited = 0
    teams: dict[int, list[tuple]] = {}
    for candidate in candidates:
        _, _, team_id, _, excluded = candidate
        eligible = teams.get(team_id)
        if eligible is None:
            eligible = teams[team_id] = []
        if excluded == ELIGIBLE:
            eligible.append(candidate)
        elif excluded == CLOSED:
            closed += 1
        else:
            audited += 1

    rng = random.Random(seed)
    selected: list[SampledCase] = []
    shortfalls: list[Shortfall] = []
    # A fixed team order (name, then id) makes the random stream's use independent of input order.
    for team_id in sorted(teams, key=lambda t: (team_names[t], t)):
        eligible = teams[team_id]
        eligible.sort()  # by case id, the first field (and unique)
        team = team_names[team_id]
        wanted = rule.quota(len(eligible))
        if wanted > len(eligible):
            shortfalls.append(Shortfall(team, wanted, len(eligible)))
        take = min(wanted, len(eligible))
        for label, members, count in _strata(team, eligible, take, rule):
            chosen = map(Candidate._make, rng.sample(members, count))
            selected.extend(
                SampledCase(c.case_id, c.reference, c.team_id, team, c.case_type, label)
                for c in sorted(chosen, key=lambda c: (c.reference, c.case_id))
            )
    eligible_total = sum(len(members) for members in teams.values())
    return Sample(selected, shortfalls, ExcludedCounts(closed, audited), eligible_total)


def _strata(
    team: str, eligible: list[tuple], take: int, rule: SamplingRule
) -> list[tuple[str, list[tuple], int]]:
    """Return the team's strata in a fixed order: (label, eligible cases by id, cases to draw)."""
    if not rule.stratify_by_case_type:
        return [(stratum_label(team, None, False), eligible, take)]
    by_type: dict[str, list[tuple]] = defaultdict(list)
    for case in eligible:
        by_type[case[3] or ""].append(case)  # its case type
    types = sorted(by_type)
    counts = largest_remainder(take, [len(by_type[t]) for t in types])
    return [
        (stratum_label(team, case_type or None, True), by_type[case_type], count)
        for case_type, count in zip(types, counts, strict=True)
    ]


def largest_remainder(total: int, sizes: list[int]) -> list[int]:
    """Return ``total`` shared out in proportion to ``sizes`` by the largest-remainder method.

    Each share is the whole part of ``total * size / sum(sizes)``; the seats left over go to the
    largest fractional parts, ties to the earlier entry. Integer arithmetic keeps it exact.
    """
    whole = sum(sizes)
    if whole == 0 or total == 0:
        return [0] * len(sizes)
    shares = [total * size // whole for size in sizes]
    remainders = [total * size % whole for size in sizes]
    left = total - sum(shares)
    for index in sorted(range(len(sizes)), key=lambda i: (-remainders[i], i))[:left]:
        shares[index] += 1
    return shares
