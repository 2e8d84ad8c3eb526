"""What the parser knows about a template while reading it, and the checks across its parts.

Scales may be declared after the criteria that use them and ``limited_by`` names sections
read later, so such checks are queued with :meth:`TemplateState.later` and run at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from yaml.nodes import Node, ScalarNode

from qa_app.template_format.definition import NOT_APPLICABLE, Condition, Criterion
from qa_app.template_format.scales import BUILT_IN_SCALES
from qa_app.template_format.yaml_nodes import Reader, closest, position, shorten, suggestion

KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
KEY_RULE = "only lowercase letters, digits and underscores, starting with a letter"
VALUE_RE = re.compile(r"[a-z0-9_]+")
VALUE_RULE = "only lowercase letters, digits and underscores"


@dataclass
class CriterionInfo:
    """A criterion as read, with its node for problems found later."""

    criterion: Criterion
    node: Node


class TemplateState:
    """Everything read so far that later checks refer to."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        # Declared custom scales: key -> option values (as far as they could be read).
        self.custom_scales: dict[str, tuple[str, ...]] = {}
        self.findings: dict[str, str] = {}
        # Sections and criteria share one namespace: key -> the node that first used it.
        self.names: dict[str, ScalarNode] = {}
        self.section_keys: set[str] = set()
        # Criterion key -> its index in ``criteria`` (template order).
        self.positions: dict[str, int] = {}
        self.criteria: list[CriterionInfo] = []
        self.used_scales: list[str] = []
        self._replaced: dict[str, int] = {}
        self._checks: list[Callable[[], None]] = []

    def later(self, check: Callable[[], None]) -> None:
        """Queue a check to run once the whole template has been read."""
        self._checks.append(check)

    def run_checks(self) -> None:
        """Run the queued checks in the order they were queued."""
        for check in self._checks:
            check()

    def claim(self, key: str, node: ScalarNode) -> bool:
        """Return True if the section or criterion key is new; report a duplicate otherwise."""
        first = self.names.get(key)
        if first is not None:
            line = position(first)[0]
            self.reader.report(node, f'duplicate key "{key}": already used on line {line}')
            return False
        self.names[key] = node
        return True

    # --- scales --------------------------------------------------------------------------

    def scale_reference(self, node: Node) -> str | None:
        """Return the scale key a ``scale:`` field names; whether it exists is checked later."""
        name = self.reader.scalar(node, '"scale"')
        if name is None:
            return None
        self.used_scales.append(name)
        self.later(lambda: self._check_scale(name, node))
        return name

    def scale_options(self, name: str) -> tuple[str, ...] | None:
        """Return the option values of a declared or built-in scale, or None if unknown."""
        if name in self.custom_scales:
            return self.custom_scales[name]
        scale = BUILT_IN_SCALES.get(name)
        return None if scale is None else tuple(option.value for option in scale.options)

    def _check_scale(self, name: str, node: Node) -> None:
        if self.scale_options(name) is not None:
            return
        declared = f"; declared here: {', '.join(self.custom_scales)}" if self.custom_scales else ""
        close = closest(name, [*BUILT_IN_SCALES, *self.custom_scales])
        self.reader.report(
            node,
            f'unknown scale "{shorten(name)}" (built-in scales: {", ".join(BUILT_IN_SCALES)}'
            f'{declared}; or declare it under "scales")'
            + (f'; did you mean "{close}"?' if close else ""),
        )

    def check_option(self, scale: str, option: str, node: Node, what: str) -> None:
        """Report ``what`` if ``option`` is not in ``scale`` (unknown scales are skipped)."""
        options = self.scale_options(scale)
        if options is not None and option not in options:
            self.reader.report(
                node,
                f'{what} names "{shorten(option)}", which is not an option of scale "{scale}" '
                f"(options: {', '.join(options)})",
            )

    # --- references ----------------------------------------------------------------------

    def check_finding(self, key: str, node: Node) -> None:
        """Report a finding key that is not declared under ``findings``."""
        if key not in self.findings:
            self.reader.report(
                node,
                f'finding "{shorten(key)}" is not declared under "findings"'
                + suggestion(key, self.findings),
            )

    def check_limit(self, key: str, node: Node) -> None:
        """Report a ``limited_by`` key that is not a section or a scale criterion."""
        if key in self.section_keys:
            return
        index = self.positions.get(key)
        if index is not None:
            kind = self.criteria[index].criterion.type
            if kind != "scale":
                self.reader.report(
                    node,
                    f'limited_by "{key}" is a {kind} question; only sections and scale questions '
                    "can limit the overall judgement",
                )
            return
        self.reader.report(
            node,
            f'limited_by "{shorten(key)}" is not a section or criterion in this template'
            + suggestion(key, self.names),
        )

    def check_replaces(self, old: str, node: Node) -> None:
        """Report ``replaces`` naming a key still in use or already replaced."""
        if old in self.names:
            self.reader.report(
                node, f'replaces "{old}", but "{old}" is still a key in this template'
            )
        elif old in self._replaced:
            line = self._replaced[old]
            self.reader.report(node, f'"{old}" is already replaced by the criterion on line {line}')
        else:
            self._replaced[old] = position(node)[0]


def check_condition(
    state: TemplateState,
    own_index: int,
    condition: Condition,
    target_node: Node | None,
    value_nodes: list[Node],
) -> None:
    """Report a show_if condition on a criterion that is not earlier, or with impossible values."""
    reader = state.reader
    target = condition.criterion
    index = state.positions.get(target)
    if index is None or index >= own_index:
        if index == own_index:
            why = " (a question cannot depend on itself)"
        elif index is not None:
            why = " (it comes later in the template)"
        elif target in state.section_keys:
            why = " (that is a section)"
        else:
            earlier = [info.criterion.key for info in state.criteria[:own_index]]
            why = suggestion(target, earlier)
        reader.report(
            target_node,
            f'show_if refers to "{shorten(target)}", which is not an earlier criterion{why}',
        )
        return
    criterion = state.criteria[index].criterion
    operator = condition.operator
    if operator == "answered":
        return
    if operator == "includes":
        if criterion.type != "tags":
            reader.report(
                target_node,
                f'"includes" only works on tags questions; '
                f'"{target}" is a {criterion.type} question',
            )
            return
        allowed = tuple(option.value for option in criterion.options)
        if not allowed:
            return  # the missing options are reported on the tags question itself
    else:
        if criterion.type == "tags":
            reader.report(target_node, f'use "includes" to test the tags question "{target}"')
            return
        options: tuple[str, ...] = ()
        if criterion.type == "scale":
            found = state.scale_options(criterion.scale or "")
            if found is None:
                return
            options = found
        allowed = options + ((NOT_APPLICABLE,) if criterion.allow_na else ())
        if not allowed:
            reader.report(
                target_node,
                f'"{target}" is a {criterion.type} question: only "answered" can test it',
            )
            return
    for value, node in zip(condition.values, value_nodes, strict=False):
        if value in allowed:
            continue
        extra = ""
        if value == NOT_APPLICABLE and operator != "includes":
            extra = f'; "{NOT_APPLICABLE}" needs allow_na: true on "{target}"'
        reader.report(
            node,
            f'"{shorten(value)}" is not an option of "{target}" '
            f"(options: {', '.join(allowed)}){extra}",
        )


@dataclass
class Fields:
    """A mapping's entries plus the mapping node, for "missing field" problems."""

    node: Node
    entries: dict[str, tuple[ScalarNode, Node]] = field(default_factory=dict)

    def get(self, name: str) -> Node | None:
        """Return the value node of a field, or None."""
        entry = self.entries.get(name)
        return None if entry is None else entry[1]

    def key_node(self, name: str) -> ScalarNode | None:
        """Return the key node of a field, or None."""
        entry = self.entries.get(name)
        return None if entry is None else entry[0]


def fields_of(state: TemplateState, node: Node, what: str, names: tuple[str, ...]) -> Fields | None:
    """Return the mapping's known fields, or None (reported) when the node is not a mapping."""
    entries = state.reader.mapping(node, what, names)
    return None if entries is None else Fields(node, entries)


def required_field(state: TemplateState, fields: Fields, name: str) -> Node | None:
    """Return the field's value node, reporting it as missing when absent."""
    value = fields.get(name)
    if value is None:
        state.reader.report(fields.node, f'missing "{name}"')
    return value


def text_field(state: TemplateState, fields: Fields, name: str, *, required: bool = False) -> str:
    """Return a text field's value ("" when absent or invalid)."""
    node = required_field(state, fields, name) if required else fields.get(name)
    if node is None:
        return ""
    return state.reader.text(node, f'"{name}"', required=required) or ""
