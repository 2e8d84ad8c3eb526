"""The sheets and columns of the template workbook, shared by the writer and the reader."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header, width in characters and whether import needs it."""

    header: str
    width: int
    required: bool = False


TEMPLATE_SHEET = "Template"
SECTIONS_SHEET = "Sections"
CRITERIA_SHEET = "Criteria"
SCALES_SHEET = "Scales"
FINDINGS_SHEET = "Findings"

COLUMNS: dict[str, tuple[Column, ...]] = {
    TEMPLATE_SHEET: (
        Column("Field", 24, True),
        Column("Value", 80, True),
        Column("About", 60),
    ),
    SECTIONS_SHEET: (
        Column("Key", 22, True),
        Column("Title", 40, True),
        Column("Guidance", 50),
        Column("Judgement question", 40),
        Column("Judgement scale", 16),
        Column("Judgement hint", 30),
        Column("Judgement guidance", 40),
        Column("Judgement rationale", 18),
    ),
    CRITERIA_SHEET: (
        Column("Section", 18, True),
        Column("Key", 26, True),
        Column("Question", 50, True),
        Column("Hint", 36),
        Column("Guidance", 50),
        Column("Type", 10),
        Column("Scale", 16),
        Column("Required", 10),
        Column("Allow N/A", 10),
        Column("Weight", 8),
        Column("Rationale", 16),
        Column("Area", 22),
        Column("Findings", 26),
        Column("Show if", 40),
        Column("Replaces", 22),
        Column("Options", 40),
        Column("Min", 8),
        Column("Max", 8),
    ),
    SCALES_SHEET: (
        Column("Scale", 18, True),
        Column("Scale label", 24, True),
        Column("Option value", 18, True),
        Column("Option label", 32, True),
        Column("Score", 8, True),
        Column("Needs rationale", 16),
        Column("Hint", 40),
    ),
    FINDINGS_SHEET: (
        Column("Key", 26, True),
        Column("Wording", 90, True),
    ),
}

REQUIRED_SHEETS = (TEMPLATE_SHEET, SECTIONS_SHEET, CRITERIA_SHEET)

# Template sheet rows: (field label, about).
TEMPLATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("Key", "Lowercase letters, digits and hyphens, starting with a letter"),
    ("Version", "A whole number of 1 or more"),
    ("Title", "The template's name"),
    ("Description", "Optional"),
    ("Applies to", "Optional: case types separated by commas"),
    ("Look back (months)", "Optional: how far back auditors read the record"),
    ("Overall question", "The overall judgement question"),
    ("Overall scale", "The overall judgement's scale"),
    ("Overall hint", "Optional"),
    ("Overall guidance", "Optional"),
    ("Overall rationale", 'Optional: always, never or "below <option>"'),
    ("Limited by", "Optional: section or criterion keys separated by commas"),
)


def normalise(header: object) -> str:
    """Return a header or field label reduced to lowercase letters and digits for matching."""
    return re.sub(r"[^a-z0-9]", "", str(header).lower()) if header is not None else ""
