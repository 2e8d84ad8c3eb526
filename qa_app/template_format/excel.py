"""Exchanging templates as Excel workbooks, for people who would rather edit a spreadsheet.

The workbook has five sheets:

* ``Template``: one row per template-level field (key, version, title, overall judgement...).
* ``Sections``: one row per section, in order, with its optional judgement.
* ``Criteria``: one row per criterion, in order; the ``Section`` column names its section.
* ``Scales``: one row per option of each custom scale (built-in scales are not listed).
* ``Findings``: one row per inspection finding.

Cells that hold lists use commas (applies to, limited by, findings). Tag options are written
``value=Label; value2=Label 2``. Show if uses the text form in ``conditions_text``, e.g.
``all: strategy_held is yes; b in no, partly``. Yes/no cells accept yes, no, true or false.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from qa_app.exports.safe_cells import BOLD, set_excel_value
from qa_app.template_format.conditions_text import show_if_to_text
from qa_app.template_format.definition import Criterion, TemplateDefinition
from qa_app.template_format.emitter import number, rationale_text
from qa_app.template_format.excel_layout import (
    COLUMNS,
    CRITERIA_SHEET,
    FINDINGS_SHEET,
    SCALES_SHEET,
    SECTIONS_SHEET,
    TEMPLATE_FIELDS,
    TEMPLATE_SHEET,
)
from qa_app.template_format.excel_read import read_template_workbook
from qa_app.template_format.scales import BUILT_IN_SCALES

__all__ = ["read_template_workbook", "write_template_workbook"]

_WRAP = Alignment(wrap_text=True, vertical="top")


def write_template_workbook(definition: TemplateDefinition, path_or_stream: Any) -> None:
    """Write the template as a workbook to a path or binary stream; returns nothing.

    :func:`read_template_workbook` turns the workbook back into an equal template.
    """
    workbook = Workbook()
    template = workbook.active
    assert template is not None
    template.title = TEMPLATE_SHEET
    overall = definition.overall
    values: list[Any] = [
        definition.key,
        definition.version,
        definition.title,
        definition.description,
        ", ".join(definition.applies_to),
        definition.look_back_months,
        overall.question,
        overall.scale,
        overall.hint,
        overall.guidance,
        rationale_text(overall.rationale, overall.rationale_below),
        ", ".join(definition.limited_by),
    ]
    _fill(
        template,
        [
            [label, value, about]
            for (label, about), value in zip(TEMPLATE_FIELDS, values, strict=True)
        ],
    )

    sections = []
    for section in definition.sections:
        judgement = section.judgement
        row: list[Any] = [section.key, section.title, section.guidance]
        if judgement is not None:
            rationale = rationale_text(judgement.rationale, judgement.rationale_below)
            row += [
                judgement.question,
                judgement.scale,
                judgement.hint,
                judgement.guidance,
                rationale,
            ]
        sections.append(row)
    _fill(workbook.create_sheet(SECTIONS_SHEET), sections)

    criteria = [
        _criterion_row(section.key, criterion)
        for section in definition.sections
        for criterion in section.criteria
    ]
    _fill(workbook.create_sheet(CRITERIA_SHEET), criteria)

    scales = [
        [key, scale.label, option.value, option.label, number(option.score),
         "yes" if option.needs_rationale else "no", option.hint]
        for key, scale in definition.scales.items()
        if key not in BUILT_IN_SCALES
        for option in scale.options
    ]  # fmt: skip
    _fill(workbook.create_sheet(SCALES_SHEET), scales)
    _fill(workbook.create_sheet(FINDINGS_SHEET), [[k, v] for k, v in definition.findings.items()])
    workbook.save(path_or_stream)


def _criterion_row(section_key: str, criterion: Criterion) -> list[Any]:
    options = "; ".join(f"{option.value}={option.label}" for option in criterion.options)
    return [
        section_key,
        criterion.key,
        criterion.question,
        criterion.hint,
        criterion.guidance,
        criterion.type,
        criterion.scale,
        "yes" if criterion.required else "no",
        "yes" if criterion.allow_na else "no",
        number(criterion.weight),
        rationale_text(criterion.rationale, criterion.rationale_below),
        criterion.area,
        ", ".join(criterion.findings),
        show_if_to_text(criterion.show_if),
        criterion.replaces,
        options,
        None if criterion.minimum is None else number(criterion.minimum),
        None if criterion.maximum is None else number(criterion.maximum),
    ]


def _fill(sheet: Worksheet, rows: list[list[Any]]) -> None:
    """Write a header row (bold, frozen) and the rows, wrapped, with set column widths."""
    columns = COLUMNS[sheet.title]
    for index, column in enumerate(columns, start=1):
        cell = set_excel_value(sheet.cell(row=1, column=index), column.header)
        cell.font = BOLD
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row_number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            if value is None or value == "":
                continue
            # Text that looks like a formula stays text and never runs as one.
            cell = set_excel_value(sheet.cell(row=row_number, column=index), value)
            cell.alignment = _WRAP
    sheet.freeze_panes = "A2"
