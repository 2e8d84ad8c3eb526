"""Rows streamed as ready-made XML read back exactly as openpyxl's own cells would."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from qa_app.exports.safe_cells import append_row
from qa_app.exports.xlsx_rows import CACHE_LIMIT, RowStream

ROWS = [
    (1, "Team A", '=HYPERLINK("http://x","y")', 0.75, None, "  spaced  "),
    (1, "Team A", "Good", 1.0, "", "line\r\nbreaks & <tags>"),
    (2, "#DIV/0!", "@SUM(A1)", 0, 12, "\x00control\x0bcharacters"),
]


def _write(rows, force_plain: bool = False) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    append_row(sheet, ["Audit", "Team", "Grade", "Score", "Number", "Text"])
    stream = RowStream(sheet, 2, {3: "0%"})
    if force_plain:
        stream.fast = False
    for row in rows:
        stream.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read(data: bytes):
    sheet = load_workbook(io.BytesIO(data))["Data"]
    return [[(c.value, c.data_type, c.number_format) for c in row] for row in sheet.iter_rows()]


@pytest.mark.parametrize("force_plain", [False, True], ids=["streamed", "cell by cell"])
def test_streamed_rows_read_back_as_typed_and_text_is_never_a_formula(force_plain):
    rows = _read(_write(ROWS, force_plain))
    assert [c[0] for c in rows[0]] == ["Audit", "Team", "Grade", "Score", "Number", "Text"]
    first, second, third = rows[1:]
    assert first[2] == ('=HYPERLINK("http://x","y")', "s", "General")
    assert first[3] == (0.75, "n", "0%")
    assert first[5][0] == "  spaced  "
    assert second[5][0] == "line\r\nbreaks & <tags>"
    assert second[4][0] is None  # an empty text is an empty cell, as openpyxl writes it
    assert third[1][:2] == ("#DIV/0!", "s") and third[2][:2] == ("@SUM(A1)", "s")
    assert third[5][0] == "controlcharacters"
    assert all(cell[1] != "f" for row in rows for cell in row)


def test_the_streamed_and_the_cell_by_cell_workbooks_hold_the_same_cells():
    def shown(rows):  # an empty cell's type does not show
        return [[c if c[0] is not None else (None, c[2]) for c in row] for row in rows]

    assert shown(_read(_write(ROWS))) == shown(_read(_write(ROWS, force_plain=True)))


def test_a_column_of_free_text_is_cached_no_further_than_its_limit():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    append_row(sheet, ["Text"])
    stream = RowStream(sheet, 2)
    for n in range(CACHE_LIMIT + 50):
        stream.append([f"Synthetic text {n}"])
    assert len(stream._caches[0]) == CACHE_LIMIT
    out = io.BytesIO()
    workbook.save(out)
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True)["Data"]
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == "Text" and values[-1] == f"Synthetic text {CACHE_LIMIT + 49}"
    assert len(values) == CACHE_LIMIT + 51


def test_a_pack_reports_the_data_sheets_progress_in_answers_and_holds_every_row():
    from dataclasses import replace

    from qa_app.reports.pack_builder import build_leadership_pack
    from tests.reports.test_pack_formula_safe import content_with_text

    content = content_with_text("Synthetic")
    (row,) = content.data_rows
    rows = [replace(row, audit=n // 40 + 1, final_score=(n % 4) / 4) for n in range(12_000)]
    content.data_rows, content.data_total = iter(rows), len(rows)
    messages = []
    out = io.BytesIO()
    build_leadership_pack(out, content, lambda done, total, message: messages.append(message))
    assert "Writing the Data sheet: 5,000 of 12,000 answers" in messages
    assert "Writing the Data sheet: 10,000 of 12,000 answers" in messages
    assert messages[-1] == "Saving the workbook"
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True)["Data"]
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 12_001
    assert values[-1][0] == 300 and values[-1][16] == 0.75
