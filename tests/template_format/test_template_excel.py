"""Templates go out to an Excel workbook and come back unchanged; mistakes point at cells."""

from __future__ import annotations

import dataclasses
import io
import pathlib

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_app.template_format.conditions_text import (
    ShowIfTextError,
    show_if_from_text,
    show_if_to_text,
)
from qa_app.template_format.definition import Condition, ShowIf
from qa_app.template_format.excel import read_template_workbook, write_template_workbook
from qa_app.template_format.parser import parse_template


def export(definition, tmp_path, name="template.xlsx"):
    path = tmp_path / name
    write_template_workbook(definition, path)
    return path


def edit(path, sheet: str, cell: str, value) -> None:
    workbook = openpyxl.load_workbook(path)
    workbook[sheet][cell] = value
    workbook.save(path)


def import_problems(path) -> list[tuple[str, int, int, str]]:
    text, problems = read_template_workbook(path)
    assert (text is None) == bool(problems)
    return [(p.path, p.line, p.column, p.message) for p in problems]


def header_column(path, sheet: str, header: str) -> int:
    worksheet = openpyxl.load_workbook(path)[sheet]
    return [cell.value for cell in worksheet[1]].index(header) + 1


def row_of(path, sheet: str, key: str, column: int = 2) -> int:
    worksheet = openpyxl.load_workbook(path)[sheet]
    for row in worksheet.iter_rows(min_row=2):
        if row[column - 1].value == key:
            return row[0].row
    raise AssertionError(key)


# --- round trip ---------------------------------------------------------------------------


def test_rich_template_round_trips_through_a_workbook_file(rich, tmp_path):
    text, problems = read_template_workbook(export(rich, tmp_path))
    assert problems == []
    assert text is not None
    assert parse_template(text).definition == rich


def test_rich_template_round_trips_through_a_stream(rich):
    stream = io.BytesIO()
    write_template_workbook(rich, stream)
    stream.seek(0)
    text, problems = read_template_workbook(stream)
    assert problems == [] and text is not None
    assert parse_template(text).definition == rich


def test_text_that_looks_like_a_formula_stays_text(rich, tmp_path):
    sections = list(rich.sections)
    first = sections[0]
    changed = dataclasses.replace(
        first.criteria[0], question="=1+1 is not a formula", hint="multi\nline"
    )
    sections[0] = dataclasses.replace(first, criteria=(changed, *first.criteria[1:]))
    definition = dataclasses.replace(rich, sections=tuple(sections))
    path = export(definition, tmp_path)
    worksheet = openpyxl.load_workbook(path)["Criteria"]
    assert worksheet["C2"].data_type == "s"
    text, problems = read_template_workbook(path)
    assert problems == []
    assert parse_template(text).definition == definition


# --- layout -------------------------------------------------------------------------------


def test_workbook_has_the_five_sheets_with_bold_frozen_headers(rich, tmp_path):
    workbook = openpyxl.load_workbook(export(rich, tmp_path))
    assert workbook.sheetnames == ["Template", "Sections", "Criteria", "Scales", "Findings"]
    for worksheet in workbook:
        assert worksheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in worksheet[1] if cell.value)
        assert worksheet.column_dimensions["A"].width >= 8
    criteria = workbook["Criteria"]
    assert [cell.value for cell in criteria[1]] == [
        "Section", "Key", "Question", "Hint", "Guidance", "Type", "Scale", "Required",
        "Allow N/A", "Weight", "Rationale", "Area", "Findings", "Show if", "Replaces",
        "Options", "Min", "Max",
    ]  # fmt: skip
    assert criteria["C2"].alignment.wrap_text


def test_criteria_rows_use_compact_text_for_lists_conditions_and_options(rich, tmp_path):
    path = export(rich, tmp_path)
    worksheet = openpyxl.load_workbook(path)["Criteria"]
    rows = {row[1]: row for row in worksheet.iter_rows(min_row=2, values_only=True)}
    assert (
        rows["agencies"][13]
        == "all: strategy_held is yes; strategy_actions_timed in yes, partly, na"
    )
    assert (
        rows["agencies"][15]
        == "police=Police; health=Health; education=Education: school or college"
    )
    assert rows["seen_alone"][12] == "voice_of_child, strategy-timescales"
    assert rows["strategy_held"][5:10] == ("scale", "yes_no", "yes", "no", 1)


def test_scales_sheet_lists_only_custom_scales(rich, tmp_path):
    worksheet = openpyxl.load_workbook(export(rich, tmp_path))["Scales"]
    assert {row[0] for row in worksheet.iter_rows(min_row=2, values_only=True)} == {
        "timeliness",
        "unused_scale",
    }


# --- problems -----------------------------------------------------------------------------


def test_a_file_that_is_not_a_workbook_is_a_problem(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    [problem] = import_problems(path)
    assert problem[:3] == ("notes.xlsx", 1, 1)
    assert problem[3].startswith("the file could not be opened as an Excel workbook")


def test_missing_sheet_is_reported(rich, tmp_path):
    path = export(rich, tmp_path)
    workbook = openpyxl.load_workbook(path)
    del workbook["Sections"]
    workbook.save(path)
    problems = import_problems(path)
    assert (
        "template.xlsx sheet Sections",
        1,
        1,
        'the workbook has no "Sections" sheet',
    ) in problems


def test_missing_column_is_reported(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "C1", "Wording")
    assert (
        "template.xlsx sheet Criteria",
        1,
        1,
        'missing column "Question" in the header row',
    ) in import_problems(path)


def test_bad_yes_no_cell_is_reported_at_the_cell(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "H3", "perhaps")
    assert import_problems(path) == [
        ("template.xlsx sheet Criteria", 3, 8, 'Required must be yes or no, not "perhaps"')
    ]


def test_bad_number_cell_is_reported_at_the_cell(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "J2", "double")
    assert import_problems(path) == [
        ("template.xlsx sheet Criteria", 2, 10, 'Weight must be a number, not "double"')
    ]


def test_bad_whole_number_on_the_template_sheet_is_reported(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Template", "B3", "2.5")
    assert import_problems(path) == [
        ("template.xlsx sheet Template", 3, 2, 'Version must be a whole number, not "2.5"')
    ]


def test_unparseable_show_if_is_reported_at_the_cell(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "N3", "strategy_held equals yes")
    [problem] = import_problems(path)
    assert problem[:3] == ("template.xlsx sheet Criteria", 3, 14)
    assert problem[3].startswith('show if: "equals" is not a test')


def test_malformed_options_are_reported_at_the_cell(rich, tmp_path):
    path = export(rich, tmp_path)
    row = row_of(path, "Criteria", "agencies")
    edit(path, "Criteria", f"P{row}", "police; health=Health")
    [problem] = import_problems(path)
    assert problem[:3] == ("template.xlsx sheet Criteria", row, 16)


def test_criterion_in_an_unknown_section_is_reported(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "A2", "nowhere")
    problems = import_problems(path)
    assert problems[0] == (
        "template.xlsx sheet Criteria",
        2,
        1,
        'section "nowhere" is not on the Sections sheet',
    )


def test_unknown_and_repeated_template_fields_are_reported(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Template", "A14", "Colour")
    edit(path, "Template", "B14", "blue")
    edit(path, "Template", "A15", "Title")
    edit(path, "Template", "B15", "Again")
    problems = import_problems(path)
    assert problems[0][:3] == ("template.xlsx sheet Template", 14, 1)
    assert problems[0][3].startswith('unknown field "Colour"')
    assert problems[1] == ("template.xlsx sheet Template", 15, 1, '"Title" is already on row 4')


def test_parser_problems_are_mapped_back_to_the_cell(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "G2", "ofstead")
    [problem] = import_problems(path)
    assert problem[:3] == ("template.xlsx sheet Criteria", 2, 7)
    assert problem[3].startswith('unknown scale "ofstead"')


def test_parser_problems_about_a_row_point_at_the_row(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Criteria", "C3", None)
    [problem] = import_problems(path)
    assert problem == ("template.xlsx sheet Criteria", 3, 2, 'missing "question"')


def test_problems_in_other_sheets_are_mapped_too(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Scales", "E2", 1.5)
    edit(path, "Findings", "A2", "Bad Key")
    edit(path, "Sections", "E2", "nope")
    edit(path, "Template", "B9", "nope")
    problems = import_problems(path)
    places = {(p[0].split(" sheet ")[1], p[1], p[2]) for p in problems}
    assert {("Scales", 2, 5), ("Findings", 2, 1), ("Sections", 2, 5), ("Template", 9, 2)} <= places


def test_duplicate_findings_are_reported(rich, tmp_path):
    path = export(rich, tmp_path)
    edit(path, "Findings", "A3", "strategy-timescales")
    problems = import_problems(path)
    assert problems[0] == (
        "template.xlsx sheet Findings",
        3,
        1,
        'finding "strategy-timescales" is already on row 2',
    )


def test_blank_rows_are_ignored(rich, tmp_path):
    path = export(rich, tmp_path)
    workbook = openpyxl.load_workbook(path)
    workbook["Criteria"].insert_rows(3, 2)
    workbook.save(path)
    text, problems = read_template_workbook(path)
    assert problems == [] and parse_template(text).definition == rich


# --- show_if text form --------------------------------------------------------------------


@pytest.mark.parametrize(
    "show_if",
    [
        ShowIf("all", (Condition("a", "is", ("yes",)),)),
        ShowIf("any", (Condition("a", "is", ("yes",)),)),
        ShowIf("all", (Condition("a", "in", ("no", "partly")), Condition("b", "answered"))),
        ShowIf(
            "any", (Condition("t", "includes", ("police",)), Condition("b", "not_in", ("1", "2")))
        ),
    ],
)
def test_show_if_text_round_trips(show_if):
    assert show_if_from_text(show_if_to_text(show_if)) == show_if


@pytest.mark.parametrize(
    "text",
    ["a", "a equals b", "a is", "a is yes, no", "a answered yes", "a in", "all:", "any: ;"],
)
def test_show_if_text_errors_are_plain_words(text):
    with pytest.raises(ShowIfTextError):
        show_if_from_text(text)


def test_blank_show_if_text_means_always_shown():
    assert show_if_from_text("  ") is None
    assert show_if_to_text(None) == ""


# --- robustness ---------------------------------------------------------------------------

RICH_TEXT = (pathlib.Path(__file__).parent / "rich_template.yaml").read_text("utf-8")
RICH_WORKBOOK = io.BytesIO()
write_template_workbook(parse_template(RICH_TEXT).definition, RICH_WORKBOOK)
CELL_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-5, 200)
    | st.floats(allow_nan=False)
    | st.sampled_from(["yes", "no", "scale", "tags", "ofsted", "na", "a is yes", "x=y", "first"])
    | st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=15)
)


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_edited_workbooks_never_raise(data):
    workbook = openpyxl.load_workbook(io.BytesIO(RICH_WORKBOOK.getvalue()))
    for _ in range(data.draw(st.integers(1, 4))):
        sheet = workbook[data.draw(st.sampled_from(workbook.sheetnames))]
        row = data.draw(st.integers(1, sheet.max_row + 1))
        column = data.draw(st.integers(1, sheet.max_column + 1))
        sheet.cell(row=row, column=column, value=data.draw(CELL_VALUES))
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    text, problems = read_template_workbook(stream)
    if text is None:
        assert problems and all(p.line >= 1 and p.column >= 1 for p in problems)
    else:
        assert problems == [] and parse_template(text).definition is not None
