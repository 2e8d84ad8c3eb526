"""A case list's columns: their names, the headings that mean them, and matching row 1.

Headings are matched forgivingly: case, spaces and punctuation are ignored, and common names
from case management systems ("Case ID", "Social worker", "Start date") are understood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa_app.cases.case_values import Formula, cell_text

# The longest value each text column holds (the cases and teams tables' column sizes).
MAX_LENGTHS = {"reference": 64, "team": 120, "allocated_worker": 120, "age_band": 20}


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    required: bool
    synonyms: tuple[str, ...]


COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        "Case reference",
        True,
        (
            "case reference",
            "case ref",
            "case id",
            "case number",
            "case no",
            "reference",
            "ref",
            "pseudonymised reference",
            "pseudonymised case reference",
            "case",
            "child reference",
            "child ref",
            "child id",
            "person id",
            "person reference",
        ),
    ),
    Column(
        "team",
        "Team",
        True,
        ("team", "team name", "allocated team", "owning team", "current team", "responsible team"),
    ),
    Column(
        "case_type",
        "Case type",
        True,
        ("case type", "type", "type of case", "case category", "category", "service type"),
    ),
    Column(
        "allocated_worker",
        "Allocated worker",
        True,
        (
            "allocated worker",
            "worker",
            "social worker",
            "allocated social worker",
            "allocated to",
            "case worker",
            "caseworker",
            "key worker",
            "lead practitioner",
            "practitioner",
            "worker name",
            "allocated practitioner",
        ),
    ),
    Column(
        "opened_on",
        "Date opened",
        True,
        (
            "date opened",
            "opened",
            "opened on",
            "open date",
            "start date",
            "date started",
            "started",
            "case start date",
            "start",
            "opening date",
            "date case opened",
        ),
    ),
    Column(
        "closed_on",
        "Date closed",
        False,
        (
            "date closed",
            "closed",
            "closed on",
            "close date",
            "end date",
            "date ended",
            "ended",
            "case end date",
            "end",
            "closure date",
            "date case closed",
        ),
    ),
    Column(
        "age_band",
        "Age band",
        False,
        ("age band", "age group", "age range", "age", "child age band", "age bracket"),
    ),
)


def normalise_heading(text: object) -> str:
    """Return a heading with case, spaces and punctuation removed: "Case Ref." -> "caseref"."""
    return re.sub(r"[^0-9a-z]+", "", str(text or "").casefold())


_HEADING_FIELDS: dict[str, str] = {
    normalise_heading(name): column.field
    for column in COLUMNS
    for name in (column.label, column.field, *column.synonyms)
}
COLUMN_LABELS = {column.field: column.label for column in COLUMNS}


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Headings:
    """Where each field is in the file: its 0-based position and the heading as written."""

    positions: dict[str, int]
    written: dict[str, str]
    ignored: tuple[str, ...]

    def column_name(self, field_name: str) -> str:
        """Return the heading as the person wrote it, for problem reports."""
        return self.written.get(field_name, COLUMN_LABELS[field_name])


def match_headings(cells: Sequence[object]) -> tuple[Headings, list[str]]:
    """Return where each known column is, and problems with the headings (missing, repeated)."""
    positions: dict[str, int] = {}
    written: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[str] = []
    found = [_heading_text(cell) for cell in cells]
    for index, heading in enumerate(found):
        field_name = _HEADING_FIELDS.get(normalise_heading(heading))
        if field_name is None:
            if heading:
                ignored.append(heading)
            continue
        if field_name in positions:
            first = positions[field_name]
            problems.append(
                f'Columns {column_letter(first)} ("{found[first]}") and {column_letter(index)} '
                f'("{heading}") both look like the {COLUMN_LABELS[field_name].lower()} column: '
                "rename or remove one of them"
            )
            continue
        positions[field_name] = index
        written[field_name] = heading
    missing = [c.label.lower() for c in COLUMNS if c.required and c.field not in positions]
    if missing:
        shown = ", ".join(f'"{h}"' for h in found if h) or "none"
        problems.append(
            f"Row 1 must have a heading for each column; the file has no column for "
            f"{_and_list(missing)}. Headings found: {shown}"
        )
    return Headings(positions, written, tuple(ignored)), problems


def _heading_text(cell: object) -> str:
    if isinstance(cell, Formula):
        return ""
    try:
        return cell_text(cell)
    except ValueError:  # a date cell in the heading row is no heading we know
        return str(cell)


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
