"""Synthetic audit answers for demonstrations and benchmarks. No real person is described."""

from __future__ import annotations

import random
from datetime import date, timedelta

from qa_app.audits.responses import OVERALL, Response, Responses, judgement_key
from qa_app.audits.rules import check_responses, rationale_required
from qa_app.audits.visibility import is_shown, visible_criteria
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


# --- answers whose section and overall judgements follow from the criteria ----------------------

# Ofsted-style grades from a mean score (0 to 1): the same bands councils' guidance describes.
JUDGEMENT_BANDS = ((0.8, 0), (0.55, 1), (0.25, 2))


def consistent_responses(
    definition: TemplateDefinition,
    rng: random.Random,
    quality: float,
    criterion_quality: dict[str, float] | None = None,
) -> Responses:
    """Return complete responses where each section judgement follows from its criteria's
    scores and the overall judgement from the section judgements (no better than any section
    that limits it), so grades and score tell the same story. ``criterion_quality`` overrides
    ``quality`` for named criteria (a finding that is getting worse, say).
    """
    from qa_app.audits.scoring import judgement_score, score_audit

    overrides = criterion_quality or {}
    responses: Responses = {}
    shown: set[str] = set()
    for criterion in definition.criteria():
        # Conditions look only at earlier criteria, all settled by now: one check each.
        if not is_shown(criterion, responses, shown):
            continue
        shown.add(criterion.key)
        responses[criterion.key] = _answer(
            definition, criterion, rng, overrides.get(criterion.key, quality)
        )
    score = score_audit(definition, responses)
    section_scores: list[float] = []
    limits: list[float] = []
    for section in definition.sections:
        mean = score.sections.get(section.key)
        if section.judgement is not None:
            scale = definition.scale(section.judgement.scale)
            basis = quality if mean is None else mean
            option = _banded(scale, basis + rng.gauss(0, 0.05))
            responses[judgement_key(section.key)] = _with_rationale(
                definition, scale, option.value, section.judgement, rng
            )
            mean = judgement_score(definition, scale.key, option.value)
        if mean is None:
            continue
        section_scores.append(mean)
        if section.key in definition.limited_by:
            limits.append(mean)
    for key in definition.limited_by:
        if definition.criterion(key) is not None and score.answers.get(key) is not None:
            limits.append(score.answers[key])
    overall_scale = definition.scale(definition.overall.scale)
    overall_basis = sum(section_scores) / len(section_scores) if section_scores else quality
    overall = _banded(overall_scale, overall_basis)
    if limits:
        ceiling = _banded(overall_scale, min(limits))
        if ceiling.score < overall.score:
            overall = ceiling
    responses[OVERALL] = _with_rationale(
        definition, overall_scale, overall.value, definition.overall, rng
    )
    if check_responses(definition, responses, "", submitting=True):
        # A criterion that limits the overall judgement: follow it, as an auditor would.
        for option in reversed(overall_scale.options):
            responses[OVERALL] = _with_rationale(
                definition, overall_scale, option.value, definition.overall, rng
            )
            if not check_responses(definition, responses, "", submitting=True):
                break
    assert not check_responses(definition, responses, "", submitting=True)
    return responses


def _banded(scale: Scale, mean: float):
    """Return the option a mean score falls in: Ofsted-style bands on a four-point scale,
    else the option with the nearest score."""
    options = scale.options
    if len(options) == 4:
        for floor, index in JUDGEMENT_BANDS:
            if mean >= floor:
                return options[index]
        return options[3]
    return min(options, key=lambda o: abs(o.score - mean))


def _with_rationale(definition, scale: Scale, value: str, judgement, rng: random.Random):
    needs = rationale_required(
        definition, judgement.rationale, judgement.rationale_below, scale.key, value
    )
    return Response(value, _rationale(rng) if needs or rng.random() < 0.5 else "")
