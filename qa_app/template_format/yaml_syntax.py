"""Plain words for the YAML mistakes people make most: lines indented too far or not far
enough, list items out of line, and a colon inside text.

PyYAML describes these in parser terms ("mapping values are not allowed here", "expected <block
end>, but found '?'"), and its advice for the first is often wrong: the fix is the indentation,
not quotes. These rules look at the lines around the error to say what is wrong and how to fix
it. Plain Python: no Flask.
"""

from __future__ import annotations

import re

import yaml

_FIELD = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")
_BLOCK_SCALAR = re.compile(r"^\s*[|>][+-]?\d*\s*(#.*)?$")


def explain_yaml_error(text: str, error: yaml.MarkedYAMLError) -> tuple[int, int, str] | None:
    """Return (line, column, message) in plain words for an indentation mistake or a colon in
    text, or None when the error is something else (the caller words it)."""
    mark = error.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return None
    problem = error.problem or ""
    if problem.startswith("mapping values are not allowed"):
        return _colon_or_indent(lines, mark.line, mark.column)
    if problem.startswith("expected <block end>") or problem.startswith("did not find expected"):
        return _out_of_line(lines, mark.line)
    return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content(lines: list[str], index: int) -> int | None:
    """Return the index of the nearest line above that holds something (not blank, not only a
    comment), or None."""
    for before in range(index - 1, -1, -1):
        stripped = lines[before].strip()
        if stripped and not stripped.startswith("#"):
            return before
    return None


def _field_column(line: str) -> int:
    """Return the 0-based column where the line's field name starts (after a list dash)."""
    match = _FIELD.match(line)
    if match is None:
        return _indent(line)
    return len(match["indent"]) + len(match["dash"] or "")


def _colon_or_indent(lines: list[str], index: int, column: int) -> tuple[int, int, str]:
    line = lines[index]
    here = _FIELD.match(line)
    above_index = _previous_content(lines, index)
    if here is not None and above_index is not None and not here["dash"]:
        above = _FIELD.match(lines[above_index])
        here_column = _field_column(line)
        above_column = _field_column(lines[above_index]) if above else _indent(lines[above_index])
        value_above = above["rest"].strip() if above else ""
        if (
            above is not None
            and here_column > above_column
            and value_above
            and not _BLOCK_SCALAR.match(value_above)
        ):
            extra = here_column - above_column
            spaces = "space" if extra == 1 else "spaces"
            return (
                index + 1,
                here_column + 1,
                f'"{here["key"]}:" is indented further than "{above["key"]}:" on line '
                f"{above_index + 1} (column {here_column + 1}, not {above_column + 1}). Fields of "
                f'the same item must start in the same column: remove {extra} {spaces} before "'
                f'{here["key"]}:"',
            )
    return (
        index + 1,
        column + 1,
        'text containing ": " needs quotes around it (a colon and a space make YAML read the '
        'text before them as a field name), for example question: "Risk: was it assessed?"',
    )


def _out_of_line(lines: list[str], index: int) -> tuple[int, int, str]:
    line = lines[index]
    here = _FIELD.match(line)
    column = _indent(line)
    if here is not None and here["dash"]:
        # A list item whose dash is not in line with the other items of its list.
        dashes = [
            _indent(lines[i])
            for i in range(index - 1, -1, -1)
            if lines[i].lstrip().startswith("- ") and _indent(lines[i]) != column
        ]
        expected = dashes[0] if dashes else None
        where = f" (column {expected + 1})" if expected is not None else ""
        return (
            index + 1,
            column + 1,
            f"the list item on line {index + 1} starts at column {column + 1}, out of line with "
            f'the other items of its list{where}: line up its "-" with theirs',
        )
    above_index = _previous_content(lines, index)
    name = f'"{here["key"]}:"' if here is not None else "this line"
    if above_index is not None:
        above_column = _field_column(lines[above_index])
        above = _FIELD.match(lines[above_index])
        above_name = f'"{above["key"]}:"' if above else "the line"
        if column < above_column:
            return (
                index + 1,
                column + 1,
                f"{name} starts at column {column + 1}, to the left of {above_name} on line "
                f"{above_index + 1} (column {above_column + 1}). If it belongs to the same item, "
                f"put {above_column} spaces before it so that it starts in the same column",
            )
    return (
        index + 1,
        column + 1,
        f"{name} is not lined up with the lines around it: each field of an item must start in "
        "the same column as the item's other fields, using spaces",
    )
