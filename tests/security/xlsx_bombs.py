"""Building .xlsx zip bombs for the upload tests, quickly and without using gigabytes.

A bomb part is a small prefix, one block repeated many times and a suffix. Each piece is
deflated once on its own (ending on a full flush, so it refers to nothing before it) and the
compressed block is simply repeated: the result is a valid zip whose part inflates to the full
size, written in a second or two instead of deflating a gigabyte.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

HEADINGS = ["Case reference", "Team", "Case type", "Allocated worker", "Date opened"]


@dataclass(frozen=True)
class Repeated:
    """Part content: ``prefix``, then ``block`` ``times`` times, then ``suffix``."""

    prefix: bytes
    block: bytes
    times: int
    suffix: bytes

    @property
    def size(self) -> int:
        return len(self.prefix) + len(self.block) * self.times + len(self.suffix)


def _deflate(data: bytes, final: bool) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH
    )


def _part_bytes(content: bytes | Repeated) -> tuple[bytes, int, int]:
    """Return (deflated data, CRC-32, uncompressed size)."""
    if isinstance(content, bytes):
        return _deflate(content, True), zlib.crc32(content), len(content)
    block = _deflate(content.block, False)
    crc = zlib.crc32(content.prefix)
    for _ in range(content.times):
        crc = zlib.crc32(content.block, crc)
    crc = zlib.crc32(content.suffix, crc)
    data = _deflate(content.prefix, False) + block * content.times + _deflate(content.suffix, True)
    return data, crc, content.size


def write_zip(path: Path, parts: dict[str, bytes | Repeated]) -> Path:
    """Write a zip of deflated parts by hand (sizes must stay under 4 GB); return the path."""
    out = io.BytesIO()
    directory = []
    for name, content in parts.items():
        data, crc, size = _part_bytes(content)
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size,
                        len(encoded), 0)
        )  # fmt: skip
        out.write(encoded + data)
        directory.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data),
                        size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )  # fmt: skip
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(
        struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory),
                    out.tell() - start, start, 0)
    )  # fmt: skip
    path.write_bytes(out.getvalue())
    return path


def workbook_parts(rows: list[list[object]] | None = None) -> dict[str, bytes]:
    """Return the parts of an ordinary small case list workbook, by name."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for row in rows or [["SYN-1", "Team A", "CIN", "", "1/1/2026"]]:
        sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    with zipfile.ZipFile(stream) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
    b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Case reference</t></is></c></row>'
)
SHEET_END = b"</sheetData></worksheet>"


def shared_strings_bomb(path: Path, megabytes: int = 1100) -> Path:
    """A workbook whose shared strings expand to ``megabytes`` MB (the 1.15 GB bomb)."""
    parts: dict[str, bytes | Repeated] = dict(workbook_parts())
    parts[STRINGS] = Repeated(
        b'<?xml version="1.0" encoding="UTF-8"?><sst '
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
        b"<si><t>" + b"A" * (1 << 20) + b"</t></si>",
        megabytes,
        b"</sst>",
    )
    return write_zip(path, parts)


def single_cell_bomb(path: Path, megabytes: int = 1100) -> Path:
    """A workbook with one cell of ``megabytes`` MB of text."""
    parts: dict[str, bytes | Repeated] = dict(workbook_parts())
    parts[SHEET] = Repeated(
        SHEET_START + b'<row r="2"><c r="A2" t="inlineStr"><is><t>',
        b"B" * (1 << 20),
        megabytes,
        b"</t></is></c></row>" + SHEET_END,
    )
    return write_zip(path, parts)


def whitespace_bomb(path: Path, megabytes: int = 1100) -> Path:
    """A workbook whose sheet holds ``megabytes`` MB of white space between its rows."""
    parts: dict[str, bytes | Repeated] = dict(workbook_parts())
    parts[SHEET] = Repeated(SHEET_START, b" " * (1 << 20), megabytes, SHEET_END)
    return write_zip(path, parts)
