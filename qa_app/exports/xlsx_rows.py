"""Streaming a long sheet fast: rows written as ready-made XML into an openpyxl write-only sheet.

openpyxl spends most of a big sheet's time on each cell (binding the value, then three nested
XML elements written one by one): at 800,000 rows of 18 columns that is minutes. A Data sheet's
columns repeat a few labels (team, criterion, grade), so here each distinct value's cell XML is
made once per column, a row is a string join, and the rows go to a temporary file as the csv
module would write them. When openpyxl closes the sheet (on save), they are copied into its
``sheetData`` after the rows openpyxl wrote (the header). Everything else about the sheet
(widths, frozen panes, tables, charts of other sheets) stays openpyxl's.

Text still goes through :func:`qa_app.exports.safe_cells.inline_string_xml`, so it is always a
string cell and never a formula; openpyxl's reader and LibreOffice read the rows back in the
tests. When the sheet is not the kind this understands (another openpyxl), rows go through
``sheet.append`` with formula-safe cells instead: slower, the same workbook.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any

from qa_app.exports.safe_cells import excel_cell, inline_string_xml, number_xml

# Distinct values remembered per column; a column past this (free text) is not cached further.
CACHE_LIMIT = 5_000
# Rows joined and written to the temporary file together.
WRITE_EVERY = 1_000
_END_OF_ROWS = b"</sheetData>"


class RowStream:
    """Appends rows of values to a write-only sheet after the rows openpyxl already wrote.

    ``number_formats`` maps a column (0-based) to the number format of its numbers. Nothing
    else may be appended to the sheet once rows are streamed; they reach the workbook when it is
    saved.
    """

    def __init__(
        self, sheet: Any, next_row: int, number_formats: dict[int, str] | None = None
    ) -> None:
        self.sheet = sheet
        self.row = next_row - 1
        self.number_formats = number_formats or {}
        self._styles = {
            column: f' s="{excel_cell(sheet, 0, number_format=fmt).style_id}"'
            for column, fmt in self.number_formats.items()
        }
        self._caches: list[dict[Any, str]] = []
        self._rows: IO[str] | None = _hook(sheet, self)
        self.fast = self._rows is not None
        self._pending: list[str] = []

    def append(self, values: Sequence[Any]) -> None:
        """Write one row of text, numbers and blanks (None)."""
        self.row += 1
        if not self.fast:
            self.sheet.append(
                [
                    excel_cell(self.sheet, v, number_format=self.number_formats.get(i))
                    if v is not None
                    else None
                    for i, v in enumerate(values)
                ]
            )
            return
        caches = self._caches
        if len(caches) < len(values):
            caches.extend({} for _ in range(len(values) - len(caches)))
        # The common case, every value seen before in its column, is one lookup per cell.
        cells = [cache.get(value) for cache, value in zip(caches, values, strict=False)]
        if None in cells:
            for column, xml in enumerate(cells):
                if xml is None:
                    value = values[column]
                    cells[column] = xml = self._cell(column, value)
                    if len(caches[column]) < CACHE_LIMIT:
                        caches[column][value] = xml
        self._pending.append(f'<row r="{self.row}">{"".join(cells)}</row>')
        if len(self._pending) >= WRITE_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write the rows held in memory to the temporary file (done on save too)."""
        if self._rows is not None and self._pending:
            self._rows.write("".join(self._pending))
            self._pending.clear()

    def extend(self, rows: Iterable[Sequence[Any]]) -> None:
        """Write many rows."""
        for values in rows:
            self.append(values)

    def _cell(self, column: int, value: Any) -> str:
        if value is None or value == "":
            return "<c/>"  # as openpyxl writes an empty text: no value
        if isinstance(value, str):
            return inline_string_xml(value)
        return number_xml(value, self._styles.get(column, ""))


def _hook(sheet: Any, stream: RowStream) -> IO[str] | None:
    """Return a temporary file for the sheet's rows, copied into the sheet's XML when openpyxl
    closes it; None when the sheet cannot take them (then rows are appended one by one)."""
    writer = getattr(sheet, "_writer", None)
    if writer is None or sheet._rows is None or not isinstance(getattr(writer, "out", None), str):
        return None
    # Unnamed and removed at once: case-level rows never sit in a file another process can open.
    rows = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed on save)
    close_sheet = sheet.close

    def close() -> None:
        stream.flush()
        close_sheet()
        try:
            _splice(writer.out, rows)
        finally:
            rows.close()

    sheet.close = close
    return rows


def _splice(path: str, rows: IO[str]) -> None:
    """Put the rows (XML text) before the end of the sheet's ``sheetData`` in its file."""
    with open(path, "rb") as sheet_file:
        written = sheet_file.read()  # the rows openpyxl wrote and the sheet's tail: small
    end = written.rfind(_END_OF_ROWS)
    if end < 0:
        raise ValueError("the sheet has no rows to add to")
    rows.flush()
    rows.seek(0)
    with open(path, "wb") as sheet_file:
        sheet_file.write(written[:end])
        with open(os.dup(rows.fileno()), "rb") as raw:
            raw.seek(0)
            shutil.copyfileobj(raw, sheet_file, 1 << 20)
        sheet_file.write(written[end:])
