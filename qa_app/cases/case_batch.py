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

from collections.abc import Callable, Sequence

from qa_app.cases.case_columns import MAX_LENGTHS, Headings
from qa_app.cases.case_list import TeamNames, is_blank_row
from qa_app.cases.case_values import Formula, cell_text, parse_case_type, parse_date
from qa_app.cases.row_spool import CaseBatch

_BAD = object()  # a value with a problem: the batch goes to the row checker


def check_batch(
    rows: Sequence[Sequence[object]],
    first_number: int,
    headings: Headings,
    teams: TeamNames,
    first_row_of: dict[str, int],
    *,
    text_only: bool,
) -> CaseBatch | None:
    """Return the batch's rows checked, blank rows left out, or None if any row needs the row
    checker. ``rows`` are consecutive rows of the file, the first being row ``first_number``;
    ``text_only`` says every cell is a string (as in a CSV file). Records each reference's row
    in ``first_row_of`` and new teams in ``teams``, as the row checker does, only on success.
    """
    positions = headings.positions
    if not rows or min(map(len, rows)) <= max(positions.values()):
        return None  # short rows (a blank line has no cells): the row checker pads them
    numbers = list(range(first_number, first_number + len(rows)))
    texts = _texts([row[positions["reference"]] for row in rows], text_only)
    if texts is None:
        return None
    if "" in texts:  # a blank reference: a blank row (skipped) or a problem
        keep = [i for i, text in enumerate(texts) if text or not is_blank_row(rows[i])]
        if any(not texts[i] for i in keep):
            return None
        rows = [rows[i] for i in keep]
        numbers = [numbers[i] for i in keep]
        texts = [texts[i] for i in keep]
        if not rows:
            return CaseBatch([], [], [], [], [], [], [], [])
    if max(map(len, texts)) > MAX_LENGTHS["reference"]:
        return None
    references = [text.upper() for text in texts]  # stored upper case, as the app does
    if len(set(references)) != len(references) or not first_row_of.keys().isdisjoint(references):
        return None  # a reference on two rows: the row checker says which

    def column(field: str, convert: Callable[[object], object]) -> list | None:
        if field not in positions:
            return [None] * len(rows)
        index = positions[field]
        return _by_distinct_value([row[index] for row in rows], convert, text_only)

    case_types = column("case_type", _case_type)
    workers = column("allocated_worker", _optional_text("allocated_worker"))
    opened = column("opened_on", _day_number(required=True))
    closed = column("closed_on", _day_number(required=False))
    age_bands = column("age_band", _optional_text("age_band"))
    team_names = column("team", _team(teams))
    if None in (case_types, workers, opened, closed, age_bands, team_names):
        return None
    if "closed_on" in positions and any(
        shut is not None and shut < start for start, shut in zip(opened, closed, strict=True)
    ):
        return None
    first_row_of.update(zip(references, numbers, strict=True))
    return CaseBatch(
        numbers, references, team_names, case_types, workers, opened, closed, age_bands
    )


def _texts(values: list[object], text_only: bool) -> list[str] | None:
    """Return each cell as tidied text, or None when one is a formula or not text."""
    if text_only:
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


def _by_distinct_value(
    values: list[object], convert: Callable[[object], object], text_only: bool
) -> list | None:
    """Return ``convert`` of each value, worked out once per distinct value; None if any is bad."""
    # TRUE is 1 to a dictionary: a workbook's TRUE and FALSE go to the row checker.
    if not text_only and any(value.__class__ is bool for value in values):
        return None
    results = {}
    for value in dict.fromkeys(values):  # first appearance first, as the row checker sees them
        if isinstance(value, Formula):
            return None
        result = convert(value)
        if result is _BAD:
            return None
        results[value] = result
    return list(map(results.__getitem__, values))


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
