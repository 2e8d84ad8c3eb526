"""Uploaded workbooks that expand to gigabytes are refused at once, with a clear message, and
no upload takes a worker past 300 MB."""

from __future__ import annotations

import io
import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from qa_app.cases.case_files import CaseFileError, open_case_file
from qa_app.uploads.safe_xlsx import (
    UnsafeWorkbook,
    XlsxLimits,
    check_zip_directory,
    load_guarded_workbook,
)
from tests.security.xlsx_bombs import (
    SHEET,
    SHEET_END,
    SHEET_START,
    STRINGS,
    Repeated,
    shared_strings_bomb,
    single_cell_bomb,
    whitespace_bomb,
    workbook_parts,
    write_zip,
)

ROOT = Path(__file__).resolve().parents[2]
WORKER_LIMIT_MB = 300

# Measures a case file being opened and read in a fresh interpreter: its peak memory, and
# whether it was refused and why.
MEASURE = """
import json, sys, time
from qa_app.cases.case_files import CaseFileError, open_case_file
started = time.perf_counter()
outcome = {"refused": None, "rows": 0}
try:
    with open(sys.argv[1], "rb") as stream:
        case_file = open_case_file(stream, "cases.xlsx")
        for _ in case_file.rows():
            outcome["rows"] += 1
        case_file.close()
except CaseFileError as error:
    outcome["refused"] = str(error)
outcome["seconds"] = time.perf_counter() - started
# VmHWM is this program's own peak: ru_maxrss would carry over the test runner's peak across exec.
with open("/proc/self/status") as status:
    hwm = next(line for line in status if line.startswith("VmHWM:"))
outcome["peak_mb"] = int(hwm.split()[1]) / 1024
print(json.dumps(outcome))
"""


def measure(path: Path) -> dict:
    """Return what opening and reading the file did in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    """The three bombs found in the running service, at full size (each about 1.1 MB)."""
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "shared strings": shared_strings_bomb(folder / "strings.xlsx"),
        "single cell": single_cell_bomb(folder / "cell.xlsx"),
        "white space": whitespace_bomb(folder / "space.xlsx"),
    }


@pytest.mark.parametrize("kind", ["shared strings", "single cell", "white space"])
def test_a_gigabyte_bomb_is_refused_before_parsing_with_a_clear_message(bombs, kind):
    path = bombs[kind]
    assert path.stat().st_size < 2 * 1024 * 1024
    outcome = measure(path)
    assert outcome["rows"] == 0
    assert "too large to import" in outcome["refused"]
    assert outcome["peak_mb"] < WORKER_LIMIT_MB


def test_an_over_compressed_part_is_refused_by_its_ratio(tmp_path):
    parts = dict(workbook_parts())
    parts[SHEET] = Repeated(SHEET_START, b" " * (1 << 20), 50, SHEET_END)  # 50 MB, ~1000:1
    path = write_zip(tmp_path / "ratio.xlsx", parts)
    with open(path, "rb") as stream, pytest.raises(UnsafeWorkbook, match="compressed far more"):
        check_zip_directory(stream)


def test_a_workbook_with_thousands_of_parts_is_refused(tmp_path):
    parts = dict(workbook_parts())
    parts.update({f"xl/media/image{i}.bin": b"x" for i in range(1001)})
    path = write_zip(tmp_path / "parts.xlsx", parts)
    with open(path, "rb") as stream, pytest.raises(UnsafeWorkbook, match="1,0.. parts"):
        check_zip_directory(stream)


def test_a_large_shared_strings_part_is_refused(tmp_path):
    parts = dict(workbook_parts())
    text = "".join(random.Random(1).choices(string.ascii_letters, k=1 << 20)).encode()
    parts[STRINGS] = Repeated(b"<sst>", b"<si><t>" + text + b"</t></si>", 33, b"</sst>")
    path = write_zip(tmp_path / "strings.xlsx", parts)
    with open(path, "rb") as stream, pytest.raises(UnsafeWorkbook, match="text takes more"):
        check_zip_directory(stream)


# Bombs that pass the directory check (lenient limits, or text that does not compress) are
# stopped while the XML is read.
LENIENT = XlsxLimits(max_ratio=10**9)


def _read_all(path: Path, limits: XlsxLimits) -> int:
    with open(path, "rb") as stream:
        workbook = load_guarded_workbook(stream, limits)
        try:
            return sum(1 for ws in workbook.worksheets for _ in ws.iter_rows())
        finally:
            workbook.close()


def test_a_cell_of_incompressible_text_is_refused_while_reading(tmp_path):
    text = "".join(random.Random(2).choices(string.ascii_letters, k=3 << 20)).encode()
    parts = dict(workbook_parts())
    parts[SHEET] = (
        SHEET_START + b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + text
        + b"</t></is></c></row>" + SHEET_END
    )  # fmt: skip
    path = write_zip(tmp_path / "cell.xlsx", parts)
    with open(path, "rb") as stream:
        check_zip_directory(stream)  # the directory alone does not give it away
    with open(path, "rb") as stream, pytest.raises(CaseFileError, match="longer than 256 KB"):
        case_file = open_case_file(stream, "cases.xlsx")
        list(case_file.rows())


def test_white_space_between_rows_is_refused_while_reading(tmp_path):
    parts = dict(workbook_parts())
    parts[SHEET] = Repeated(SHEET_START, b"\n" * (1 << 20), 20, SHEET_END)
    path = write_zip(tmp_path / "space.xlsx", parts)
    with pytest.raises(UnsafeWorkbook, match="longer than 256 KB"):
        _read_all(path, LENIENT)


def test_a_row_of_too_many_cells_is_refused_while_reading(tmp_path):
    parts = dict(workbook_parts())
    parts[SHEET] = Repeated(
        SHEET_START + b'<row r="2">', b'<c t="inlineStr"><is><t>x</t></is></c>', 30_000,
        b"</row>" + SHEET_END,
    )  # fmt: skip
    path = write_zip(tmp_path / "wide.xlsx", parts)
    with pytest.raises(UnsafeWorkbook, match="more than 20,000 cells"):
        _read_all(path, LENIENT)


def test_too_many_rows_are_refused_while_reading(tmp_path):
    parts = dict(workbook_parts())
    parts[SHEET] = Repeated(SHEET_START, b"<row/>", 5_000, SHEET_END)
    path = write_zip(tmp_path / "long.xlsx", parts)
    with pytest.raises(UnsafeWorkbook, match="more than 1,000 rows"):
        _read_all(path, XlsxLimits(max_ratio=10**9, max_rows=1_000))


def test_a_document_type_declaration_is_refused(tmp_path):
    parts = dict(workbook_parts())
    parts[SHEET] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + parts[SHEET][38:]
    path = write_zip(tmp_path / "entities.xlsx", parts)
    with pytest.raises(UnsafeWorkbook, match="XML declarations"):
        _read_all(path, LENIENT)


def test_an_ordinary_workbook_reads_through_the_guard_as_before(tmp_path):
    rows = [[f"SYN-{i}", "Team A", "CIN", "Worker (synthetic)", "1/1/2026"] for i in range(500)]
    path = write_zip(tmp_path / "cases.xlsx", dict(workbook_parts(rows)))
    with open(path, "rb") as stream:
        case_file = open_case_file(stream, "cases.xlsx")
        read = list(case_file.rows())
        case_file.close()
    assert len(read) == 501
    assert read[0][0] == "Case reference" and read[-1][0] == "SYN-499"


def test_the_most_text_the_limits_allow_stays_under_the_worker_limit(tmp_path):
    # Just under every limit: 29 MB of shared strings in 290,000 short strings.
    parts = dict(workbook_parts())
    parts[STRINGS] = Repeated(b"<sst>", b"<si><t>" + b"s" * 85 + b"</t></si>", 290_000, b"</sst>")
    path = write_zip(tmp_path / "most.xlsx", parts)
    with open(path, "rb") as stream:
        check_zip_directory(stream, XlsxLimits())  # within the limits, so it is read
    outcome = measure(path)
    assert outcome["peak_mb"] < WORKER_LIMIT_MB


def test_an_upload_bomb_is_refused_through_the_import_page(client, make_user, sign_in, bombs):
    from qa_app.models import Role

    sign_in(make_user(Role.ADMIN, team=None))
    data = bombs["shared strings"].read_bytes()
    # The body is built in memory (the test client would spool it to a temporary file).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), "cases.xlsx")})
    response = client.post(
        "/admin/cases/import", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "too large to import" in html
    assert "The file was not imported" in html
