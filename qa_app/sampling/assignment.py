"""Sharing a sample's cases out among auditors as evenly as the own-team rule allows.

No auditor audits a case held by their own team. Within that rule each case goes to the auditor
with the fewest open audits so far (counting those just given out), ties broken by an order drawn
from the seed, so the same inputs always give the same assignment.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa_app.sampling.draw import Sample, SampledCase


@dataclass(frozen=True)
class Auditor:
    user_id: int
    team_id: int | None
    open_load: int = 0  # audits already assigned to them and not yet submitted


@dataclass(frozen=True)
class AssignedCase:
    case_id: int
    user_id: int


@dataclass(frozen=True)
class Unassignable:
    case_id: int
    reference: str
    reason: str


@dataclass(frozen=True)
class Assignment:
    pairs: list[AssignedCase] = field(default_factory=list)
    unassignable: list[Unassignable] = field(default_factory=list)

    def counts(self) -> dict[int, int]:
        """Return how many cases each auditor was given, by user id."""
        counts: dict[int, int] = {}
        for pair in self.pairs:
            counts[pair.user_id] = counts.get(pair.user_id, 0) + 1
        return counts


def assign_evenly(sample: Sample, auditors: Sequence[Auditor], seed: int) -> Assignment:
    """Return which auditor audits each case, and the cases no auditor may take (with why).

    Cases with the fewest possible auditors are placed first, so a team that only a few auditors
    may audit is not left until those auditors are already the busiest.
    """
    cases: list[SampledCase] = list(sample.selected)
    rng = random.Random(seed)
    ordered = sorted(auditors, key=lambda a: a.user_id)
    rng.shuffle(ordered)

    cases.sort(key=lambda c: c.case_id)
    rng.shuffle(cases)
    # Who may audit a case depends only on its team: work each team's auditors out once.
    allowed_count: dict[int, int] = {}
    for case in cases:
        if case.team_id not in allowed_count:
            allowed_count[case.team_id] = sum(
                1 for a in ordered if a.team_id is None or a.team_id != case.team_id
            )
    # A stable sort keeps the seeded shuffle within cases that have as many possible auditors.
    cases.sort(key=lambda c: allowed_count[c.team_id])

    # The least busy auditor is the smallest (open audits, place in the seeded order): a heap of
    # those keys gives them in turn. A case's own team's auditors are set aside while it is
    # placed, so each case costs a few heap steps rather than a pass over every auditor.
    heap = [(a.open_load, position, a.user_id, a.team_id) for position, a in enumerate(ordered)]
    heapq.heapify(heap)
    pairs: list[AssignedCase] = []
    unassignable: list[Unassignable] = []
    for case in cases:
        if not allowed_count[case.team_id]:
            reason = (
                "No auditors were chosen"
                if not auditors
                else f"Every chosen auditor works in {case.team}"
            )
            unassignable.append(Unassignable(case.case_id, case.reference, reason))
            continue
        set_aside = []
        while heap[0][3] is not None and heap[0][3] == case.team_id:
            set_aside.append(heapq.heappop(heap))
        load, position, user_id, team_id = heap[0]
        heapq.heapreplace(heap, (load + 1, position, user_id, team_id))
        for entry in set_aside:
            heapq.heappush(heap, entry)
        pairs.append(AssignedCase(case.case_id, user_id))
    pairs.sort(key=lambda p: p.case_id)
    unassignable.sort(key=lambda u: (u.reference, u.case_id))
    return Assignment(pairs, unassignable)
