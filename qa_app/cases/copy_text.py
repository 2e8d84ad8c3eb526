"""Rows as PostgreSQL ``COPY`` text, built a column at a time in C rather than a row at a time.

Handing ``COPY`` one row at a time costs a Python call or two per row in the driver: for 100,000
cases that was most of the client's time. A case list repeats a few teams, types, workers and
dates thousands of times, so each column's values are turned into text once per distinct value
(kept from one batch to the next) and the lines are joined by ``str.join`` over the columns.
Nothing here knows about the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

NULL = "\\N"
# A column's remembered texts are dropped once it holds this many, so memory stays flat even
# for a column whose every value is different.
CACHE_LIMIT = 50_000
_SPECIAL = ("\\", "\t", "\n", "\r")


def copy_field(value: object) -> str:
    """Return one value as COPY text: NULL for None, ISO dates and times, escaped strings."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class CopyText:
    """Formats batches of rows (tuples of equal length) as COPY text.

    ``unique_columns`` are columns whose values are all strings, or all whole numbers, and differ
    on every row (a reference, an id): remembering them would only fill memory, so strings are
    checked as a whole for characters to escape instead.
    """

    def __init__(self, unique_columns: Iterable[int] = ()) -> None:
        self.unique_columns = frozenset(unique_columns)
        self.columns: dict[int, _Texts] = {}

    def format(self, rows: Sequence[tuple]) -> str:
        """Return the rows as COPY text, one line each ("" for no rows)."""
        if not rows:
            return ""
        fields: list[Iterable[str]] = []
        for index, column in enumerate(zip(*rows, strict=True)):
            if index in self.unique_columns:
                fields.append(_unique_texts(column))
            else:
                texts = self.columns.setdefault(index, _Texts())
                fields.append(map(texts.__getitem__, column))  # a dictionary look-up each, in C
        return "\n".join(map("\t".join, zip(*fields, strict=True))) + "\n"


class _Texts(dict):
    """A column's values -> their COPY text, each converted the first time it is seen."""

    def __missing__(self, value: object) -> str:
        if len(self) >= CACHE_LIMIT:
            self.clear()
        text = self[value] = copy_field(value)
        return text


def _unique_texts(column: Sequence[str] | Sequence[int]) -> Sequence[str]:
    if isinstance(column[0], int):  # ids
        return list(map(str, column))
    # Most files have nothing to escape in any reference: one search of them all shows it.
    joined = "".join(column)  # type: ignore[arg-type]
    if any(special in joined for special in _SPECIAL):
        return list(map(copy_field, column))
    return column
