"""Checking a batch of case list rows column by column: the fast way through a good file.

A case list repeats a few teams, case types, workers and dates thousands of times, so each
column is checked once per distinct value, and the results are spread back over the rows with a
dictionary look-up. References are unique, so they are tidied in one pass and checked for
length and repeats as a whole. The checks are the row checker's (``CaseListChecker``); when any
value in the batch has a problem, or is unusual (a formula, a short row, TRUE or FALSE in a
workbook), :func:`check_batch` gives up and the row checker goes through the batch instead, so
every problem is reported exactly as it words it, with its row and column.
Nothing here knows about files or the database.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from itertools import compress

from qa_app.cases.case_columns import MAX_LENGTHS, Headings
from qa_app.cases.case_list import TeamNames, is_blank_row
from qa_app.cases.case_values import Formula, cell_text, parse_case_type, parse_date
from qa_app.cases.row_spool import CaseBatch

_BAD = object()  # a value with a problem: the batch goes to the row checker


def check_batch(
    rows: Sequence[Sequence[object]],
    first_number: int,
    headings: Headings,
    first_row_of: dict[str, int],
    known: KnownValues,
) -> CaseBatch | None:
    """Return the batch's rows checked, blank rows left out, or None if any row needs the row
    checker. ``rows`` are consecutive rows of the file, the first being row ``first_number``.
    ``known`` keeps each column's checked values from one batch to the next (one per file; it
    records new teams, as the row checker does). Records each reference's row in
    ``first_row_of`` when the batch is good.
    """
    text_only = known.text_only
    positions = headings.positions
    if not rows or min(map(len, rows)) <= max(positions.values()):
        return None  # short rows (a blank line has no cells): the row checker pads them
    numbers = list(range(first_number, first_number + len(rows)))
    # Column by column, in one pass in C. Rows may differ in length past the last column read
    # (short rows were refused above), so zip stops at the shortest.
    cells = list(zip(*rows, strict=False))
    texts = _texts(cells[positions["reference"]], text_only)
    if texts is None:
        return None
    if "" in texts:  # a blank reference: a blank row (skipped) or a problem
        keep = [i for i, text in enumerate(texts) if text or not is_blank_row(rows[i])]
        if any(not texts[i] for i in keep):
            return None
        if not keep:
            return CaseBatch([], [], [], [], [], [], [], [])
        numbers = [numbers[i] for i in keep]
        texts = [texts[i] for i in keep]
        cells = [[column[i] for i in keep] for column in cells]
    if max(map(len, texts)) > MAX_LENGTHS["reference"]:
        return None
    references = list(map(str.upper, texts))  # stored upper case, as the app does
    if len(set(references)) != len(references) or not first_row_of.keys().isdisjoint(references):
        return None  # a reference on two rows: the row checker says which

    def column(field: str) -> list | None:
        if field not in positions:
            return [None] * len(numbers)
        return known.look_up(field, cells[positions[field]])

    case_types = column("case_type")
    workers = column("allocated_worker")
    opened = column("opened_on")
    closed = column("closed_on")
    age_bands = column("age_band")
    team_names = column("team")
    if None in (case_types, workers, opened, closed, age_bands, team_names):
        return None
    # Closed before opened? Day numbers compared pairwise in C, for the rows with a closing date.
    if any(map(operator.gt, compress(opened, closed), filter(None, closed))):
        return None
    first_row_of.update(zip(references, numbers, strict=True))
    return CaseBatch(
        numbers, references, team_names, case_types, workers, opened, closed, age_bands
    )


def _texts(values: Sequence[object], text_only: bool) -> list[str] | None:
    """Return each cell as tidied text, or None when one is a formula or not text."""
    if text_only:
        # Most files have no space to tidy in any reference: one split of them all shows it.
        joined = "\x00".join(values)  # type: ignore[arg-type]
        if joined.split() in ([joined], []):
            return list(values)  # type: ignore[arg-type]
        return [" ".join(value.split()) for value in values]  # type: ignore[union-attr]
    texts = []
    for value in values:
        if isinstance(value, Formula):
            return None
        try:
            texts.append(cell_text(value))
        except ValueError:
            return None
    return texts


class KnownValues:
    """Each column's values checked so far in a file, and what each one means (or _BAD)."""

    def __init__(self, teams: TeamNames, *, text_only: bool) -> None:
        self.text_only = text_only  # every cell is a string (a CSV file)
        self.converters: dict[str, Callable[[object], object]] = {
            "team": _team(teams),
            "case_type": _case_type,
            "allocated_worker": _optional_text("allocated_worker"),
            "opened_on": _day_number(required=True),
            "closed_on": _day_number(required=False),
            "age_band": _optional_text("age_band"),
        }
        self.columns: dict[str, _Column] = {}

    def look_up(self, field: str, values: Sequence[object]) -> list | None:
        """Return what each value means, each distinct value checked once; None if any is bad."""
        # TRUE is 1 to a dictionary: a workbook's TRUE and FALSE go to the row checker.
        if not self.text_only and any(value.__class__ is bool for value in values):
            return None
        column = self.columns.get(field)
        if column is None:
            column = self.columns[field] = _Column(self.converters[field])
        results = list(map(column.__getitem__, values))  # a dictionary look-up each, in C
        if column.has_bad and _BAD in results:
            return None
        return results


class _Column(dict):
    """A column's checked values: a value seen for the first time is checked then kept."""

    def __init__(self, convert: Callable[[object], object]) -> None:
        super().__init__()
        self.convert = convert
        self.has_bad = False

    def __missing__(self, value: object) -> object:
        result = _BAD if isinstance(value, Formula) else self.convert(value)
        self.has_bad = self.has_bad or result is _BAD
        self[value] = result
        return result


def _text(value: object) -> object:
    try:
        return cell_text(value)
    except ValueError:
        return _BAD


def _optional_text(field: str) -> Callable[[object], object]:
    def convert(value: object) -> object:
        text = _text(value)
        if text is _BAD or len(text) > MAX_LENGTHS[field]:  # type: ignore[arg-type]
            return _BAD
        return text or None

    return convert


def _team(teams: TeamNames) -> Callable[[object], object]:
    def convert(value: object) -> object:
        text = _text(value)
        if text is _BAD or not text or len(text) > MAX_LENGTHS["team"]:  # type: ignore[arg-type]
            return _BAD
        team = teams.resolve(text)  # type: ignore[arg-type]
        return _BAD if team is None else team

    return convert


def _case_type(value: object) -> object:
    if _blank(value):
        return _BAD
    case_type = parse_case_type(value)
    return _BAD if case_type is None else case_type


def _day_number(*, required: bool) -> Callable[[object], object]:
    def convert(value: object) -> object:
        if _blank(value):
            return _BAD if required else None
        try:
            return parse_date(value).toordinal()
        except ValueError:
            return _BAD

    return convert


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
