"""A case list's rows: checking each row into a CaseRow, or recording its problems.

The checker sees one row at a time and keeps only what the whole-file checks need (each
reference's first row, the teams named), so a file of any length is checked in a single pass.
Row numbers are the ones the person sees in their spreadsheet: the heading row is row 1.
Nothing here knows about files or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from qa_app.cases.case_columns import COLUMN_LABELS, MAX_LENGTHS, Headings, column_letter
from qa_app.cases.case_values import (
    Formula,
    case_type_names,
    cell_text,
    parse_case_type,
    parse_date,
)
from qa_app.display import format_date


class RowProblem(NamedTuple):
    row: int
    column: str
    message: str


class CaseRow(NamedTuple):
    row: int
    reference: str
    team: str
    case_type: str
    allocated_worker: str | None
    opened_on: date | None
    closed_on: date | None
    age_band: str | None


def team_key(name: str) -> str:
    """Return the form of a team name used to compare names: spaces tidied, case ignored."""
    return " ".join(name.split()).casefold()


class TeamNames:
    """The teams a case list may name: those that exist, and (when allowed) new ones.

    A name matches an existing team exactly, or else ignoring case and extra spaces. A retired
    team takes no cases, and is never created again under the same name.
    """

    def __init__(
        self, existing: Iterable[str], *, create: bool, retired: Iterable[str] = ()
    ) -> None:
        self.retired = {team_key(name) for name in retired}
        self.exact = set(existing)
        self.by_key: dict[str, str] = {}
        for name in sorted(self.exact):
            self.by_key.setdefault(team_key(name), name)
        self.create = create
        self.new: dict[str, str] = {}

    def resolve(self, name: str) -> str | None:
        """Return the stored name of the team, recording a new team if allowed; else None."""
        if self.is_retired(name):
            return None
        if name in self.exact:
            return name
        key = team_key(name)
        known = self.by_key.get(key) or self.new.get(key)
        if known is not None or not self.create:
            return known
        self.new[key] = name
        return name

    def is_retired(self, name: str) -> bool:
        """Return True when the name is a retired team's."""
        return team_key(name) in self.retired


@dataclass
class CaseListChecker:
    """Checks rows one at a time; collects every problem and the file-wide facts."""

    headings: Headings
    teams: TeamNames
    problems: list[RowProblem] = field(default_factory=list)
    first_row_of: dict[str, int] = field(default_factory=dict)
    formula_cells: list[str] = field(default_factory=list)
    formula_count: int = 0

    def check(self, row_number: int, cells: Sequence[object]) -> CaseRow | None:
        """Return the row as a CaseRow, or None after recording its problems."""
        before = len(self.problems)
        values: dict[str, object] = {}
        for field_name, index in self.headings.positions.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, Formula):
                self._formula(row_number, index)
                value = None
            values[field_name] = value
        reference = self._text(row_number, values, "reference", required=True)
        team = self._team(row_number, values)
        case_type = self._case_type(row_number, values)
        worker = self._text(row_number, values, "allocated_worker") or None
        opened_on = self._date(row_number, values, "opened_on", required=True)
        closed_on = self._date(row_number, values, "closed_on")
        age_band = self._text(row_number, values, "age_band") or None
        if opened_on and closed_on and closed_on < opened_on:
            self._problem(
                row_number,
                "closed_on",
                "Date closed must be the same as or after the date opened "
                f"({format_date(opened_on)})",
            )
        if reference:
            reference = reference.upper()  # references are stored upper case, as the app does
            first = self.first_row_of.setdefault(reference, row_number)
            if first != row_number:
                self._problem(
                    row_number, "reference", f"Case reference {reference} is also on row {first}"
                )
        if len(self.problems) > before or self.formula_count:
            return None
        assert reference and team and case_type
        return CaseRow(
            row_number, reference, team, case_type, worker, opened_on, closed_on, age_band
        )

    def _problem(self, row_number: int, field_name: str, message: str) -> None:
        self.problems.append(RowProblem(row_number, self.headings.column_name(field_name), message))

    def _formula(self, row_number: int, index: int) -> None:
        self.formula_count += 1
        if not self.formula_cells:
            self.formula_cells.append(f"{column_letter(index)}{row_number}")

    def _text(
        self, row_number: int, values: Mapping[str, object], field_name: str, required: bool = False
    ) -> str:
        if field_name not in self.headings.positions:
            return ""
        label = COLUMN_LABELS[field_name]
        try:
            text = cell_text(values[field_name])
        except ValueError as error:
            self._problem(row_number, field_name, f"{label} {error}")
            return ""
        if required and not text:
            self._problem(row_number, field_name, f"Enter the {label.lower()}")
        elif len(text) > MAX_LENGTHS[field_name]:
            self._problem(
                row_number,
                field_name,
                f"{label} must be {MAX_LENGTHS[field_name]} characters or fewer",
            )
            return ""
        return text

    def _team(self, row_number: int, values: Mapping[str, object]) -> str | None:
        name = self._text(row_number, values, "team", required=True)
        if not name:
            return None
        team = self.teams.resolve(name)
        if team is None and self.teams.is_retired(name):
            self._problem(
                row_number,
                "team",
                f'"{name}" is a retired team and takes no cases: use the team that took over '
                "its work",
            )
        elif team is None:
            self._problem(
                row_number,
                "team",
                f'There is no team called "{name}": check the name, or choose to create teams '
                "that do not exist yet",
            )
        return team

    def _case_type(self, row_number: int, values: Mapping[str, object]) -> str | None:
        value = values["case_type"]
        if value is None or (isinstance(value, str) and not value.strip()):
            self._problem(row_number, "case_type", "Enter the case type")
            return None
        case_type = parse_case_type(value)
        if case_type is None:
            shown = value if isinstance(value, str) else str(value)
            self._problem(
                row_number,
                "case_type",
                f'Case type "{" ".join(shown.split())[:60]}" is not one we know; use one of: '
                f"{case_type_names()}",
            )
        return case_type

    def _date(
        self, row_number: int, values: Mapping[str, object], field_name: str, required: bool = False
    ) -> date | None:
        if field_name not in self.headings.positions:
            return None
        value = values[field_name]
        label = COLUMN_LABELS[field_name]
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self._problem(row_number, field_name, f"Enter the {label.lower()}")
            return None
        try:
            return parse_date(value)
        except ValueError as error:
            shown = value if isinstance(value, str) else str(value)
            self._problem(row_number, field_name, f'{label} "{shown.strip()[:40]}" {error}')
            return None


def is_blank_row(cells: Sequence[object]) -> bool:
    """Return True when every cell is empty (spreadsheets often end with formatted empty rows)."""
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)
