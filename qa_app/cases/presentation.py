"""Shaping case list data for the pages: the error summary, table columns and page links."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.cases.operations import CaseImportResult
from qa_app.cases.queries import NO_CASE_TYPE, TeamCaseCounts
from qa_app.template_format.definition import CASE_TYPES

# A problem report longer than this is cut short on the page, with a count of the rest.
PROBLEMS_SHOWN = 500

# Short headings for the counts table, in the order case types are defined.
SHORT_CASE_TYPE_LABELS = {
    "contact_referral": "Contact or referral",
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "child_in_care": "Child in care",
    "care_leaver": "Care leaver",
    "homeless_16_17": "Homeless 16 or 17",
    "lado": "LADO",
}


@dataclass(frozen=True)
class TypeColumn:
    key: str
    heading: str


def error_summary_items(form, result: CaseImportResult | None) -> list[dict[str, str]]:
    """Return the error summary's links: form errors, file problems, then the rows' problems."""
    items = [
        {"text": message, "href": f"#{field.id}"}
        for field in form
        for message in field.errors
        if not (result and field.name == "file")
    ]
    if result is None:
        return items
    items += [{"text": problem, "href": "#file"} for problem in result.file_problems]
    bad_rows = len({problem.row for problem in result.row_problems})
    if bad_rows:
        rows_text = "1 row has" if bad_rows == 1 else f"{bad_rows:,} rows have"
        items.append(
            {
                "text": f"{rows_text} problems, so nothing was imported: fix every row listed "
                "and import the file again",
                "href": "#row-problems",
            }
        )
    return items


def case_type_columns(counts: list[TeamCaseCounts]) -> list[TypeColumn]:
    """Return a column for each case type held, in the defined order ("Not recorded" last)."""
    held = {key for team in counts for key in team.by_type}
    columns = [
        TypeColumn(key, SHORT_CASE_TYPE_LABELS.get(key, label))
        for key, label in CASE_TYPES.items()
        if key in held
    ]
    columns += [TypeColumn(key, key) for key in sorted(held - set(CASE_TYPES) - {NO_CASE_TYPE})]
    if NO_CASE_TYPE in held:
        columns.append(TypeColumn(NO_CASE_TYPE, "Not recorded"))
    return columns


def size_text(size: int) -> str:
    """Return a size in bytes as people read it: 64 MB, or 256 KB below a megabyte."""
    megabyte = 1024 * 1024
    if size >= megabyte:
        return f"{size / megabyte:g} MB"
    return f"{size / 1024:g} KB"
