"""Opening an uploaded .xlsx workbook without letting it exhaust the server.

An .xlsx file is a zip of XML parts, and zip compression lets a 1 MB upload expand to gigabytes
("zip bombs"): a shared-strings part that openpyxl would load whole, one cell of a gigabyte, or
a gigabyte of white space. Two checks keep a worker well under 300 MB whatever is uploaded:

1. **Before parsing**, the zip's central directory is checked (it is read without inflating
   anything, so a bomb is refused in milliseconds): the number of parts, each part's and the
   total uncompressed size, the shared-strings part's size, and the compression ratio of every
   part over 1 MB (at most 100 to 1, as Apache POI allows by default). The sizes the directory
   states are enforced while inflating, so a part cannot grow past them.
2. **While parsing**, each part is read through a guard that refuses a run of more than 256 KB
   of text without markup (one cell's text or white space), a row of more than 2 MB or 20,000
   elements, more rows than the caller allows, and document type declarations (entity tricks).

Limits are a :class:`XlsxLimits`; :class:`UnsafeWorkbook` says what was wrong and what to do.
This module imports nothing from Flask: the web upload and the command line share it.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from openpyxl.reader.excel import ExcelReader

MB = 1024 * 1024


class UnsafeWorkbook(Exception):
    """The workbook is too large or too compressed to open safely; the message says which."""


@dataclass(frozen=True)
class XlsxLimits:
    max_parts: int = 1000
    max_part_bytes: int = 256 * MB
    max_total_bytes: int = 320 * MB
    max_shared_strings_bytes: int = 32 * MB
    max_ratio: int = 100
    ratio_grace_bytes: int = 1 * MB
    max_text_run_bytes: int = 256 * 1024
    max_row_bytes: int = 2 * MB
    max_row_elements: int = 20_000
    max_rows: int = 1_100_000
    # Elements of the whole shared-strings part: openpyxl keeps each one until the part is read.
    max_shared_string_elements: int = 1_200_000


DEFAULT_LIMITS = XlsxLimits()

_ADVICE = "open it in Excel, save it as a new Excel workbook (.xlsx) and try again"
_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def check_zip_directory(stream: IO[bytes], limits: XlsxLimits = DEFAULT_LIMITS) -> None:
    """Raise UnsafeWorkbook when the zip's directory describes a bomb; return None otherwise.

    Only the central directory is read: nothing is inflated.
    """
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook(
            f"The file could not be read as an Excel workbook: {_ADVICE}"
        ) from None
    finally:
        stream.seek(0)
    if len(parts) > limits.max_parts:
        raise UnsafeWorkbook(
            f"The workbook has {len(parts):,} parts, more than the {limits.max_parts:,} "
            f"allowed: {_ADVICE}"
        )
    total = 0
    for part in parts:
        size = part.file_size
        total += size
        if size > limits.max_part_bytes or total > limits.max_total_bytes:
            raise UnsafeWorkbook(
                f"The workbook expands to more than {limits.max_total_bytes // MB} MB when "
                f"opened, too large to import: split it into smaller files or save it as CSV"
            )
        if part.filename.lower().endswith("sharedstrings.xml") and (
            size > limits.max_shared_strings_bytes
        ):
            raise UnsafeWorkbook(
                f"The workbook's text takes more than {limits.max_shared_strings_bytes // MB} MB "
                "when opened, too much to import: split it into smaller files or save it as CSV"
            )
        if size > limits.ratio_grace_bytes and size > limits.max_ratio * max(part.compress_size, 1):
            raise UnsafeWorkbook(
                f"The workbook is compressed far more than a real spreadsheet (part "
                f"{part.filename!r} expands {size // max(part.compress_size, 1):,} times), so it "
                f"was not opened: {_ADVICE}"
            )


def load_guarded_workbook(
    stream: IO[bytes],
    limits: XlsxLimits = DEFAULT_LIMITS,
    *,
    read_only: bool = True,
    data_only: bool = False,
) -> Any:
    """Return the openpyxl workbook in ``stream`` after :func:`check_zip_directory`, with
    every part read through the guard; raises UnsafeWorkbook as soon as a limit is passed
    (when opening, or later while rows are read)."""
    check_zip_directory(stream, limits)
    reader = ExcelReader(stream, read_only=read_only, data_only=data_only, keep_links=False)
    reader.archive = _GuardedZipFile(stream, limits)
    reader.valid_files = reader.archive.namelist()
    reader.read()
    return reader.wb


class _GuardedZipFile(zipfile.ZipFile):
    """A zip whose parts are read through :class:`_GuardedPart`."""

    def __init__(self, stream: IO[bytes], limits: XlsxLimits) -> None:
        stream.seek(0)
        super().__init__(stream)
        self.limits = limits

    def open(self, name, mode="r", pwd=None, *, force_zip64=False):  # type: ignore[override]
        part = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return part
        filename = name.filename if isinstance(name, zipfile.ZipInfo) else name
        return _GuardedPart(part, filename, self.limits)


class _GuardedPart:
    """A zip part read in chunks, refused as soon as its XML passes a limit."""

    def __init__(self, part: Any, name: str, limits: XlsxLimits) -> None:
        self.part = part
        self.name = name
        self.limits = limits
        self.shared_strings = name.lower().endswith("sharedstrings.xml")
        self.since_markup = 0  # bytes since the last "<"
        self.row_bytes = 0  # bytes since the last row started
        self.row_elements = 0
        self.elements = 0
        self.rows = 0
        self.tail = b""  # the end of the previous chunk, to find markers split across chunks

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            chunks = []
            while chunk := self.read(64 * 1024):
                chunks.append(chunk)
            return b"".join(chunks)
        chunk = self.part.read(min(size, self.limits.max_text_run_bytes))
        if chunk:
            self._check(chunk)
        return chunk

    def _check(self, chunk: bytes) -> None:
        limits = self.limits
        first = chunk.find(b"<")
        if first == -1:
            self.since_markup += len(chunk)
        else:
            # Runs wholly inside the chunk are shorter than the chunk, itself within the limit.
            self.since_markup = max(self.since_markup + first, 0)
            if self.since_markup <= limits.max_text_run_bytes:
                self.since_markup = len(chunk) - 1 - chunk.rfind(b"<")
        if self.since_markup > limits.max_text_run_bytes:
            raise UnsafeWorkbook(
                f"The workbook has a cell or a stretch of text longer than "
                f"{limits.max_text_run_bytes // 1024} KB, which is not a real case list: "
                f"{_ADVICE}"
            )
        window = self.tail + chunk
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise UnsafeWorkbook(
                f"The workbook contains XML declarations Excel never writes: {_ADVICE}"
            )
        elements = chunk.count(b"<")
        self.elements += elements
        if self.shared_strings:
            if self.elements > limits.max_shared_string_elements:
                raise UnsafeWorkbook(
                    "The workbook holds too many different pieces of text to import: split it "
                    "into smaller files or save it as CSV"
                )
        else:
            starts = [m.end() for m in _ROW_START.finditer(window)]
            starts = [end - len(self.tail) for end in starts if end > len(self.tail)]
            if starts:
                self.rows += len(starts)
                self.row_bytes = len(chunk) - starts[-1]
                self.row_elements = chunk.count(b"<", starts[-1])
            else:
                self.row_bytes += len(chunk)
                self.row_elements += elements
            if self.row_bytes > limits.max_row_bytes or (
                self.row_elements > limits.max_row_elements
            ):
                raise UnsafeWorkbook(
                    f"A row of the workbook is larger than {limits.max_row_bytes // MB} MB or "
                    f"has more than {limits.max_row_elements:,} cells, which is not a real case "
                    f"list: {_ADVICE}"
                )
            if self.rows > limits.max_rows:
                raise UnsafeWorkbook(
                    f"The workbook has more than {limits.max_rows:,} rows, too many to import: "
                    "split it into smaller files"
                )
        self.tail = chunk[-16:]

    def close(self) -> None:
        self.part.close()

    def __enter__(self) -> _GuardedPart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.part, name)
