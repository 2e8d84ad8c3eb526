"""Checking ``replaces`` against a template's earlier versions.

A criterion that says ``replaces: old_key`` continues the trend of ``old_key``. A misspelt key
would pass the file's own checks and quietly break the trend line, so the key must name a
question in an earlier version of the same template: a stored version, or an earlier file given
to ``templates check --against``. Plain Python: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from qa_app.template_format.definition import TemplateDefinition
from qa_app.template_format.problems import Problem
from qa_app.template_format.yaml_nodes import suggestion


def unknown_replaces(
    definition: TemplateDefinition, earlier: Iterable[TemplateDefinition]
) -> list[tuple[str, str, str]]:
    """Return (criterion key, replaced key, message) for each ``replaces`` naming no question
    of an earlier version of the template. Nothing is reported when no earlier version is known
    (there is nothing to check against)."""
    earlier = [d for d in earlier if d.key == definition.key and d.version < definition.version]
    if not earlier:
        return []
    known = {criterion.key for version in earlier for criterion in version.criteria()}
    versions = sorted({version.version for version in earlier})
    named = ", ".join(str(v) for v in versions)
    which = f"version {named}" if len(versions) == 1 else f"versions {named}"
    found = []
    for criterion in definition.criteria():
        old = criterion.replaces
        if old is None or old in known:
            continue
        found.append(
            (
                criterion.key,
                old,
                f'"{criterion.key}" replaces "{old}", but no earlier version of '
                f"{definition.key} ({which}) has a question with that key"
                f"{suggestion(old, known)}; the trend would not continue",
            )
        )
    return found


def check_replaces(
    definition: TemplateDefinition, text: str, path: str, earlier: Iterable[TemplateDefinition]
) -> list[Problem]:
    """Return a problem, at the ``replaces`` value in the YAML text, for each ``replaces`` that
    names no question of an earlier version (see :func:`unknown_replaces`)."""
    found = unknown_replaces(definition, earlier)
    if not found:
        return []
    positions = replaces_positions(text)
    return [
        Problem(path, *positions.get((criterion, old), (1, 1)), message)
        for criterion, old, message in found
    ]


def replaces_positions(text: str) -> dict[tuple[str, str], tuple[int, int]]:
    """Return the line and column of each criterion's ``replaces`` value, by (criterion key,
    replaced key), read from the YAML text (which has already parsed cleanly)."""
    positions: dict[tuple[str, str], tuple[int, int]] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return positions
    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            fields = {k.value: v for k, v in node.value if isinstance(k, ScalarNode)}
            key, old = fields.get("key"), fields.get("replaces")
            if isinstance(key, ScalarNode) and isinstance(old, ScalarNode):
                mark = old.start_mark
                positions[(key.value, old.value)] = (mark.line + 1, mark.column + 1)
            stack.extend(v for _, v in node.value)
    return positions
