"""What counts as "good or better" and "inadequate" on a template's scales (no Flask, no database).

Councils report the share of audits graded good or better. On the Ofsted scale that is Good and
Outstanding; on a Signs of Safety scaling question it is 6 and above (as councils report it); on
any other scale (yes / partly / no, timeliness) only the best option counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.template_format.definition import Scale, TemplateDefinition

# Scores are fractions such as 2/3: compare with a little room so stored floats never miss.
EPSILON = 1e-9
SCALING_GOOD_FROM = 0.6


def good_threshold(scale: Scale) -> float:
    """Return the lowest score that counts as good or better on the scale."""
    good = scale.option("good")
    if good is not None:
        return good.score
    if scale.key == "scaling_0_10":
        return SCALING_GOOD_FROM
    return max(option.score for option in scale.options)


def lowest_score(scale: Scale) -> float:
    """Return the score of the scale's worst option (Inadequate on the Ofsted scale)."""
    return min(option.score for option in scale.options)


def is_good(scale: Scale, score: float | None) -> bool | None:
    """Return whether a score is good or better, or None when there is no score."""
    return None if score is None else score >= good_threshold(scale) - EPSILON


def is_lowest(scale: Scale, score: float | None) -> bool | None:
    """Return whether a score is the scale's worst grade, or None when there is no score."""
    return None if score is None else score <= lowest_score(scale) + EPSILON


@dataclass(frozen=True)
class GradedKeys:
    """A template version's graded answer keys and the scale each is graded on."""

    criteria: dict[str, Scale]  # scale criteria
    judgements: dict[str, Scale]  # section judgements, keyed "<section>.judgement"


def graded_keys(definition: TemplateDefinition) -> GradedKeys:
    """Return the keys of the answers the rollup keeps: scale criteria and section judgements."""
    criteria = {
        c.key: definition.scale(c.scale)
        for c in definition.criteria()
        if c.type == "scale" and c.scale is not None
    }
    judgements = {
        f"{s.key}.judgement": definition.scale(s.judgement.scale)
        for s in definition.sections
        if s.judgement is not None
    }
    return GradedKeys(criteria, judgements)


def criterion_findings(definition: TemplateDefinition) -> list[tuple[str, str]]:
    """Return (criterion key, finding tag) for every finding a criterion is tagged with."""
    return [(c.key, finding) for c in definition.criteria() for finding in c.findings]
