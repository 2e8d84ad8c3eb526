"""Reading case list files row by row: CSV and Excel (.xlsx), never the whole file at once.

:func:`open_case_file` looks at a file (its name and its first bytes), works out how to read it
and refuses what it cannot read with a message saying what to do. The object it returns can be
read more than once: each call of ``rows()`` (or ``batches()``) starts again at row 1. Formula
cells come back as :data:`FORMULA`, as their value is not in the file until a spreadsheet
calculates it.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import PurePath
from typing import BinaryIO, Protocol

from qa_app.cases.case_list import is_blank_row
from qa_app.cases.case_values import FORMULA
from qa_app.uploads.safe_xlsx import UnsafeWorkbook, XlsxLimits, load_guarded_workbook

# A workbook is checked for zip bombs before it is parsed, and read through a guard that caps
# cells and rows (see qa_app/uploads/safe_xlsx.py). Rows far beyond the import's own limit
# (case_check.MAX_ROWS, 200,000) are refused there too, with room for blank rows.
XLSX_LIMITS = XlsxLimits(max_rows=250_000)

SUPPORTED = "a CSV file (.csv) or an Excel workbook (.xlsx)"
CHUNK_BYTES = 1024 * 1024
CHUNK_ROWS = 1000

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Office formats (.xls)
_SAVE_AS = {
    ".xls": "an Excel 97-2003 workbook (.xls): save it as an Excel workbook (.xlsx) or as CSV",
    ".xlsm": "a macro-enabled workbook (.xlsm): save it as an Excel workbook (.xlsx) or as CSV",
    ".xlsb": "a binary workbook (.xlsb): save it as an Excel workbook (.xlsx) or as CSV",
    ".ods": "an OpenDocument spreadsheet (.ods): save it as an Excel workbook (.xlsx) or as CSV",
    ".numbers": "a Numbers spreadsheet: export it as an Excel workbook (.xlsx) or as CSV",
}


class CaseFileError(Exception):
    """The file cannot be read as a case list; the message says why and what to do."""


class CaseFile(Protocol):
    description: str
    text_only: bool  # every cell is a string (a CSV file), so the checks may take short cuts

    def rows(self) -> Iterator[Sequence[object]]:
        """Yield every row from row 1 (the headings), each as a sequence of cell values."""
        ...

    def batches(self, size: int) -> Iterator[list[Sequence[object]]]:
        """Yield every row from row 1 in lists of ``size`` rows (the last may be shorter)."""
        ...

    def close(self) -> None:
        """Release anything the reader holds open."""
        ...


def open_case_file(stream: BinaryIO, filename: str, sheet: str | None = None) -> CaseFile:
    """Return a reader for the file, or raise CaseFileError saying why it cannot be read.

    ``stream`` must be seekable (a temporary or ordinary file): it is read once per pass.
    ``sheet`` names the worksheet to read in a workbook with more than one sheet of data.
    """
    suffix = PurePath(filename or "").suffix.lower()
    stream.seek(0)
    start = stream.read(8)
    stream.seek(0)
    if not start:
        raise CaseFileError("The selected file is empty")
    if suffix == ".csv":
        if start.startswith(_ZIP_MAGIC):
            raise CaseFileError(
                "The file is named .csv but is an Excel workbook: rename it to .xlsx, "
                "or save it as CSV"
            )
        if start.startswith(_OLE_MAGIC):
            raise CaseFileError(f"The file is named .csv but is {_SAVE_AS['.xls']}")
        return CsvCaseFile(stream)
    if suffix == ".xlsx":
        if not start.startswith(_ZIP_MAGIC):
            raise CaseFileError(
                "The file is named .xlsx but is not an Excel workbook: open it in Excel and "
                "save it as an Excel workbook (.xlsx) or as CSV"
            )
        return XlsxCaseFile(stream, sheet)
    if suffix in _SAVE_AS:
        raise CaseFileError(f"The selected file is {_SAVE_AS[suffix]}")
    raise CaseFileError(f"The selected file must be {SUPPORTED}")


class CsvCaseFile:
    """A CSV file in UTF-8 (with or without a byte order mark), UTF-16 or Windows-1252."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.encoding = _detect_encoding(stream)
        self.delimiter = self._detect_delimiter()
        self.description = "CSV"
        self.text_only = True

    def rows(self) -> Iterator[Sequence[object]]:
        for batch in self.batches(CHUNK_ROWS):
            yield from batch

    def batches(self, size: int) -> Iterator[list[Sequence[object]]]:
        # Lists of rows taken straight from the csv module's reader (in C), not row by row.
        with self._text() as text:
            reader = csv.reader(text, delimiter=self.delimiter)
            try:
                while batch := list(islice(reader, size)):
                    yield batch
            except csv.Error as error:
                raise CaseFileError(
                    f"Row {reader.line_num} could not be read as CSV ({error}): "
                    "save the file from your spreadsheet as CSV and try again"
                ) from None

    def _detect_delimiter(self) -> str:
        # Spreadsheets in some regions save CSV with semicolons, and "Unicode text" uses tabs.
        with self._text() as text:
            first_line = text.readline(64 * 1024)
        counts = {d: first_line.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] > counts[","] else ","

    def close(self) -> None:
        """Nothing to release: the caller owns the file."""

    @contextmanager
    def _text(self) -> Iterator[io.TextIOWrapper]:
        self.stream.seek(0)
        text = io.TextIOWrapper(self.stream, encoding=self.encoding, newline="")
        try:
            yield text
        finally:
            text.detach()  # leave the underlying file open for the next pass


def _detect_encoding(stream: BinaryIO) -> str:
    """Return the encoding the whole file decodes with, reading it in chunks."""
    stream.seek(0)
    start = stream.read(4)
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(stream, encoding):
            return encoding
    raise CaseFileError(
        "The file's text could not be read: save it from your spreadsheet as "
        '"CSV UTF-8 (comma delimited)" and try again'
    )


def _decodes(stream: BinaryIO, encoding: str) -> bool:
    stream.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := stream.read(CHUNK_BYTES):
            if b"\x00" in chunk and encoding != "utf-16":
                raise CaseFileError(
                    "The file is not a text file: save it from your spreadsheet as CSV"
                )
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


class XlsxCaseFile:
    """One worksheet of an Excel workbook, read in openpyxl's read-only (streaming) mode."""

    def __init__(self, stream: BinaryIO, sheet: str | None) -> None:
        try:
            # data_only=False keeps formulas as formulas, so they can be refused.
            self.workbook = load_guarded_workbook(stream, XLSX_LIMITS, data_only=False)
        except UnsafeWorkbook as error:
            raise CaseFileError(str(error)) from None
        # A damaged or mislabelled workbook fails in many ways inside openpyxl (a missing part,
        # bad XML, a wrong type); each means the same thing to the person importing.
        except Exception:  # noqa: BLE001
            raise CaseFileError(
                "The file could not be read as an Excel workbook: open it in Excel, save it as "
                "an Excel workbook (.xlsx) and try again"
            ) from None
        try:
            self.worksheet = self._choose_sheet(sheet)
        except UnsafeWorkbook as error:
            self.workbook.close()
            raise CaseFileError(str(error)) from None
        # Some programs write a wrong size into the sheet; read every row that is there.
        self.worksheet.reset_dimensions()
        self.description = f'sheet "{self.worksheet.title}"'
        self.text_only = False

    def rows(self) -> Iterator[Sequence[object]]:
        try:
            for row in self.worksheet.iter_rows():
                yield tuple(FORMULA if cell.data_type == "f" else cell.value for cell in row)
        except UnsafeWorkbook as error:
            raise CaseFileError(str(error)) from None

    def batches(self, size: int) -> Iterator[list[Sequence[object]]]:
        rows = self.rows()
        while batch := list(islice(rows, size)):
            yield batch

    def close(self) -> None:
        """Release the workbook's file handles."""
        self.workbook.close()

    def _choose_sheet(self, sheet: str | None):
        worksheets = self.workbook.worksheets
        names = ", ".join(f'"{ws.title}"' for ws in worksheets)
        if sheet and sheet.strip():
            wanted = " ".join(sheet.split()).casefold()
            for worksheet in worksheets:
                if " ".join(worksheet.title.split()).casefold() == wanted:
                    return worksheet
            raise CaseFileError(
                f'The workbook has no sheet called "{sheet.strip()}". Sheets: {names}'
            )
        if not worksheets:
            raise CaseFileError("The workbook has no worksheets")
        with_data = [ws for ws in worksheets if _has_data(ws)]
        if len(with_data) > 1:
            sheets_with_data = ", ".join(f'"{ws.title}"' for ws in with_data)
            raise CaseFileError(
                f"The workbook has more than one sheet with data ({sheets_with_data}): enter the "
                "name of the sheet to import, or delete the other sheets"
            )
        return with_data[0] if with_data else worksheets[0]


def _has_data(worksheet) -> bool:
    worksheet.reset_dimensions()
    return any(not is_blank_row(row) for row in worksheet.iter_rows(values_only=True))
