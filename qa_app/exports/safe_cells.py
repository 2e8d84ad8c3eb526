"""One formula-safe way to write a cell, for every workbook and CSV file the product exports.

Text in an export can come from anyone: a team name from a case import, a template's wording, a
user's name. Spreadsheet programs run a cell as a formula when it starts with ``=`` (and, in a
CSV file, also ``+``, ``-``, ``@``, a tab or a carriage return), so text such as
``=HYPERLINK("http://x","y")`` would become a live link or worse (OWASP, "CSV Injection").

* In an .xlsx workbook, text is written as a string cell (``t="inlineStr"``): it is never a
  formula, and it reads back exactly as typed. Only a :class:`Formula` written by the code on
  purpose is a formula. Characters XML cannot hold (control characters other than tab, line
  feed and carriage return) are dropped, and text longer than Excel's 32,767 characters per
  cell is cut there, because Excel refuses the file otherwise.
* Streamed rows of a long sheet (:mod:`qa_app.exports.xlsx_rows`) are the same string cells,
  made as XML here by :func:`inline_string_xml`.
* In a CSV file, every field is quoted and text starting with one of OWASP's characters gets a
  leading apostrophe, which spreadsheet programs show as text and do not run.

This module imports nothing from Flask, so the command line and background jobs use it too.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

# Everything XML 1.0 cannot hold: control characters other than tab, line feed and carriage
# return, lone surrogates, and U+FFFE and U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Excel's limit on the characters in one cell.
EXCEL_CELL_LIMIT = 32_767

# The characters OWASP lists as starting a formula in a CSV file opened by a spreadsheet.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

BOLD = Font(bold=True)


@dataclass(frozen=True)
class Formula:
    """A formula the code writes on purpose, e.g. ``Formula("=SUM(B2:B9)")``."""

    text: str


def excel_text(value: str) -> str:
    """Return text as a workbook can hold it: without XML-illegal control characters and no
    longer than Excel's limit for one cell."""
    return _NOT_XML.sub("", value)[:EXCEL_CELL_LIMIT]


def excel_cell(
    sheet: Any,
    value: Any,
    *,
    font: Font | None = None,
    number_format: str | None = None,
    alignment: Any = None,
) -> Cell:
    """Return a cell for ``sheet`` (write-only or ordinary) holding ``value`` safely.

    Text is always a string cell, never a formula; a :class:`Formula` is a formula; numbers,
    dates, booleans and None are written as they are.
    """
    cell = WriteOnlyCell(sheet)
    _put(cell, value)
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    if alignment is not None:
        cell.alignment = alignment
    return cell


# XML text escapes; a carriage return is kept as a reference, which XML would otherwise read as
# a line feed.
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def inline_string_xml(value: str) -> str:
    """Return the XML of a string cell (``t="inlineStr"``) holding the text, made safe by
    :func:`excel_text`: whatever it starts with, it is text, never a formula."""
    text = excel_text(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{text.translate(_XML_ESCAPES)}</t></is></c>'


def number_xml(value: int | float, style: str = "") -> str:
    """Return the XML of a number cell; ``style`` is its ``s="..."`` attribute, if any."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"a streamed cell holds text, a number or nothing, not {value!r}")
    return f"<c{style}><v>{value!r}</v></c>"


def set_excel_value(cell: Cell, value: Any) -> Cell:
    """Put ``value`` into an existing cell of an ordinary worksheet safely; returns the cell."""
    _put(cell, value)
    return cell


def excel_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """Return a row ready for ``sheet.append``: cells made by :func:`excel_cell` are kept, any
    other value is made safe by it."""
    return [v if isinstance(v, Cell) else excel_cell(sheet, v) for v in values]


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append a row of values to a sheet, each written safely; returns nothing."""
    sheet.append(excel_row(sheet, values))


def _put(cell: Cell, value: Any) -> None:
    if isinstance(value, Formula):
        cell.value = value.text
        cell.data_type = "f"
    elif isinstance(value, str):
        # Assigning the text first lets openpyxl set the style it needs; the type is then fixed
        # as a string so that nothing the text starts with can make it a formula.
        cell.value = excel_text(value)
        cell.data_type = "s"
    else:
        cell.value = value


def safe_csv_value(value: Any) -> Any:
    """Return a value for a CSV field: text starting with a formula character gets a leading
    apostrophe (OWASP), other values are returned unchanged (None as an empty field)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def csv_writer(stream: IO[str]) -> Any:
    """Return a ``csv.writer`` that quotes every field, as OWASP advises; write rows to it
    through :func:`write_csv_row`."""
    return csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


def write_csv_row(writer: Any, values: Iterable[Any]) -> None:
    """Write one row with every value made safe by :func:`safe_csv_value`; returns nothing."""
    writer.writerow([safe_csv_value(v) for v in values])
