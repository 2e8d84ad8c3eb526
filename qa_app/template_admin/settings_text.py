"""A template's settings in plain words, for the QA lead's preview of a version.

Each question gets a list of :class:`Setting` rows (answer type, scale and scores, required,
N/A, weight, rationale rule, inspection area and findings, when it is shown, what it replaces).
Plain Python: no web framework, so it is quick to test.
"""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.template_format.definition import (
    CASE_TYPES,
    INSPECTION_AREAS,
    NOT_APPLICABLE,
    Condition,
    Criterion,
    Judgement,
    ShowIf,
    TemplateDefinition,
)


@dataclass(frozen=True)
class Setting:
    """One row of a settings summary: a label, a sentence, and optionally a list under it."""

    label: str
    text: str = ""
    lines: tuple[str, ...] = ()


ANSWER_TYPES = {
    "scale": "Grade on a scale",
    "date": "Date",
    "number": "Number",
    "text": "Written answer",
    "tags": "Tick any that apply",
}

_TESTS = {
    "is": "is",
    "is_not": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "includes": "has ticked",
    "includes_any": "has ticked any of",
}
# Conditions that, joined by "any", say the same as one condition naming all their values.
_ONE_OF = {"is": "in", "in": "in", "includes": "includes_any"}


def score_text(score: float) -> str:
    """Return a number as the template guide writes it: 1, 0.667, 0.5, 0, 120."""
    return str(int(score)) if float(score).is_integer() else str(round(score, 3))


def criterion_settings(definition: TemplateDefinition, criterion: Criterion) -> list[Setting]:
    """Return the settings of one criterion that a QA lead checks, in reading order."""
    rows = [
        Setting("Key", criterion.key),
        Setting("Answer type", ANSWER_TYPES.get(criterion.type, criterion.type)),
    ]
    if criterion.type == "scale" and criterion.scale:
        rows.append(_scale_setting(definition, criterion.scale, criterion.allow_na))
    elif criterion.type == "tags":
        rows.append(
            Setting("Options", lines=tuple(f"{o.label} ({o.value})" for o in criterion.options))
        )
    elif criterion.type == "number":
        rows.append(Setting("Numbers allowed", _number_range(criterion)))
    rows += [
        Setting("Required", "Yes" if criterion.required else "No, optional"),
        Setting("Not applicable allowed", "Yes" if criterion.allow_na else "No"),
        Setting("Weight", _weight_text(criterion)),
        Setting(
            "Written rationale",
            rationale_in_words(
                definition,
                criterion.rationale,
                criterion.rationale_below,
                criterion.scale,
                criterion.type,
            ),
        ),
        Setting("Inspection area", INSPECTION_AREAS.get(criterion.area or "", "None")),
        _findings_setting(definition, criterion.findings),
        show_if_setting(definition, criterion.show_if),
        Setting(
            "Replaces",
            f"{criterion.replaces} (its key in an earlier version)"
            if criterion.replaces
            else "None",
        ),
        Setting("Trend key", definition.lineage_key(criterion.key)),
    ]
    return rows


def judgement_settings(
    definition: TemplateDefinition, judgement: Judgement, limited_by: tuple[str, ...] = ()
) -> list[Setting]:
    """Return the settings of a section or overall judgement (``limited_by`` for the overall)."""
    rows = [
        _scale_setting(definition, judgement.scale, allow_na=False),
        Setting("Required", "Yes"),
        Setting(
            "Written rationale",
            rationale_in_words(
                definition, judgement.rationale, judgement.rationale_below, judgement.scale
            ),
        ),
    ]
    if limited_by:
        rows.append(
            Setting(
                "Limited by",
                "The overall judgement cannot be better than these without an override reason:",
                tuple(limit_name(definition, key) for key in limited_by),
            )
        )
    return rows


def template_settings(definition: TemplateDefinition) -> list[Setting]:
    """Return the template-level facts: case types, look-back period and findings."""
    case_types = tuple(CASE_TYPES.get(key, key) for key in definition.applies_to)
    look_back = (
        f"The last {definition.look_back_months} months of the record"
        if definition.look_back_months
        else "Not set"
    )
    return [
        Setting("Case types", "" if case_types else "Any", case_types),
        Setting("Look-back period", look_back),
        _findings_setting(definition, tuple(definition.findings)),
    ]


def rationale_in_words(
    definition: TemplateDefinition,
    rule: str,
    below: str | None,
    scale_key: str | None,
    answer_type: str = "scale",
) -> str:
    """Return when a written rationale is needed, as a sentence."""
    if rule == "never":
        return "Never"
    if rule == "always":
        return "Always, except for Not applicable"
    if answer_type != "scale" or scale_key is None:
        return "Not asked for (only graded answers need one)"
    scale = definition.scale(scale_key)
    if rule == "below" and below is not None:
        threshold = scale.option(below)
        if threshold is None:
            return f"When the answer scores lower than {below}"
        needing = [f"“{o.label}”" for o in scale.options if o.score < threshold.score]
        return f"When the answer scores lower than “{threshold.label}”: " + (
            ", ".join(needing) or "no option does"
        )
    needing = [f"“{o.label}”" for o in scale.options if o.needs_rationale]
    if not needing:
        return "Never (no option of the scale needs one)"
    return "As the scale says: " + ", ".join(needing)


def show_if_setting(definition: TemplateDefinition, show_if: ShowIf | None) -> Setting:
    """Return when a question is shown, in words, naming the earlier questions and answers."""
    if show_if is None:
        return Setting("Shown when", "Always shown")
    first = show_if.conditions[0]
    if show_if.mode == "any" and all(
        (c.criterion, c.operator) == (first.criterion, first.operator) and c.operator in _ONE_OF
        for c in show_if.conditions
    ):
        # "pathway has ticked A, or pathway has ticked B" reads better as one condition.
        values = tuple(v for c in show_if.conditions for v in c.values)
        merged = Condition(first.criterion, _ONE_OF[first.operator], values)
        return Setting("Shown when", f"Only when {condition_in_words(definition, merged)}")
    conditions = tuple(condition_in_words(definition, c) for c in show_if.conditions)
    if len(conditions) == 1:
        return Setting("Shown when", f"Only when {conditions[0]}")
    intro = "Only when all of these hold:" if show_if.mode == "all" else "When any of these hold:"
    return Setting("Shown when", intro, conditions)


def condition_in_words(definition: TemplateDefinition, condition: Condition) -> str:
    """Return one condition in words, e.g. the answer to “Was a meeting held?” is “Yes”."""
    earlier = definition.criterion(condition.criterion)
    subject = (
        f"the answer to “{earlier.question}” ({condition.criterion})"
        if earlier is not None
        else f"the answer to {condition.criterion}"
    )
    if condition.operator == "answered":
        return f"{subject} has been given"
    labels = " or ".join(f"“{_value_label(definition, earlier, v)}”" for v in condition.values)
    return f"{subject} {_TESTS.get(condition.operator, condition.operator)} {labels}"


def limit_name(definition: TemplateDefinition, key: str) -> str:
    """Return the section or question a key names, as a person reads it."""
    for section in definition.sections:
        if section.key == key:
            return f"section “{section.title}” ({key})"
    criterion = definition.criterion(key)
    return f"question “{criterion.question}” ({key})" if criterion else key


def _value_label(definition: TemplateDefinition, criterion: Criterion | None, value: str) -> str:
    if value == NOT_APPLICABLE:
        return "Not applicable"
    if criterion is None:
        return value
    if criterion.type == "tags":
        return next((o.label for o in criterion.options if o.value == value), value)
    if criterion.scale:
        option = definition.scale(criterion.scale).option(value)
        return option.label if option else value
    return value


def _scale_setting(definition: TemplateDefinition, scale_key: str, allow_na: bool) -> Setting:
    scale = definition.scale(scale_key)
    lines = [
        f"{o.label}: scores {score_text(o.score)}"
        + (", needs a rationale" if o.needs_rationale else "")
        for o in scale.options
    ]
    if allow_na:
        lines.append("Not applicable: left out of the score")
    return Setting("Scale", f"{scale.label} ({scale.key})", tuple(lines))


def _findings_setting(definition: TemplateDefinition, keys: tuple[str, ...]) -> Setting:
    if not keys:
        return Setting("Inspection findings", "None")
    return Setting(
        "Inspection findings",
        lines=tuple(f"{definition.findings.get(key, key)} ({key})" for key in keys),
    )


def _weight_text(criterion: Criterion) -> str:
    if criterion.type != "scale":
        return "Not scored (only graded answers count)"
    weight = score_text(criterion.weight)
    if criterion.weight == 0:
        return "0 (does not count towards the score)"
    return weight


def _number_range(criterion: Criterion) -> str:
    low, high = criterion.minimum, criterion.maximum
    if low is not None and high is not None:
        return f"{score_text(low)} to {score_text(high)}"
    if low is not None:
        return f"{score_text(low)} or more"
    if high is not None:
        return f"{score_text(high)} or less"
    return "Any number"
