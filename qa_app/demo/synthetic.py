"""Synthetic audit answers for demonstrations and benchmarks. No real person is described."""

from __future__ import annotations

import random
from datetime import date, timedelta

from qa_app.audits.responses import OVERALL, Response, Responses, judgement_key
from qa_app.audits.rules import check_responses, rationale_required
from qa_app.audits.visibility import visible_criteria
from qa_app.template_format.definition import NOT_APPLICABLE, Criterion, Scale, TemplateDefinition

RATIONALES = (
    "Synthetic demo text: the record shows the plan was reviewed but actions lack timescales.",
    "Synthetic demo text: management oversight is recorded but does not say what changed.",
    "Synthetic demo text: the child's views are recorded in their own words and acted on.",
    "Synthetic demo text: the strategy discussion included health but not the GP.",
    "Synthetic demo text: the family were told about the delay and the reason for it.",
)


def synthetic_responses(
    definition: TemplateDefinition, rng: random.Random, quality: float
) -> tuple[Responses, str]:
    """Return complete responses that pass the template's submission rules, and an override
    reason when one is needed. ``quality`` from 0 to 1 tilts answers towards the better options.
    """
    responses: Responses = {}
    for criterion in definition.criteria():
        # Earlier answers decide which questions show, so work through them in order.
        if criterion.key not in visible_criteria(definition, responses):
            continue
        responses[criterion.key] = _answer(definition, criterion, rng, quality)
    for section in definition.sections:
        if section.judgement is not None:
            responses[judgement_key(section.key)] = _graded(
                definition,
                definition.scale(section.judgement.scale),
                rng,
                quality,
                section.judgement.rationale,
                section.judgement.rationale_below,
            )
    responses[OVERALL] = _graded(
        definition,
        definition.scale(definition.overall.scale),
        rng,
        quality,
        definition.overall.rationale,
        definition.overall.rationale_below,
    )
    override = _override_if_needed(definition, responses)
    assert not check_responses(definition, responses, override, submitting=True)
    return responses, override


def _answer(
    definition: TemplateDefinition, criterion: Criterion, rng: random.Random, quality: float
) -> Response:
    if criterion.allow_na and rng.random() < 0.08:
        return Response(NOT_APPLICABLE)
    match criterion.type:
        case "scale":
            assert criterion.scale is not None
            return _graded(
                definition,
                definition.scale(criterion.scale),
                rng,
                quality,
                criterion.rationale,
                criterion.rationale_below,
            )
        case "tags":
            chosen = [o.value for o in criterion.options if rng.random() < 0.4]
            return Response(tags=chosen or [criterion.options[0].value], rationale=_rationale(rng))
        case "date":
            return Response(
                (date(2026, 10, 1) - timedelta(days=rng.randint(0, 300))).isoformat(),
                rationale=_rationale(rng),
            )
        case "number":
            low = criterion.minimum if criterion.minimum is not None else 0
            high = criterion.maximum if criterion.maximum is not None else low + 20
            return Response(str(rng.randint(int(low), int(high))), rationale=_rationale(rng))
    return Response(_rationale(rng))


def _graded(
    definition: TemplateDefinition,
    scale: Scale,
    rng: random.Random,
    quality: float,
    rule: str,
    below: str | None,
) -> Response:
    options = scale.options
    position = min(int((1 - quality) * len(options) + rng.gauss(0, 0.8)), len(options) - 1)
    option = options[max(position, 0)]
    needs = rationale_required(definition, rule, below, scale.key, option.value)
    return Response(option.value, _rationale(rng) if needs or rng.random() < 0.5 else "")


def _rationale(rng: random.Random) -> str:
    return rng.choice(RATIONALES)


def _override_if_needed(definition: TemplateDefinition, responses: Responses) -> str:
    # The only submission rule a generated answer set can break is a limiting rule.
    if check_responses(definition, responses, "", submitting=True):
        return (
            "Synthetic demo text: the overall grade reflects recent improvement seen on the case."
        )
    return ""
