"""Text in every export reads back as typed and never becomes a formula (OWASP CSV injection)."""

from __future__ import annotations

import ast
import csv
import dataclasses
import io
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from qa_app.exports.safe_cells import (
    CSV_FORMULA_STARTS,
    EXCEL_CELL_LIMIT,
    Formula,
    append_row,
    csv_writer,
    excel_text,
    safe_csv_value,
    write_csv_row,
)
from qa_app.reports.queries import AnswerRow, AuditRow, JudgementCount
from qa_app.reports.summary_workbook import WorkbookContext, build_summary_workbook
from qa_app.template_format.excel import write_template_workbook
from tests.audits.small_template import small_definition

PACKAGE = Path(__file__).resolve().parents[2] / "qa_app"

# OWASP's list, plus characters spreadsheet programs also treat specially at the start of a cell.
LEADING = [*CSV_FORMULA_STARTS, "\n", "'", '"', "#", "%", "|", "\\", "＝", "﹦", "＋", "－", "＠"]
ATTACKS = [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "#N/A",
    "=",
]

texts = st.one_of(
    st.text(),
    st.builds(lambda lead, rest: lead + rest, st.sampled_from(LEADING), st.text()),
)


def _read_back(value):
    """openpyxl reads an empty string cell as None."""
    return "" if value is None else value


def _formula_elements(data: bytes) -> list[str]:
    """Return the names of worksheet parts holding an ``<f>`` (formula) element."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >/]", archive.read(name))
        ]


def _summary(text: str) -> bytes:
    definition = small_definition()
    stream = io.BytesIO()
    build_summary_workbook(
        stream,
        WorkbookContext(text, text, datetime(2026, 10, 14, tzinfo=UTC), [text]),
        [JudgementCount(text, 1, 0.5)],
        [AuditRow(1, 1, text, text, text, None, text, 0.5)],
        [AnswerRow(1, 1, text, "safety", "risk", "risk", text, None)],
        {1: definition},
    )
    return stream.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example('=HYPERLINK("http://x","y")')
@example("=1+1")
@example("@SUM(A1:A2)")
@example("\r=1")
def test_summary_workbook_writes_any_team_name_as_text_that_reads_back_as_typed(text):
    data = _summary(text)
    assert _formula_elements(data) == []
    workbook = load_workbook(io.BytesIO(data))
    audits = workbook["Audits"]
    answers = workbook["Answers"]
    assert _read_back(audits["D2"].value) == excel_text(text)  # team
    assert _read_back(audits["E2"].value) == excel_text(text)  # case type
    assert _read_back(answers["D2"].value) == excel_text(text)  # team
    assert _read_back(workbook["Summary"]["A1"].value) == excel_text(text)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example('=HYPERLINK("http://x","y")')
@example("-1")
def test_template_workbook_writes_any_wording_as_text_that_reads_back_as_typed(text):
    definition = small_definition()
    section = definition.sections[0]
    criterion = dataclasses.replace(section.criteria[0], question=text, guidance=text)
    definition = dataclasses.replace(
        definition,
        title=text,
        sections=(
            dataclasses.replace(section, criteria=(criterion, *section.criteria[1:])),
            *definition.sections[1:],
        ),
        findings={"finding": text},
    )
    stream = io.BytesIO()
    write_template_workbook(definition, stream)
    assert _formula_elements(stream.getvalue()) == []
    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    assert _read_back(workbook["Template"]["B4"].value) == excel_text(text)  # title
    assert _read_back(workbook["Criteria"]["C2"].value) == excel_text(text)  # question
    assert _read_back(workbook["Criteria"]["E2"].value) == excel_text(text)  # guidance
    assert _read_back(workbook["Findings"]["B2"].value) == excel_text(text)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=5))
def test_csv_fields_never_start_a_formula_and_read_back_as_typed_after_the_apostrophe(values):
    stream = io.StringIO()
    write_csv_row(csv_writer(stream), values)
    (row,) = list(csv.reader(io.StringIO(stream.getvalue(), newline="")))
    assert len(row) == len(values)
    for typed, field in zip(values, row, strict=True):
        assert not field.startswith(CSV_FORMULA_STARTS)
        if typed.startswith(CSV_FORMULA_STARTS):
            assert field == "'" + typed
        else:
            assert field == typed
    # Every field is quoted, so a separator or quote inside the text cannot start a new cell.
    assert stream.getvalue().startswith('"')


def test_every_owasp_attack_in_csv_gets_the_apostrophe_and_numbers_stay_numbers():
    for attack in ATTACKS:
        expected = attack if attack[0] not in CSV_FORMULA_STARTS else "'" + attack
        assert safe_csv_value(attack) == expected
    assert safe_csv_value(-1) == -1
    assert safe_csv_value(None) == ""


def test_only_a_formula_the_code_writes_on_purpose_is_a_formula():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet")
    append_row(sheet, [1, 2, Formula("=SUM(A1:B1)"), "=SUM(A1:B1)"])
    stream = io.BytesIO()
    workbook.save(stream)
    cells = next(load_workbook(io.BytesIO(stream.getvalue()))["Sheet"].iter_rows())
    assert [c.data_type for c in cells] == ["n", "n", "f", "s"]
    assert cells[3].value == "=SUM(A1:B1)"


def test_text_longer_than_an_excel_cell_is_cut_at_excels_limit_and_control_characters_dropped():
    assert len(excel_text("x" * (EXCEL_CELL_LIMIT + 10))) == EXCEL_CELL_LIMIT
    assert excel_text("a\x00b\x0bc\ufffed\te\nf\rg") == "abcd\te\nf\rg"


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_that_writes_a_workbook_or_csv_does_so_through_the_safe_writer():
    writers = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "safe_cells.py" or "migrations" in path.parts:
            continue
        source = path.read_text()
        writes = re.search(r"\bWorkbook\(|WriteOnlyCell|csv\.writer|csv\.DictWriter", source)
        if writes:
            writers.append(path.relative_to(PACKAGE))
            assert "qa_app.exports.safe_cells" in _imports(ast.parse(source)), (
                f"{path.relative_to(PACKAGE)} writes a workbook or CSV file without "
                "qa_app.exports.safe_cells"
            )
    assert writers, "the check found no exports at all"
