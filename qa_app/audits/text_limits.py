"""How much text an audit may hold: every written box has a server-side limit.

A browser's character count can be switched off or bypassed, so the limits are checked here, on
everything posted, before anything is saved. A box over its limit is reported like any other
problem (on the box, in the error summary) and nothing on the page is saved, so what was typed
stays on the page to be shortened.
"""

from __future__ import annotations

from qa_app.audits.responses import JUDGEMENT_SUFFIX, OVERALL, Responses, encode_value
from qa_app.audits.rules import Problem
from qa_app.template_format.definition import TemplateDefinition

# Rationales, written answers, the override reason, the worker's reflection, family feedback.
TEXT_MAX = 10_000


def too_long_message(what: str, limit: int = TEXT_MAX) -> str:
    """Return the GOV.UK message for text over its limit, e.g. "Your reasons ... must be 10,000
    characters or fewer"."""
    return f"{what} must be {limit:,} characters or fewer"


def too_long_problems(
    definition: TemplateDefinition, responses: Responses, override_reason: str | None
) -> list[Problem]:
    """Return a problem for each answer, rationale or override reason over :data:`TEXT_MAX`."""
    problems: list[Problem] = []
    for key, response in responses.items():
        question = _question(definition, key)
        if len(encode_value(response) or "") > TEXT_MAX:
            problems.append(Problem(key, "answer", too_long_message(f"The answer to “{question}”")))
        if len(response.rationale or "") > TEXT_MAX:
            problems.append(
                Problem(key, "rationale", too_long_message(f"Your reasons for “{question}”"))
            )
    if override_reason is not None and len(override_reason) > TEXT_MAX:
        problems.append(
            Problem(
                OVERALL,
                "override",
                too_long_message(
                    "The reason the overall judgement is better than a limiting answer"
                ),
            )
        )
    return problems


def _question(definition: TemplateDefinition, key: str) -> str:
    if key == OVERALL:
        return definition.overall.question
    if key.endswith(JUDGEMENT_SUFFIX):
        section_key = key.removesuffix(JUDGEMENT_SUFFIX)
        for section in definition.sections:
            if section.key == section_key and section.judgement is not None:
                return section.judgement.question
        return section_key
    criterion = definition.criterion(key)
    return criterion.question if criterion is not None else key
