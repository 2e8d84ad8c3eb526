"""The template's rules for what an audit must contain: checked on every save and on submit.

A draft may be incomplete, but what it holds must make sense (a number is a number); a submitted
audit must also answer every shown required question, give the reasons the template asks for and
respect the limiting rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from qa_app.audits.responses import OVERALL, Response, Responses, judgement_key, parse_number
from qa_app.audits.scoring import judgement_score, limiting_score, score_audit
from qa_app.audits.visibility import visible_criteria
from qa_app.template_format.definition import (
    NOT_APPLICABLE,
    Criterion,
    Judgement,
    TemplateDefinition,
)

Part = Literal["answer", "rationale", "override"]


@dataclass(frozen=True)
class Problem:
    """Something to put right; ``target`` is a response key, ``part`` the box it concerns."""

    target: str
    part: Part
    message: str


def rationale_required(
    definition: TemplateDefinition,
    rule: str,
    rationale_below: str | None,
    scale_key: str | None,
    value: str | None,
) -> bool:
    """Return True when an answer with this value needs a written rationale."""
    if not value or value == NOT_APPLICABLE or rule == "never":
        return False
    if rule == "always":
        return True
    if scale_key is None:
        return False
    scale = definition.scale(scale_key)
    option = scale.option(value)
    if option is None:
        return False
    if rule == "below" and rationale_below is not None:
        threshold = scale.option(rationale_below)
        return threshold is not None and option.score < threshold.score
    return option.needs_rationale


def check_responses(
    definition: TemplateDefinition,
    responses: Responses,
    override_reason: str = "",
    *,
    submitting: bool,
) -> list[Problem]:
    """Return every problem with the responses, in page order (empty when all is well)."""
    problems: list[Problem] = []
    visible = visible_criteria(definition, responses)
    for section in definition.sections:
        for criterion in section.criteria:
            if criterion.key in visible:
                response = responses.get(criterion.key, Response())
                problems += _check_criterion(definition, criterion, response, submitting)
        if section.judgement is not None:
            key = judgement_key(section.key)
            problems += _check_judgement(
                definition,
                key,
                section.judgement,
                responses.get(key, Response()),
                submitting,
                f"this section: {section.title}",
            )
    problems += _check_judgement(
        definition,
        OVERALL,
        definition.overall,
        responses.get(OVERALL, Response()),
        submitting,
        "the overall judgement",
    )
    if submitting and not override_reason.strip():
        problems += _check_limits(definition, responses)
    return problems


def _check_criterion(
    definition: TemplateDefinition, criterion: Criterion, response: Response, submitting: bool
) -> list[Problem]:
    key, question = criterion.key, _short(criterion.question)
    value = (response.value or "").strip()
    if not response.is_answered:
        if submitting and criterion.required:
            verb = "Select" if criterion.type in ("scale", "tags") else "Enter"
            noun = "an answer for" if criterion.type != "tags" else "at least one option for"
            return [Problem(key, "answer", f"{verb} {noun} ‘{question}’")]
        return []
    if value == NOT_APPLICABLE:
        if not criterion.allow_na:
            return [Problem(key, "answer", f"‘{question}’ cannot be answered not applicable")]
        return []
    problem = _check_value(definition, criterion, response, value, question)
    if problem:
        return [Problem(key, "answer", problem)]
    if (
        submitting
        and not response.rationale.strip()
        and rationale_required(
            definition,
            criterion.rationale,
            criterion.rationale_below,
            criterion.scale,
            value or "x",
        )
    ):
        return [Problem(key, "rationale", f"Enter your reasons for this answer to ‘{question}’")]
    return []


def _check_value(
    definition: TemplateDefinition,
    criterion: Criterion,
    response: Response,
    value: str,
    question: str,
) -> str | None:
    if criterion.type == "scale":
        if criterion.scale is None or definition.scale(criterion.scale).option(value) is None:
            return f"Select one of the answers given for ‘{question}’"
    elif criterion.type == "tags":
        allowed = {option.value for option in criterion.options}
        if any(tag not in allowed for tag in response.tags):
            return f"Select only the options given for ‘{question}’"
    elif criterion.type == "number":
        number = parse_number(value)
        if number is None:
            return f"The answer to ‘{question}’ must be a number"
        if criterion.minimum is not None and number < criterion.minimum:
            return f"The answer to ‘{question}’ must be {_plain(criterion.minimum)} or more"
        if criterion.maximum is not None and number > criterion.maximum:
            return f"The answer to ‘{question}’ must be {_plain(criterion.maximum)} or less"
    elif criterion.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"The answer to ‘{question}’ must be a real date"
    return None


def _check_judgement(
    definition: TemplateDefinition,
    key: str,
    judgement: Judgement,
    response: Response,
    submitting: bool,
    name: str,
) -> list[Problem]:
    value = (response.value or "").strip()
    if not value:
        return [Problem(key, "answer", f"Select a grade for {name}")] if submitting else []
    if definition.scale(judgement.scale).option(value) is None:
        return [Problem(key, "answer", f"Select one of the grades given for {name}")]
    if (
        submitting
        and not response.rationale.strip()
        and rationale_required(
            definition, judgement.rationale, judgement.rationale_below, judgement.scale, value
        )
    ):
        return [Problem(key, "rationale", f"Enter your reasons for the grade for {name}")]
    return []


def _check_limits(definition: TemplateDefinition, responses: Responses) -> list[Problem]:
    overall = responses.get(OVERALL, Response())
    overall_score = judgement_score(definition, definition.overall.scale, overall.value)
    if overall_score is None:
        return []
    score = score_audit(definition, responses)
    for key in definition.limited_by:
        limit = limiting_score(definition, responses, score, key)
        if limit is not None and overall_score > limit + 1e-9:
            return [
                Problem(
                    OVERALL,
                    "override",
                    "The overall judgement is better than the answer for "
                    f"‘{_limit_name(definition, key)}’. Change the overall judgement, or give "
                    "your reason for the difference",
                )
            ]
    return []


def _limit_name(definition: TemplateDefinition, key: str) -> str:
    for section in definition.sections:
        if section.key == key:
            return section.title
    criterion = definition.criterion(key)
    return _short(criterion.question) if criterion else key


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)
