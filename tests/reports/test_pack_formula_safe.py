"""Any text, on every sheet of the pack, reads back as typed and is never a formula."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

from hypothesis import HealthCheck, example, given, settings
from openpyxl import load_workbook

from qa_app.exports.safe_cells import excel_text
from qa_app.reports.pack_builder import build_leadership_pack, sheet_titles
from qa_app.reports.pack_content import (
    ActionFigures,
    CriterionBlock,
    CriterionFigures,
    DataRow,
    Finding,
    FindingsByMonth,
    GradeProfile,
    Headline,
    ModerationFigures,
    MonthFigures,
    PackContent,
    PackScope,
)
from tests.security.test_data_formula_safe_exports import texts


def content_with_text(text: str) -> PackContent:
    """Return a pack whose every piece of text (names, wording, labels, filters) is ``text``."""
    grades = [text, "Good", "Requires improvement to be good", "Inadequate"]
    return PackContent(
        scope=PackScope(
            title=text,
            filters=[("Teams", text), ("Purpose", text)],
            data_as_at=datetime(2026, 10, 14, 9, 30, tzinfo=UTC),
            made_by=text,
            case_level=True,
            template_versions=[text],
            small_number=5,
            previous_period=text,
        ),
        headline=Headline(10, 6, 1, 0.6, 2, 1),
        previous=Headline(8, 4, 2, 0.5, 0, 0),
        grade_names=grades,
        grade_profile=GradeProfile("All", [2, 4, 3, 1]),
        months=[MonthFigures("2026-09", text, 10, 6)],
        teams=[GradeProfile(text, [2, 4, 3, 1])],
        criteria=[
            CriterionBlock(
                text, [text, "No"], [CriterionFigures(text, text, text, 7, 1, [5, 2], 0.7)]
            )
        ],
        findings=FindingsByMonth(
            [Finding("f", text, text)], [("2026-09", text)], {("2026-09", "f"): (7, 0.7)}
        ),
        moderation=ModerationFigures(
            grades,
            [[1, 0, 0, 0], [0, 0, 1, 0], [0] * 4, [0] * 4],
            [2, 4, 3, 1],
            [2, 3, 4, 1],
            0.5,
            1.0,
            0.4,
        ),
        actions_by_priority=[ActionFigures(text, 3, 1, 2)],
        actions_by_scope=[ActionFigures(text, 3, 1, 2)],
        data_rows=[
            DataRow(
                1,
                text,
                2,
                text,
                text,
                text,
                "2026-09",
                text,
                text,
                text,
                text,
                text,
                "Answered",
                text,
                text,
                0.5,
                0.5,
                "No",
                case_reference=text,
                written_text=text,
            )
        ],
        data_total=1,
    )


def _formula_parts(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and re.search(rb"<f[ >/]", archive.read(name))
        ]


def _texts(sheet) -> set[str]:
    return {
        cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
@example('=HYPERLINK("http://x","y")')
@example("@SUM(A1:A2)")
@example("+1")
def test_any_text_on_every_sheet_reads_back_as_typed_and_is_never_a_formula(text):
    stream = io.BytesIO()
    build_leadership_pack(stream, content_with_text(text))
    data = stream.getvalue()
    assert _formula_parts(data) == []
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == sheet_titles()
    expected = excel_text(text)
    if not expected.strip():
        return  # blank text reads back as an empty cell
    for title in sheet_titles():
        assert any(expected in value for value in _texts(workbook[title])), title
    data_sheet = workbook["Data"]
    header = [c.value for c in data_sheet[1]]
    row = [c.value for c in data_sheet[2]]
    for column in ("Team", "Criterion", "Case reference", "Written text"):
        assert row[header.index(column)] == expected
