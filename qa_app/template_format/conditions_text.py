"""A one-line text form of ``show_if``, for spreadsheet cells and change descriptions.

The form is::

    strategy_held is yes                      one condition
    all: strategy_held is yes; b in no, partly
    any: agencies includes police; notes answered

Each condition is ``<criterion> <test> <values>``. The tests are ``is``, ``is_not`` and
``includes`` (one value), ``in`` and ``not_in`` (values separated by commas) and ``answered``
(no value). Conditions are separated by semicolons; ``all:`` (the default) or ``any:`` in front
says whether every condition or just one must hold.
"""

from __future__ import annotations

import re

from qa_app.template_format.definition import CONDITION_OPERATORS, Condition, ShowIf

_MODE_RE = re.compile(r"\s*(all|any)\s*:(.*)", re.DOTALL)


class ShowIfTextError(ValueError):
    """The text is not in the show_if text form; the message says why in plain words."""


def show_if_to_text(show_if: ShowIf | None) -> str:
    """Return the one-line text form of a show_if ("" when there is none)."""
    if show_if is None:
        return ""
    parts = [condition_to_text(condition) for condition in show_if.conditions]
    if show_if.mode == "all" and len(parts) == 1:
        return parts[0]
    return f"{show_if.mode}: " + "; ".join(parts)


def condition_to_text(condition: Condition) -> str:
    """Return one condition as text, e.g. ``b in no, partly``."""
    if condition.operator == "answered":
        return f"{condition.criterion} answered"
    return f"{condition.criterion} {condition.operator} " + ", ".join(condition.values)


def show_if_from_text(text: str) -> ShowIf | None:
    """Return the show_if the text describes (None for blank text).

    Raises :class:`ShowIfTextError` when the text is not in the form described above.
    """
    if not text.strip():
        return None
    mode = "all"
    match = _MODE_RE.fullmatch(text)
    if match:
        mode, text = match.group(1), match.group(2)
    conditions = []
    for part in text.split(";"):
        if part.strip():
            conditions.append(_condition(part))
    if not conditions:
        raise ShowIfTextError(f'"{mode}:" must be followed by at least one condition')
    return ShowIf(mode, tuple(conditions))  # type: ignore[arg-type]


def _condition(text: str) -> Condition:
    words = text.split(None, 2)
    example = 'write conditions like "strategy_held is yes" or "b in no, partly"'
    if len(words) < 2:
        raise ShowIfTextError(f'"{text.strip()}" is not a condition: {example}')
    criterion, operator = words[0], words[1]
    rest = words[2] if len(words) > 2 else ""
    if operator not in CONDITION_OPERATORS:
        raise ShowIfTextError(
            f'"{operator}" is not a test: use one of {", ".join(CONDITION_OPERATORS)} ({example})'
        )
    values = tuple(value.strip() for value in rest.split(",") if value.strip())
    if operator == "answered":
        if values:
            raise ShowIfTextError(f'"answered" takes no value (in "{text.strip()}")')
    elif operator in ("in", "not_in"):
        if not values:
            raise ShowIfTextError(f'"{operator}" needs one or more values (in "{text.strip()}")')
    elif len(values) != 1:
        raise ShowIfTextError(f'"{operator}" needs exactly one value (in "{text.strip()}")')
    return Condition(criterion, operator, values)
