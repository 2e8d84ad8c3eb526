"""Writing a :class:`TemplateDefinition` back out as template YAML.

Defaults are left out and built-in scales are not declared, so the output reads like a
hand-written template and parses back to an equal definition (apart from ``lineage``, which is
worked out from the template's history rather than written in it).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import yaml

from qa_app.template_format.definition import (
    Criterion,
    Judgement,
    Scale,
    Section,
    ShowIf,
    TemplateDefinition,
)
from qa_app.template_format.scales import BUILT_IN_SCALES


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line, e.g. ``[a, b]``."""


class _FlowMap(dict):  # type: ignore[type-arg]
    """A mapping written on one line, e.g. ``{value: a, label: A}``."""


class _Dumper(yaml.SafeDumper):
    """Block style, spec field order, literal blocks for multi-line text."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key, as the specification's examples do."""
        super().increase_indent(flow, False)


# Characters that a literal block or plain scalar would not carry through unchanged (YAML
# normalises line breaks other than LF), so such text is written double-quoted with escapes.
_NEEDS_ESCAPES = re.compile(
    "[\r\x85\u2028\u2029\ufeff]|[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    if _NEEDS_ESCAPES.search(data):
        style: str | None = '"'
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_flow(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _represent_flow_map(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowMap, _represent_flow_map)


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )


def dump_yaml(data: dict[str, Any]) -> str:
    """Return template data (as built by :func:`template_data`) as YAML text.

    Top-level blocks and sections are separated by blank lines, as a person would write them.
    """
    blocks: list[str] = []
    head: dict[str, Any] = {}
    for key, value in data.items():
        if key in ("findings", "scales", "overall"):
            blocks.append(_dump(head) if head else "")
            head = {}
            blocks.append(_dump({key: value}))
        elif key == "sections" and isinstance(value, list) and value:
            blocks.append(_dump(head) if head else "")
            head = {}
            sections = [textwrap.indent(_dump([section]), "  ") for section in value]
            blocks.append("sections:\n" + "\n".join(sections))
        else:
            head[key] = value
    blocks.append(_dump(head) if head else "")
    return "\n".join(block for block in blocks if block)


def template_to_yaml(definition: TemplateDefinition) -> str:
    """Return the template as a YAML document that parses back to an equal definition."""
    return dump_yaml(template_data(definition))


def number(value: float) -> int | float:
    """Return whole numbers as ints (``2`` rather than ``2.0``) and others unchanged."""
    return int(value) if float(value).is_integer() else value


def rationale_text(rule: str, below: str | None) -> str | None:
    """Return the ``rationale`` field's text for a rule, or None for the default."""
    if rule == "below":
        return f"below {below}"
    if rule in ("always", "never"):
        return rule
    return None


def template_data(definition: TemplateDefinition) -> dict[str, Any]:
    """Return the template as plain data in the file format's field order, defaults left out."""
    data: dict[str, Any] = {
        "key": definition.key,
        "version": definition.version,
        "title": definition.title,
    }
    if definition.description:
        data["description"] = definition.description
    if definition.applies_to:
        data["applies_to"] = _Flow(definition.applies_to)
    if definition.look_back_months is not None:
        data["look_back_months"] = definition.look_back_months
    if definition.findings:
        data["findings"] = dict(definition.findings)
    custom = {
        key: _scale_data(scale)
        for key, scale in definition.scales.items()
        if key not in BUILT_IN_SCALES
    }
    if custom:
        data["scales"] = custom
    data["sections"] = [_section_data(section) for section in definition.sections]
    overall = _judgement_data(definition.overall)
    if definition.limited_by:
        overall["limited_by"] = _Flow(definition.limited_by)
    data["overall"] = overall
    return data


def _scale_data(scale: Scale) -> dict[str, Any]:
    options = []
    for option in scale.options:
        item: dict[str, Any] = {
            "value": option.value,
            "label": option.label,
            "score": number(option.score),
        }
        if option.needs_rationale:
            item["needs_rationale"] = True
        if option.hint:
            item["hint"] = option.hint
        options.append(item)
    return {"label": scale.label, "options": options}


def _section_data(section: Section) -> dict[str, Any]:
    data: dict[str, Any] = {"key": section.key, "title": section.title}
    if section.guidance:
        data["guidance"] = section.guidance
    if section.judgement is not None:
        data["judgement"] = _judgement_data(section.judgement)
    data["criteria"] = [_criterion_data(criterion) for criterion in section.criteria]
    return data


def _judgement_data(judgement: Judgement) -> dict[str, Any]:
    data: dict[str, Any] = {"question": judgement.question, "scale": judgement.scale}
    if judgement.hint:
        data["hint"] = judgement.hint
    if judgement.guidance:
        data["guidance"] = judgement.guidance
    rationale = rationale_text(judgement.rationale, judgement.rationale_below)
    if rationale is not None:
        data["rationale"] = rationale
    return data


def _criterion_data(criterion: Criterion) -> dict[str, Any]:
    data: dict[str, Any] = {"key": criterion.key, "question": criterion.question}
    if criterion.hint:
        data["hint"] = criterion.hint
    if criterion.guidance:
        data["guidance"] = criterion.guidance
    if criterion.type != "scale":
        data["type"] = criterion.type
    if criterion.scale is not None:
        data["scale"] = criterion.scale
    if not criterion.required:
        data["required"] = False
    if criterion.allow_na:
        data["allow_na"] = True
    if criterion.weight != 1:
        data["weight"] = number(criterion.weight)
    rationale = rationale_text(criterion.rationale, criterion.rationale_below)
    if rationale is not None:
        data["rationale"] = rationale
    if criterion.area is not None:
        data["area"] = criterion.area
    if criterion.findings:
        data["findings"] = _Flow(criterion.findings)
    if criterion.show_if is not None:
        data["show_if"] = show_if_data(criterion.show_if)
    if criterion.replaces is not None:
        data["replaces"] = criterion.replaces
    if criterion.options:
        data["options"] = [
            _FlowMap(value=option.value, label=option.label) for option in criterion.options
        ]
    if criterion.minimum is not None:
        data["min"] = number(criterion.minimum)
    if criterion.maximum is not None:
        data["max"] = number(criterion.maximum)
    return data


def show_if_data(show_if: ShowIf) -> dict[str, Any]:
    """Return a show_if as file data: one condition inline, several under ``all``/``any``."""
    conditions = []
    for condition in show_if.conditions:
        item: dict[str, Any] = {"criterion": condition.criterion}
        if condition.operator == "answered":
            item["answered"] = True
        elif condition.operator in ("in", "not_in"):
            item[condition.operator] = _Flow(condition.values)
        else:
            item[condition.operator] = condition.values[0] if condition.values else ""
        conditions.append(item)
    if show_if.mode == "all" and len(conditions) == 1:
        return conditions[0]
    return {show_if.mode: [_FlowMap(item) for item in conditions]}
