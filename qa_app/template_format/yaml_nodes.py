"""Reading composed YAML nodes so that every problem carries the line and column it is about.

The parser works on ``yaml.compose`` nodes rather than loaded Python values: nodes keep their
positions, show duplicate keys (which ``yaml.safe_load`` silently drops) and keep the raw text
of scalars, so a bare ``yes`` can be read as the text "yes" where an option value is expected.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qa_app.template_format.problems import Problem

_YAML_TAG = "tag:yaml.org,2002:"
STR_TAG = _YAML_TAG + "str"
INT_TAG = _YAML_TAG + "int"
FLOAT_TAG = _YAML_TAG + "float"
BOOL_TAG = _YAML_TAG + "bool"
NULL_TAG = _YAML_TAG + "null"
MERGE_TAG = _YAML_TAG + "merge"

# Real templates have a few thousand nodes; these limits stop alias "bombs" (a few lines that
# expand to millions of nodes) and hopeless files from taking unbounded time.
MAX_NODE_VISITS = 200_000
MAX_PROBLEMS = 200
# Versions and month counts are stored in ordinary database integer columns.
MAX_WHOLE_NUMBER = 1_000_000
_MAX_MERGE_DEPTH = 20


class TooMuch(Exception):
    """Raised to stop reading a file that is too large or has too many problems to go on."""


def describe(node: Node) -> str:
    """Return a plain description of what a node holds, e.g. "a list" or "true/false"."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a set of fields (key: value lines)"
    if isinstance(node, ScalarNode):
        if node.tag == NULL_TAG:
            return "nothing"
        if node.tag == BOOL_TAG:
            return f"true/false ({node.value})"
        if node.tag in (INT_TAG, FLOAT_TAG):
            return f"a number ({node.value})"
        return f'"{shorten(node.value)}"'
    return "something else"


def shorten(text: str, limit: int = 60) -> str:
    """Return ``text`` cut to ``limit`` characters on one line, for quoting in a message."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def closest(word: str, choices: Iterable[str]) -> str | None:
    """Return the choice most like ``word`` when one is close enough, else None."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def suggestion(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean "x"?)' for the closest choice, or an empty string."""
    close = closest(word, choices)
    return f' (did you mean "{close}"?)' if close else ""


def is_null(node: Node | None) -> bool:
    """Return True when the node is absent or an empty/null YAML value."""
    return node is None or (isinstance(node, ScalarNode) and node.tag == NULL_TAG)


class Reader:
    """Collects problems and reads typed values out of nodes, reporting where they go wrong."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.final: Problem | None = None
        self._visits = 0
        self._constructor = yaml.constructor.SafeConstructor()

    # --- problems ------------------------------------------------------------------------

    def report(self, node: Node | None, message: str) -> None:
        """Record a problem at the node's position (line 1, column 1 when there is no node)."""
        line, column = position(node)
        self.problems.append(Problem(self.path, line, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.stop(node, "too many problems: fix the ones above and check the file again")

    def stop(self, node: Node | None, message: str) -> None:
        """Record a last problem and stop reading."""
        line, column = position(node)
        self.final = Problem(self.path, line, column, message)
        raise TooMuch

    def visit(self, node: Node, count: int = 1) -> None:
        """Count nodes read, stopping when a file expands to far more than any template needs."""
        self._visits += count
        if self._visits > MAX_NODE_VISITS:
            self.stop(node, "the template is too large (it expands to too many values)")

    # --- containers ----------------------------------------------------------------------

    def mapping(
        self, node: Node, what: str, fields: tuple[str, ...] | None = None
    ) -> dict[str, tuple[ScalarNode, Node]] | None:
        """Return the mapping's entries by key (merge keys applied), or None if not a mapping.

        With ``fields``, keys outside it are reported as unknown fields and left out.
        """
        self.visit(node)
        if not isinstance(node, MappingNode):
            self.report(
                node, f"{what} must be a set of fields (key: value lines), not {describe(node)}"
            )
            return None
        entries: dict[str, tuple[ScalarNode, Node]] = dict(self._merged(node, {id(node)}, 0))
        explicit: dict[str, ScalarNode] = {}
        for key_node, value_node in node.value:
            self.visit(key_node, 2)
            if isinstance(key_node, ScalarNode) and key_node.tag == MERGE_TAG:
                continue
            if not isinstance(key_node, ScalarNode):
                self.report(key_node, f"a key must be plain text, not {describe(key_node)}")
                continue
            name = key_node.value
            if fields is not None and (key_node.tag != STR_TAG or name not in fields):
                self._unknown_field(key_node, name, fields)
                continue
            if name in explicit:
                first = explicit[name].start_mark.line + 1
                self.report(
                    key_node, f'duplicate key "{shorten(name)}": already used on line {first}'
                )
                continue
            explicit[name] = key_node
            entries[name] = (key_node, value_node)
        if fields is not None:
            return {name: entry for name, entry in entries.items() if name in fields}
        return entries

    def _merged(
        self, node: MappingNode, seen: set[int], depth: int
    ) -> dict[str, tuple[ScalarNode, Node]]:
        """Return the entries that ``<<: *alias`` merge keys bring into a mapping."""
        merged: dict[str, tuple[ScalarNode, Node]] = {}
        for key_node, value_node in node.value:
            if not (isinstance(key_node, ScalarNode) and key_node.tag == MERGE_TAG):
                continue
            if isinstance(value_node, MappingNode):
                sources = [value_node]
            elif isinstance(value_node, SequenceNode):
                sources = value_node.value
            else:
                sources = []
            if not sources or not all(isinstance(s, MappingNode) for s in sources):
                self.report(key_node, '"<<" must merge a mapping, such as <<: *defaults')
                continue
            if depth >= _MAX_MERGE_DEPTH:
                self.report(key_node, '"<<" merges are nested too deeply')
                continue
            for source in sources:
                self.visit(source, len(source.value) + 1)
                if id(source) in seen:
                    self.report(key_node, '"<<" merges a mapping into itself')
                    continue
                inner = dict(self._merged(source, seen | {id(source)}, depth + 1))
                for key, value in source.value:
                    if isinstance(key, ScalarNode) and key.tag != MERGE_TAG:
                        inner[key.value] = (key, value)
                for name, entry in inner.items():
                    merged.setdefault(name, entry)
        return merged

    def _unknown_field(self, key_node: ScalarNode, name: str, fields: tuple[str, ...]) -> None:
        if name == "":
            self.report(key_node, "a field name is missing before the colon")
            return
        hint = suggestion(name, fields) or f" (fields allowed here: {', '.join(fields)})"
        self.report(key_node, f'unknown field "{shorten(name)}"{hint}')

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        """Return the list's items, or None (reported) when the node is not a list."""
        self.visit(node)
        if not isinstance(node, SequenceNode):
            self.report(node, f"{what} must be a list, not {describe(node)}")
            return None
        self.visit(node, len(node.value))
        return list(node.value)

    # --- scalars -------------------------------------------------------------------------

    def scalar(self, node: Node, what: str) -> str | None:
        """Return a scalar's text exactly as written (a bare yes stays "yes"), or None."""
        if isinstance(node, ScalarNode):
            if not node.tag.startswith(_YAML_TAG):
                self.report(node, f'{what}: the YAML tag "{shorten(node.tag)}" is not supported')
                return None
            if node.tag == NULL_TAG:
                self.report(node, f"{what} is empty")
                return None
            return node.value
        self.report(node, f"{what} must be a single value, not {describe(node)}")
        return None

    def text(self, node: Node, what: str, *, required: bool = False) -> str | None:
        """Return the text with surrounding white space removed; None when empty or invalid.

        An empty optional text is not a problem; an empty required one is.
        """
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            if required:
                self.report(node, f"{what} is empty")
            return None
        if isinstance(node, ScalarNode):
            value = self.scalar(node, what)
            if value is None:
                return None
            value = value.strip()
            if not value and required:
                self.report(node, f"{what} is empty")
                return None
            return value
        self.report(node, f"{what} must be text, not {describe(node)}")
        return None

    def key(self, node: Node, what: str, pattern: re.Pattern[str], rule: str) -> str | None:
        """Return a key that matches ``pattern``; otherwise report ``rule`` and return None."""
        value = self.scalar(node, what)
        if value is None:
            return None
        if not pattern.fullmatch(value):
            self.report(node, f'{what} "{shorten(value)}" must use {rule}')
            return None
        if len(value) > 64:
            self.report(node, f'{what} "{shorten(value)}" is too long (at most 64 characters)')
            return None
        return value

    def integer(self, node: Node, what: str) -> int | None:
        """Return a positive whole number, or None (reported)."""
        value = self._construct(node, INT_TAG)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.report(node, f"{what} must be a whole number of 1 or more, not {describe(node)}")
            return None
        if value > MAX_WHOLE_NUMBER:
            self.report(node, f"{what} is too large (at most {MAX_WHOLE_NUMBER:,})")
            return None
        return value

    def number(self, node: Node, what: str, rule: str = "a number") -> float | None:
        """Return a finite number as a float, or None (reported as "``what`` must be ``rule``")."""
        value = self._construct(node, INT_TAG, FLOAT_TAG)
        if value is None or isinstance(value, bool):
            self.report(node, f"{what} must be {rule}, not {describe(node)}")
            return None
        try:
            number = float(value)
        except (OverflowError, ValueError):
            number = math.inf
        if not math.isfinite(number):
            self.report(node, f"{what} must be {rule}, not {describe(node)}")
            return None
        return number

    def boolean(self, node: Node, what: str) -> bool | None:
        """Return true/false (YAML's yes/no/on/off count), or None (reported)."""
        value = self._construct(node, BOOL_TAG)
        if not isinstance(value, bool):
            self.report(node, f"{what} must be true or false, not {describe(node)}")
            return None
        return value

    def _construct(self, node: Node, *tags: str) -> object:
        """Return the scalar's YAML value when its tag is one of ``tags``; otherwise None."""
        if not isinstance(node, ScalarNode) or node.tag not in tags:
            return None
        try:
            if node.tag == INT_TAG:
                return self._constructor.construct_yaml_int(node)
            if node.tag == FLOAT_TAG:
                return self._constructor.construct_yaml_float(node)
            return self._constructor.construct_yaml_bool(node)
        except (ArithmeticError, ValueError, KeyError, yaml.YAMLError):
            return None


def position(node: Node | None) -> tuple[int, int]:
    """Return the node's 1-based (line, column), or (1, 1) when it has no position."""
    mark = getattr(node, "start_mark", None)
    if mark is None:
        return 1, 1
    return mark.line + 1, mark.column + 1
