"""Reading cell values, and finding where in generated YAML each value sits."""

from __future__ import annotations

import datetime
import math
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from qa_app.template_format.yaml_nodes import position

Path = tuple[Any, ...]
# Marks the path of a mapping key (rather than its value) in :func:`node_paths`.
KEY = "<key>"


def is_blank(value: Any) -> bool:
    """Return True for an empty cell or one holding only white space."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """Return a cell's value as text (whole numbers without ".0", dates as ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        return value.date().isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def cell_number(value: Any) -> float | int | None:
    """Return a cell's value as a finite number, or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number: float | int = value
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    if not math.isfinite(number):
        return None
    return int(number) if float(number).is_integer() and abs(number) < 2**53 else number


def node_paths(root: Node | None) -> dict[tuple[int, int], Path]:
    """Return the data path of every node in composed YAML, by the node's (line, column).

    A key's path is its value's path followed by :data:`KEY`.
    """
    paths: dict[tuple[int, int], Path] = {}
    stack: list[tuple[Node, Path]] = [] if root is None else [(root, ())]
    while stack:
        node, path = stack.pop()
        paths.setdefault(position(node), path)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                paths[position(key)] = (*path, key.value, KEY)
                stack.append((value, (*path, key.value)))
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, (*path, index)))
    return paths
