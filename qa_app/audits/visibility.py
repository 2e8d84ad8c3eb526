"""Which questions an audit shows, given the answers so far (the template's ``show_if`` rules)."""

from __future__ import annotations

from qa_app.audits.responses import Response, Responses
from qa_app.template_format.definition import Condition, Criterion, TemplateDefinition


def visible_criteria(definition: TemplateDefinition, responses: Responses) -> set[str]:
    """Return the keys of the criteria that are shown.

    Conditions only look at earlier criteria, so one pass in template order settles every chain:
    an answer to a hidden question counts as no answer.
    """
    visible: set[str] = set()
    for criterion in definition.criteria():
        show_if = criterion.show_if
        if show_if is None:
            visible.add(criterion.key)
            continue
        results = [_holds(c, responses, visible) for c in show_if.conditions]
        if all(results) if show_if.mode == "all" else any(results):
            visible.add(criterion.key)
    return visible


_NO_ANSWER = Response()


def _holds(condition: Condition, responses: Responses, visible: set[str]) -> bool:
    if condition.criterion not in visible:
        return False
    response = responses.get(condition.criterion, _NO_ANSWER)
    if not response.is_answered:
        return False  # every operator, is_not included, needs an answer to compare
    value = (response.value or "").strip()
    first = condition.values[0] if condition.values else ""
    match condition.operator:
        case "is":
            return value == first
        case "is_not":
            return value != first
        case "in":
            return value in condition.values
        case "not_in":
            return value not in condition.values
        case "includes":
            return first in response.tags
        case "answered":
            return True
    return False


def is_shown(criterion: Criterion, responses: Responses, visible: set[str]) -> bool:
    """Return whether one criterion shows, given the earlier criteria already found visible.

    For code that walks the criteria in order itself (answer generators), so each condition
    is checked once rather than the whole template each time.
    """
    show_if = criterion.show_if
    if show_if is None:
        return True
    results = [_holds(c, responses, visible) for c in show_if.conditions]
    return all(results) if show_if.mode == "all" else any(results)
