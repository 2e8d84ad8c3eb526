"""Reading a criterion's ``show_if`` conditions (used by ``parser_sections``)."""

from __future__ import annotations

from yaml.nodes import Node, ScalarNode

from qa_app.template_format.definition import CONDITION_OPERATORS, Condition, ShowIf
from qa_app.template_format.parser_checks import (
    Fields,
    TemplateState,
    check_condition,
    fields_of,
    required_field,
)
from qa_app.template_format.yaml_nodes import is_null

_GROUPS = ("all", "any")
_ONE_VALUE = ("is", "is_not", "includes")


def read_show_if(state: TemplateState, node: Node | None, position: int) -> ShowIf | None:
    """Return the show_if of the criterion at ``position``; references are checked later."""
    if node is None or is_null(node):
        return None
    fields = fields_of(state, node, '"show_if"', (*_GROUPS, "criterion", *CONDITION_OPERATORS))
    if fields is None:
        return None
    groups = [name for name in _GROUPS if name in fields.entries]
    if not groups:
        condition = _condition(state, fields, position)
        return ShowIf("all", () if condition is None else (condition,))
    if len(fields.entries) > 1:
        state.reader.report(
            node,
            '"show_if" must be either one condition or "all:"/"any:" with a list of conditions',
        )
    mode = groups[0]
    conditions: list[Condition] = []
    group_node = fields.get(mode)
    assert group_node is not None
    items = state.reader.sequence(group_node, f'"{mode}"')
    if items is not None and not items:
        state.reader.report(group_node, f'"{mode}" must list at least one condition')
    for item in items or ():
        item_fields = fields_of(
            state, item, "a condition", ("criterion", *CONDITION_OPERATORS, *_GROUPS)
        )
        if item_fields is None:
            continue
        for nested in _GROUPS:
            if nested in item_fields.entries:
                state.reader.report(
                    item_fields.key_node(nested),
                    f'conditions cannot be nested ("{nested}" inside "{mode}")',
                )
        condition = _condition(state, item_fields, position)
        if condition is not None:
            conditions.append(condition)
    return ShowIf(mode, tuple(conditions))  # type: ignore[arg-type]


def _condition(state: TemplateState, fields: Fields, position: int) -> Condition | None:
    reader = state.reader
    target_node = required_field(state, fields, "criterion")
    target = reader.scalar(target_node, '"criterion"') if target_node is not None else None
    operators = [name for name in CONDITION_OPERATORS if name in fields.entries]
    if not operators:
        reader.report(fields.node, f"missing the test: add one of {', '.join(CONDITION_OPERATORS)}")
        return None
    if len(operators) > 1:
        reader.report(
            fields.key_node(operators[1]),
            f"a condition can have only one test (found {', '.join(operators)}); "
            'use "all:" to combine several',
        )
    operator = operators[0]
    value_node = fields.get(operator)
    assert value_node is not None
    values: list[str] = []
    value_nodes: list[Node] = []
    if operator == "answered":
        if reader.boolean(value_node, '"answered"') is False:
            reader.report(value_node, '"answered" can only be true')
    elif operator in _ONE_VALUE:
        if not isinstance(value_node, ScalarNode):
            more = '; use "in" for a list' if operator == "is" else ""
            reader.report(value_node, f'"{operator}" takes one value{more}')
        else:
            value = reader.scalar(value_node, f'"{operator}"')
            if value is not None:
                values, value_nodes = [value], [value_node]
    else:
        if isinstance(value_node, ScalarNode) and not is_null(value_node):
            reader.report(value_node, f'"{operator}" takes a list of values, such as [no, partly]')
        else:
            items = reader.sequence(value_node, f'"{operator}"') or []
            if not items and not is_null(value_node):
                reader.report(value_node, f'"{operator}" must list at least one value')
            for item in items:
                value = reader.scalar(item, f'a value in "{operator}"')
                if value is not None:
                    values.append(value)
                    value_nodes.append(item)
    if target is None:
        return None
    condition = Condition(target, operator, tuple(values))
    state.later(lambda: check_condition(state, position, condition, target_node, value_nodes))
    return condition
