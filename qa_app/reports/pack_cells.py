"""Writing a pack sheet row by row: every cell through the one formula-safe writer.

A :class:`SheetWriter` wraps an openpyxl write-only sheet and counts rows, so charts, tables and
conditional formats can name the cells just written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.hyperlink import Hyperlink

from qa_app.display import format_moment as english_moment
from qa_app.exports.safe_cells import excel_cell
from qa_app.reports.pack_content import PackScope

TITLE = Font(bold=True, size=16)
HEADING = Font(bold=True, size=12)
BOLD = Font(bold=True)
LINK = Font(color="1D70B8", underline="single")
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")
WRAP = Alignment(wrap_text=True, vertical="top")
PERCENT = "0%"
PERCENT_1 = "0.0%"
SCORE = "0%"
COUNT = "#,##0"


def new_pack_workbook() -> Workbook:
    """Return an empty write-only workbook: rows stream to disk, memory stays flat."""
    return Workbook(write_only=True)


class SheetWriter:
    """Appends rows to a write-only sheet and remembers the number of the last one."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.row = 0

    def append(self, values: Iterable[Any] = ()) -> int:
        """Append a row (values or cells made by :meth:`cell`); return its row number."""
        self.sheet.append([v if hasattr(v, "coordinate") else self.cell(v) for v in values])
        self.row += 1
        return self.row

    def cell(self, value: Any, **style: Any):
        """Return a formula-safe cell holding the value, styled (font, number_format...)."""
        return excel_cell(self.sheet, value, **style)

    def header(self, values: Iterable[str]) -> int:
        """Append a bold, shaded header row; return its row number."""
        cells = []
        for value in values:
            cell = self.cell(value, font=BOLD, alignment=WRAP)
            cell.fill = HEADER_FILL
            cells.append(cell)
        return self.append(cells)

    def link(self, text: str, sheet_title: str):
        """Return a cell linking to the top of another sheet of the workbook."""
        cell = self.cell(text, font=LINK)
        cell.hyperlink = Hyperlink(ref="", location=f"'{sheet_title}'!A1", display=text)
        return cell

    def widths(self, widths: Iterable[float]) -> None:
        """Set the column widths (before any row is written, as write-only sheets need)."""
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width


def write_heading(writer: SheetWriter, title: str, scope: PackScope, how_to_read: str) -> None:
    """Write the rows every sheet starts with: title, filters, data as at, how to read it."""
    writer.append([writer.cell(title, font=TITLE)])
    writer.append(["Filters: " + "; ".join(f"{what}: {value}" for what, value in scope.filters)])
    writer.append([f"Data as at {format_moment(scope)}"])
    writer.append(["How to read this: " + how_to_read])
    writer.append([])


def format_moment(scope: PackScope) -> str:
    """Return the pack's data-as-at time as people in England read it."""
    return english_moment(scope.data_as_at, weekday=False)


def count_or_suppressed(count: int, scope: PackScope) -> int | str:
    """Return the count, or "<N" for 1..N-1 in a de-identified pack (the small-number rule)."""
    if not scope.case_level and 0 < count < scope.small_number:
        return f"<{scope.small_number}"
    return count


def share(part: int, whole: int) -> float | None:
    """Return part/whole, or None when there is nothing to divide."""
    return part / whole if whole else None
