"""Reading sheets and cell values, and finding where in generated YAML each value sits."""

from __future__ import annotations

import datetime
import math
import os
import pathlib
from dataclasses import dataclass
from typing import Any

from yaml.nodes import MappingNode, Node, SequenceNode

from qa_app.template_format.excel_layout import Column, normalise
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


@dataclass
class Row:
    """A non-blank row of a sheet, with its cells by normalised column header."""

    sheet: str
    number: int
    cells: dict[str, tuple[Any, int]]  # normalised header -> (value, column)

    def column(self, header: str) -> int:
        """Return the 1-based column number of ``header`` in this row's sheet (1 if absent)."""
        return self.cells.get(normalise(header), (None, 1))[1]


def display_name(path_or_stream: Any) -> str:
    """Return the file name of a path, or of a stream's ``name``, for problems."""
    if isinstance(path_or_stream, str | os.PathLike):
        return pathlib.Path(path_or_stream).name
    name = getattr(path_or_stream, "name", None)
    return pathlib.Path(name).name if isinstance(name, str) and name else "workbook"


def sheet_rows(worksheet: Any, columns: tuple[Column, ...]) -> tuple[list[Row], list[str]]:
    """Return the sheet's non-blank rows and the headers of required columns it lacks.

    Columns are matched by header, ignoring case, spaces and punctuation, in any order; other
    columns are ignored. With a required column missing no rows are returned.
    """
    rows = worksheet.iter_rows(values_only=True)
    found: dict[str, int] = {}
    for index, value in enumerate(next(rows, ()), start=1):
        key = normalise(value)
        if key and key not in found:
            found[key] = index
    missing = [c.header for c in columns if c.required and normalise(c.header) not in found]
    if missing:
        return [], missing
    result = []
    for number, values in enumerate(rows, start=2):
        cells = {key: (values[i - 1], i) for key, i in found.items() if i - 1 < len(values)}
        if any(not is_blank(value) for value, _ in cells.values()):
            result.append(Row(worksheet.title, number, cells))
    return result, []
