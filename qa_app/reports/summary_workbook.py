"""The Excel summary: audits by overall judgement, one row per audit and one per answer.

Written with openpyxl's write-only mode so memory stays flat however many answers there are,
every cell through the formula-safe writer (a team named ``=HYPERLINK(...)`` stays text).
De-identified: no case references and no free text (rationales), only grades and scores.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from qa_app.exports.safe_cells import BOLD, append_row, excel_cell
from qa_app.reports.queries import AnswerRow, AuditRow, JudgementCount
from qa_app.template_format.definition import NOT_APPLICABLE, TemplateDefinition

NO_JUDGEMENT = "No overall judgement"


@dataclass(frozen=True)
class WorkbookContext:
    """What the workbook says about itself: for whom, as at when, over which templates."""

    title: str
    scope: str
    data_as_at: datetime
    template_versions: list[str]


def build_summary_workbook(
    stream: IO[bytes],
    context: WorkbookContext,
    counts: list[JudgementCount],
    audits: Iterable[AuditRow],
    answers: Iterable[AnswerRow],
    definitions: dict[int, TemplateDefinition],
) -> None:
    """Write the workbook to the stream."""
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook.create_sheet("Summary"), context, counts, definitions)
    _audits_sheet(workbook.create_sheet("Audits"), audits, definitions)
    _answers_sheet(workbook.create_sheet("Answers"), answers, definitions)
    workbook.save(stream)


def judgement_label(definitions: Iterable[TemplateDefinition], value: str | None) -> str:
    """Return the label of an overall judgement value, as the templates name it."""
    if not value:
        return NO_JUDGEMENT
    for definition in definitions:
        option = definition.scale(definition.overall.scale).option(value)
        if option is not None:
            return option.label
    return value


def _bold(sheet: WriteOnlyWorksheet, value: object) -> Cell:
    return excel_cell(sheet, value, font=BOLD)


def _summary_sheet(
    sheet: WriteOnlyWorksheet,
    context: WorkbookContext,
    counts: list[JudgementCount],
    definitions: dict[int, TemplateDefinition],
) -> None:
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 14
    sheet.column_dimensions["C"].width = 14
    sheet.column_dimensions["D"].width = 18
    append_row(sheet, [excel_cell(sheet, context.title, font=Font(bold=True, size=14))])
    append_row(sheet, ["Audits included", context.scope])
    append_row(sheet, ["Data as at", context.data_as_at.strftime("%d %B %Y %H:%M UTC")])
    append_row(sheet, ["Template versions", "; ".join(context.template_versions) or "None"])
    append_row(sheet, ["De-identified: no case references or written rationales are included."])
    append_row(sheet, [])
    append_row(
        sheet, [_bold(sheet, h) for h in ("Overall judgement", "Audits", "Share", "Mean score")]
    )
    total = sum(c.audits for c in counts)
    first_row = 8
    for count in in_scale_order(counts, definitions.values()):
        share = count.audits / total if total else 0
        share_cell = excel_cell(sheet, share, number_format="0%")
        mean_cell = excel_cell(sheet, count.mean_score, number_format="0%")
        label = judgement_label(definitions.values(), count.judgement)
        append_row(sheet, [label, count.audits, share_cell, mean_cell])
    append_row(sheet, [_bold(sheet, "Total"), _bold(sheet, total)])
    if counts:
        chart = BarChart()
        chart.title = "Audits by overall judgement"
        chart.y_axis.title = "Audits"
        chart.legend = None
        last_row = first_row + len(counts) - 1
        chart.add_data(
            Reference(sheet, min_col=2, min_row=first_row - 1, max_row=last_row),
            titles_from_data=True,
        )
        chart.set_categories(Reference(sheet, min_col=1, min_row=first_row, max_row=last_row))
        sheet.add_chart(chart, "F2")


def in_scale_order(
    counts: list[JudgementCount], definitions: Iterable[TemplateDefinition]
) -> list[JudgementCount]:
    """Return the counts best judgement first, as the templates' scales order them (audits with
    no overall judgement last)."""
    order: dict[str, int] = {}
    for definition in definitions:
        for option in definition.scale(definition.overall.scale).options:
            order.setdefault(option.value, len(order))
    return sorted(counts, key=lambda c: order.get(c.judgement or "", len(order)))


def _audits_sheet(
    sheet: WriteOnlyWorksheet,
    audits: Iterable[AuditRow],
    definitions: dict[int, TemplateDefinition],
) -> None:
    headers = (
        "Audit",
        "Template",
        "Version",
        "Team",
        "Case type",
        "Status",
        "Submitted",
        "Overall judgement",
        "Score",
    )
    sheet.freeze_panes = "A2"
    append_row(sheet, [_bold(sheet, h) for h in headers])
    for row in audits:
        definition = definitions[row.template_version_id]
        score = excel_cell(sheet, row.score, number_format="0%")
        submitted = excel_cell(
            sheet,
            row.submitted_at.replace(tzinfo=None) if row.submitted_at else None,
            number_format="yyyy-mm-dd hh:mm",
        )
        append_row(
            sheet,
            [
                row.audit_id,
                definition.title,
                definition.version,
                row.team,
                row.case_type,
                row.status,
                submitted,
                judgement_label([definition], row.overall_judgement),
                score,
            ],
        )


def _answers_sheet(
    sheet: WriteOnlyWorksheet,
    answers: Iterable[AnswerRow],
    definitions: dict[int, TemplateDefinition],
) -> None:
    headers = (
        "Audit",
        "Template",
        "Version",
        "Team",
        "Section",
        "Criterion",
        "Trend key",
        "Question",
        "Answer",
        "Score",
    )
    sheet.freeze_panes = "A2"
    append_row(sheet, [_bold(sheet, h) for h in headers])
    for row in answers:
        definition = definitions[row.template_version_id]
        question, answer = _describe_answer(definition, row)
        score = excel_cell(sheet, row.score, number_format="0%")
        append_row(
            sheet,
            [
                row.audit_id,
                definition.key,
                definition.version,
                row.team,
                row.section_key,
                row.criterion_key,
                row.lineage_key,
                question,
                answer,
                score,
            ],
        )


def _describe_answer(definition: TemplateDefinition, row: AnswerRow) -> tuple[str, str | None]:
    """Return the question's wording and the answer's label (free text is left out)."""
    if row.value == NOT_APPLICABLE:
        answer: str | None = "Not applicable"
    else:
        answer = row.value
    criterion = definition.criterion(row.criterion_key)
    if criterion is None:  # a section judgement
        section = next((s for s in definition.sections if s.key == row.section_key), None)
        if section is None or section.judgement is None:
            return row.criterion_key, answer
        option = definition.scale(section.judgement.scale).option(row.value or "")
        return section.judgement.question, option.label if option else answer
    if criterion.type == "text":
        return criterion.question, "(written answer, not exported)" if row.value else None
    if criterion.type == "scale" and criterion.scale and answer != "Not applicable":
        option = definition.scale(criterion.scale).option(row.value or "")
        return criterion.question, option.label if option else answer
    if criterion.type == "tags" and row.value:
        labels = {o.value: o.label for o in criterion.options}
        try:
            return criterion.question, ", ".join(labels.get(t, t) for t in json.loads(row.value))
        except ValueError:
            return criterion.question, answer
    return criterion.question, answer
