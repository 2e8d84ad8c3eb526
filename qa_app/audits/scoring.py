"""Scores: how an audit's answers add up, as the template's scoring rule says.

Each scale answer scores its option's score (0 to 1). Not applicable, unanswered and hidden
questions leave the denominator; weights apply; the audit's score and each section's score are
weighted means. The overall judgement is the auditor's own and is never computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_app.audits.responses import Responses, judgement_key
from qa_app.audits.visibility import visible_criteria
from qa_app.template_format.definition import NOT_APPLICABLE, Criterion, TemplateDefinition


@dataclass(frozen=True)
class AuditScore:
    overall: float | None
    sections: dict[str, float | None] = field(default_factory=dict)
    answers: dict[str, float | None] = field(default_factory=dict)


def answer_score(
    definition: TemplateDefinition, criterion: Criterion, value: str | None
) -> float | None:
    """Return the score of one answer, or None when it does not count (N/A, blank, not graded)."""
    if criterion.type != "scale" or criterion.scale is None or not value or value == NOT_APPLICABLE:
        return None
    option = definition.scale(criterion.scale).option(value)
    return None if option is None else option.score


def judgement_score(
    definition: TemplateDefinition, scale_key: str, value: str | None
) -> float | None:
    """Return the score of a judgement's chosen option, or None."""
    if not value:
        return None
    option = definition.scale(scale_key).option(value)
    return None if option is None else option.score


def score_audit(definition: TemplateDefinition, responses: Responses) -> AuditScore:
    """Return the audit's weighted score, each section's, and each shown answer's."""
    visible = visible_criteria(definition, responses)
    answers: dict[str, float | None] = {}
    sections: dict[str, float | None] = {}
    total_weighted = total_weight = 0.0
    for section in definition.sections:
        section_weighted = section_weight = 0.0
        for criterion in section.criteria:
            response = responses.get(criterion.key)
            value = response.value if response and criterion.key in visible else None
            score = answer_score(definition, criterion, value)
            answers[criterion.key] = score
            if score is not None and criterion.weight > 0:
                section_weighted += score * criterion.weight
                section_weight += criterion.weight
        sections[section.key] = section_weighted / section_weight if section_weight else None
        total_weighted += section_weighted
        total_weight += section_weight
    overall = total_weighted / total_weight if total_weight else None
    return AuditScore(overall=overall, sections=sections, answers=answers)


def limiting_score(
    definition: TemplateDefinition, responses: Responses, score: AuditScore, key: str
) -> float | None:
    """Return the score a limiting rule compares the overall judgement with.

    A section limits through its own judgement when it has one, else through its score; a
    criterion limits through its answer's score.
    """
    for section in definition.sections:
        if section.key == key:
            if section.judgement is not None:
                response = responses.get(judgement_key(section.key))
                return judgement_score(
                    definition, section.judgement.scale, response.value if response else None
                )
            return score.sections.get(key)
    return score.answers.get(key)


def format_score(score: float | None) -> str:
    """Return a score as a whole percentage for people to read, or "Not scored"."""
    return "Not scored" if score is None else f"{round(score * 100)}%"
