"""The pack's detail sheets: by criterion, inspection findings, moderation, actions and Data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice
from operator import attrgetter

from openpyxl.chart import LineChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from qa_app.exports.xlsx_rows import RowStream
from qa_app.reports.pack_cells import (
    HEADING,
    PERCENT,
    SCORE,
    SheetWriter,
    count_or_suppressed,
    share,
    write_heading,
)
from qa_app.reports.pack_content import DataRow, PackContent

# How often the Data sheet reports progress, in rows.
PROGRESS_EVERY = 5_000
# Rows read ahead to size the Data sheet's columns (write-only sheets need widths first).
SIZING_ROWS = 500


def criteria_sheet(writer: SheetWriter, content: PackContent) -> None:
    scope = content.scope
    widest = max((len(block.grades) for block in content.criteria), default=0)
    writer.widths([60, 26, 30, 12, 10, *[14] * widest, 12])
    write_heading(
        writer,
        "By criterion",
        scope,
        "each criterion, joined across template versions by its trend key, with the share of "
        "graded answers at each final grade; weakest (lowest mean score) first. Criteria are "
        "grouped by the scale they are graded on. Red is weak, green strong.",
    )
    for block in content.criteria:
        writer.append([writer.cell(f"Graded on: {block.scale}", font=HEADING)])
        writer.header(
            [
                "Criterion",
                "Trend key",
                "Template",
                "Graded answers",
                "N/A",
                *block.grades,
                "Mean score",
            ]
        )
        first = writer.row + 1
        for figures in block.criteria:
            writer.append(
                [
                    figures.question,
                    figures.trend_key,
                    figures.template,
                    count_or_suppressed(figures.graded, scope),
                    count_or_suppressed(figures.not_applicable, scope),
                    *(
                        writer.cell(share(c, figures.graded), number_format=PERCENT)
                        for c in figures.counts
                    ),
                    writer.cell(figures.mean_score, number_format=SCORE),
                ]
            )
        if block.criteria:
            column = get_column_letter(6 + len(block.grades))
            writer.sheet.conditional_formatting.add(
                f"{column}{first}:{column}{writer.row}",
                ColorScaleRule(
                    start_type="num",
                    start_value=0,
                    start_color="F8696B",
                    mid_type="num",
                    mid_value=0.5,
                    mid_color="FFEB84",
                    end_type="num",
                    end_value=1,
                    end_color="63BE7B",
                ),
            )
        writer.append([])


def findings_sheet(writer: SheetWriter, content: PackContent) -> None:
    scope = content.scope
    findings = content.findings
    writer.widths([22, *[22] * max(len(findings.findings), 1)])
    write_heading(
        writer,
        "Inspection findings",
        scope,
        "for each finding the inspection asked us to improve, the mean final score of the "
        "graded answers to the criteria that track it, by month submitted; the second table "
        "gives how many answers each figure rests on.",
    )
    writer.append([writer.cell("Mean score by month", font=HEADING)])
    header = writer.header(["Month", *(f.label for f in findings.findings)])
    for month, label in findings.months:
        cells = [label]
        for finding in findings.findings:
            answers, mean = findings.figures.get((month, finding.key), (0, None))
            if not scope.case_level and 0 < answers < scope.small_number:
                mean = None
            cells.append(writer.cell(mean, number_format=SCORE))
        writer.append(cells)
    last = writer.row
    if findings.months and findings.findings:
        chart = LineChart()
        chart.title = "Inspection findings: mean score by month"
        chart.y_axis.title = "Mean score"
        chart.y_axis.number_format = "0%"
        chart.add_data(
            Reference(
                writer.sheet,
                min_col=2,
                max_col=1 + len(findings.findings),
                min_row=header,
                max_row=last,
            ),
            titles_from_data=True,
        )
        chart.set_categories(Reference(writer.sheet, min_col=1, min_row=header + 1, max_row=last))
        chart.width = 24
        writer.sheet.add_chart(chart, get_column_letter(len(findings.findings) + 3) + "6")
    writer.append([])
    writer.append([writer.cell("Graded answers by month", font=HEADING)])
    writer.header(["Month", *(f.label for f in findings.findings)])
    for month, label in findings.months:
        writer.append(
            [
                label,
                *(
                    count_or_suppressed(findings.figures.get((month, f.key), (0, None))[0], scope)
                    for f in findings.findings
                ),
            ]
        )
    writer.append([])
    writer.append([writer.cell("What each finding means", font=HEADING)])
    writer.header(["Finding", "What the inspection asked for"])
    for finding in findings.findings:
        writer.append([finding.label, finding.description])


def moderation_sheet(writer: SheetWriter, content: PackContent) -> None:
    scope = content.scope
    moderation = content.moderation
    writer.widths([40, *[16] * max(len(moderation.grades), 2)])
    write_heading(
        writer,
        "Moderation",
        scope,
        "how often a moderator agreed with the auditor's overall judgement. Exact: the same "
        "grade; within one: at most one grade apart; weighted kappa: agreement beyond chance "
        "(1 is perfect, 0 no better than chance).",
    )
    writer.header(["Measure", "Value"])
    writer.append(["Moderated audits", moderation.moderated])
    writer.append(["Exact agreement", writer.cell(moderation.exact, number_format=PERCENT)])
    writer.append(["Within one grade", writer.cell(moderation.within_one, number_format=PERCENT)])
    writer.append(
        ["Weighted kappa (linear)", writer.cell(moderation.weighted_kappa, number_format="0.00")]
    )
    writer.append([])
    writer.append([writer.cell("Auditor's grade (rows) by moderator's grade", font=HEADING)])
    writer.header(["Auditor's grade", *moderation.grades])
    for grade, row in zip(moderation.grades, moderation.confusion, strict=True):
        writer.append([grade, *(count_or_suppressed(c, scope) for c in row)])
    writer.append([])
    writer.append([writer.cell("Grades before and after moderation", font=HEADING)])
    writer.header(["Overall judgement", "Auditor's grades", "Final grades"])
    for grade, before, after in zip(
        moderation.grades, moderation.before, moderation.after, strict=True
    ):
        writer.append([grade, before, after])


def actions_sheet(writer: SheetWriter, content: PackContent) -> None:
    writer.widths([36, 12, 12, 12])
    write_heading(
        writer,
        "Actions",
        content.scope,
        "the actions set by the audits in this pack. Overdue actions are open actions past "
        "their due date, and are counted among the open ones too.",
    )
    for title, rows in (
        ("By priority", content.actions_by_priority),
        ("For the child's case or the service", content.actions_by_scope),
    ):
        writer.append([writer.cell(title, font=HEADING)])
        writer.header(["", "Open", "Overdue", "Done"])
        for row in rows:
            writer.append([row.name, row.open, row.overdue, row.done])
        writer.append([])


DATA_COLUMNS = (
    ("Audit", "audit"),
    ("Template", "template"),
    ("Version", "version"),
    ("Team", "team"),
    ("Case type", "case_type"),
    ("Round", "round"),
    ("Month submitted", "month"),
    ("Status", "status"),
    ("Section", "section"),
    ("Criterion", "criterion"),
    ("Trend key", "trend_key"),
    ("Findings", "findings"),
    ("Answer", "state"),
    ("Auditor's grade", "auditor_grade"),
    ("Final grade", "final_grade"),
    ("Auditor's score", "auditor_score"),
    ("Final score", "final_score"),
    ("Moderated", "moderated"),
)
CASE_LEVEL_COLUMNS = (("Case reference", "case_reference"), ("Written text", "written_text"))
SCORE_FIELDS = {"auditor_score", "final_score"}


def data_columns(case_level: bool) -> tuple[tuple[str, str], ...]:
    """Return the Data sheet's (heading, DataRow field) pairs."""
    return DATA_COLUMNS + CASE_LEVEL_COLUMNS if case_level else DATA_COLUMNS


def data_sheet(
    writer: SheetWriter, content: PackContent, progress: Callable[[int, int | None, str], None]
) -> None:
    """Stream one row per answer as an Excel table with filters and frozen panes."""
    columns = data_columns(content.scope.case_level)
    rows: Iterator[DataRow] = iter(content.data_rows or ())
    first = list(islice(rows, SIZING_ROWS))
    writer.widths(
        min(60, max(len(heading), *(len(str(getattr(r, name) or "")) for r in first), 8) + 2)
        if first
        else len(heading) + 4
        for heading, name in columns
    )
    writer.sheet.freeze_panes = "A2"
    writer.header([heading for heading, _ in columns])
    total = content.data_total
    done = 0
    values = attrgetter(*(name for _, name in columns))
    stream = RowStream(
        writer.sheet,
        writer.row + 1,
        {index: SCORE for index, (_, name) in enumerate(columns) if name in SCORE_FIELDS},
    )
    for row in _chain(first, rows):
        stream.append(values(row))
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress(done, total, f"Writing the Data sheet: {done:,} of {total:,} answers")
    if done:
        table = Table(
            displayName="PackData",
            ref=f"A1:{get_column_letter(len(columns))}{done + 1}",
            tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True),
        )
        # A write-only sheet cannot read back its header cells, so the columns are named here
        # (add_table would only warn and leave them out).
        table.tableColumns = [
            TableColumn(id=index, name=heading) for index, (heading, _) in enumerate(columns, 1)
        ]
        table.autoFilter = AutoFilter(ref=table.ref)
        writer.sheet.tables.add(table)


def _chain(first: list[DataRow], rest: Iterator[DataRow]) -> Iterator[DataRow]:
    yield from first
    yield from rest
