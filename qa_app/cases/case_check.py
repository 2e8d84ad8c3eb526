"""Checking a whole case list file in one streaming pass, before anything is written.

:func:`check_case_file` reads the headings, checks every row, and stores the good rows in a
:class:`RowSpool` ready to write. It reports every problem in the file, not just the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain

from qa_app.cases.case_batch import KnownValues, check_batch
from qa_app.cases.case_columns import match_headings
from qa_app.cases.case_files import CaseFile, CaseFileError
from qa_app.cases.case_list import CaseListChecker, RowProblem, TeamNames, is_blank_row
from qa_app.cases.row_spool import RowSpool

# Large councils hold tens of thousands of open cases; this leaves room for several years'
# closed cases too, and keeps one import to a few minutes at most.
MAX_ROWS = 200_000
# Rows checked together, column by column (see case_batch.py); also the rows written together.
CHECK_BATCH_ROWS = 5000


@dataclass
class CaseListCheck:
    """What checking a file found. ``ok`` is True when it may be imported."""

    file_problems: list[str] = field(default_factory=list)
    row_problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    ignored_columns: tuple[str, ...] = ()
    new_teams: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Return True when nothing stops the file being imported."""
        return not self.file_problems and not self.row_problems


def check_case_file(
    case_file: CaseFile, teams: TeamNames, spool: RowSpool, *, max_rows: int = MAX_ROWS
) -> CaseListCheck:
    """Return what checking every row of the file found; good rows are added to ``spool``.

    Once a problem is found rows are still checked (so every problem is reported) but no longer
    stored, as nothing will be written.
    """
    result = CaseListCheck()
    batches = case_file.batches(CHECK_BATCH_ROWS)
    try:
        first = next(batches, [])
        header, rows = (first[0], first[1:]) if first else (None, [])
        if header is None or is_blank_row(header):
            has_data = any(not is_blank_row(cells) for cells in chain(rows, *batches))
            result.file_problems.append(
                "Row 1 is empty: put the column headings in row 1 and the cases below them"
                if has_data
                else "The selected file is empty"
            )
            return result
        headings, problems = match_headings(header)
        result.ignored_columns = headings.ignored
        if problems:
            result.file_problems.extend(problems)
            return result
        checker = CaseListChecker(headings, teams)
        known = KnownValues(teams, text_only=case_file.text_only)
        first_number = 2  # the heading row is row 1
        for batch in chain([rows], batches):
            if batch and not _check_rows(
                batch, first_number, checker, known, spool, result, max_rows
            ):
                return result
            first_number += len(batch)
    except CaseFileError as error:
        result.file_problems.append(str(error))
        return result
    result.row_problems = checker.problems
    if checker.formula_count:
        result.file_problems.append(_formula_message(checker))
    if result.rows == 0:
        result.file_problems.append(
            "The file has headings but no cases: add a row for each case below the headings"
        )
    result.new_teams = sorted(teams.new.values())
    return result


def _check_rows(
    batch: list[Sequence[object]],
    first_number: int,
    checker: CaseListChecker,
    known: KnownValues,
    spool: RowSpool,
    result: CaseListCheck,
    max_rows: int,
) -> bool:
    """Check consecutive rows, the first being row ``first_number``; store them if the file has
    no problem so far. Return False when the file has too many rows (then stop reading)."""
    checked = check_batch(
        batch,
        first_number,
        checker.headings,
        checker.first_row_of,
        known,
    )
    if checked is not None:
        if result.rows + len(checked) > max_rows:
            return _too_many_rows(result, max_rows)
        result.rows += len(checked)
        if not checker.problems and not checker.formula_count:
            spool.append_batch(checked)
        return True
    # Some row has a problem or something unusual: the row checker words every problem.
    for row_number, cells in enumerate(batch, start=first_number):
        if is_blank_row(cells):
            continue
        result.rows += 1
        if result.rows > max_rows:
            return _too_many_rows(result, max_rows)
        case_row = checker.check(row_number, cells)
        if case_row is not None and not checker.problems:
            spool.append(case_row)
    return True


def _too_many_rows(result: CaseListCheck, max_rows: int) -> bool:
    result.file_problems.append(
        f"The file has more than {max_rows:,} cases (rows below the headings). "
        f"Split it into files of {max_rows:,} rows or fewer and import each one"
    )
    return False


def _formula_message(checker: CaseListChecker) -> str:
    message = f"Cell {checker.formula_cells[0]} contains a formula; paste values only"
    if checker.formula_count > 1:
        message += f" ({checker.formula_count:,} cells in the imported columns contain formulas)"
    return (
        message + ". In Excel, copy the cells and use Paste Special, Values, then save and "
        "import again"
    )
