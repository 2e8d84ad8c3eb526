"""Choosing submitted audits for moderation, at random by a recorded seed (like a round's draw).

For each auditor, in auditor id order: every audit whose overall judgement the rule always
moderates, plus a random share of the others, so that the auditor's drawn audits reach the rule's
percentage of all their submitted audits in scope (rounded up), and at least the rule's minimum.
Audits already chosen count towards that share, so drawing again after more audits are submitted
tops the sample up rather than doubling it. The same audits, rule and seed give the same draw.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

JUDGEMENT = "judgement"
SAMPLE = "sample"


@dataclass(frozen=True, slots=True)
class SubmittedAudit:
    audit_id: int
    auditor_id: int
    overall_judgement: str | None
    already_drawn: bool = False


@dataclass(frozen=True)
class ModerationShare:
    percent: float
    minimum_per_auditor: int
    always_judgements: tuple[str, ...]


@dataclass(frozen=True)
class DrawnAudit:
    audit_id: int
    auditor_id: int
    reason: str  # JUDGEMENT or SAMPLE


def draw_for_moderation(
    audits: Iterable[SubmittedAudit], share: ModerationShare, seed: int
) -> list[DrawnAudit]:
    """Return the audits newly drawn for moderation, by auditor then audit id."""
    by_auditor: dict[int, list[SubmittedAudit]] = defaultdict(list)
    for audit in audits:
        by_auditor[audit.auditor_id].append(audit)
    generator = random.Random(seed)
    drawn: list[DrawnAudit] = []
    for auditor_id in sorted(by_auditor):
        own = sorted(by_auditor[auditor_id], key=lambda a: a.audit_id)
        always = [
            a for a in own if not a.already_drawn and a.overall_judgement in share.always_judgements
        ]
        wanted = max(share.minimum_per_auditor, math.ceil(share.percent / 100 * len(own) - 1e-9))
        have = sum(1 for a in own if a.already_drawn) + len(always)
        pool = [
            a
            for a in own
            if not a.already_drawn and a.overall_judgement not in share.always_judgements
        ]
        chosen = generator.sample(pool, min(max(wanted - have, 0), len(pool)))
        drawn += [DrawnAudit(a.audit_id, auditor_id, JUDGEMENT) for a in always]
        drawn += [
            DrawnAudit(a.audit_id, auditor_id, SAMPLE)
            for a in sorted(chosen, key=lambda a: a.audit_id)
        ]
    return drawn
