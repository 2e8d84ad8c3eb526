"""Building synthetic case list files (CSV and .xlsx) in memory for the tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook

HEADINGS = (
    "Case reference",
    "Team",
    "Case type",
    "Allocated worker",
    "Date opened",
    "Date closed",
    "Age band",
)
TEAM_A = "Team A (synthetic)"
TEAM_B = "Team B (synthetic)"


def case_rows(count: int, *, team: str = TEAM_A, start: int = 1) -> list[list[object]]:
    """Return ``count`` good synthetic rows with references SYN-000001 upwards."""
    return [
        [f"SYN-{n:06d}", team, "Child in need", f"Worker {n} (synthetic)", "03/03/2026", "", "5-9"]
        for n in range(start, start + count)
    ]


def csv_bytes(
    rows: Sequence[Sequence[object]],
    headings: Sequence[str] = HEADINGS,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> bytes:
    """Return a CSV file of the headings and rows."""
    import csv

    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[object]],
    headings: Sequence[object] | None = HEADINGS,
    *,
    sheets: dict[str, Sequence[Sequence[object]]] | None = None,
) -> bytes:
    """Return a workbook whose first sheet ("Cases") holds the headings and rows.

    ``sheets`` adds more sheets. A string starting "=" is written as a formula.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    if headings is not None:
        sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    for name, extra_rows in (sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in extra_rows:
            extra.append(list(row))
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def a_date(day: int = 3, month: int = 3, year: int = 2026) -> date:
    return date(year, month, day)
