"""The leadership pack: an Excel workbook built from :class:`PackContent`, with native charts.

Pure given its rows (no Flask, no database): the same builder serves the download page, the
command line and the background job. Every sheet is write-only, so the Data sheet streams in
constant memory however many answers there are; every text cell goes through the formula-safe
writer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from openpyxl.chart import BarChart, LineChart, Reference

from qa_app.reports.pack_cells import (
    BOLD,
    COUNT,
    HEADING,
    PERCENT,
    SCORE,
    SheetWriter,
    count_or_suppressed,
    format_moment,
    new_pack_workbook,
    share,
    write_heading,
)
from qa_app.reports.pack_content import Headline, PackContent
from qa_app.reports.pack_sheets import (
    actions_sheet,
    criteria_sheet,
    data_sheet,
    findings_sheet,
    moderation_sheet,
)

Progress = Callable[[int, int | None, str], None]

SHEETS = (
    ("Cover", "What the pack covers, how it was made, and these contents"),
    ("Summary", "Headline figures against the previous period, grade profile, trend by month"),
    ("By team", "Each team's grade profile"),
    ("By criterion", "Every criterion, weakest first"),
    ("Inspection findings", "Each finding the inspection asked us to improve, by month"),
    ("Moderation", "How often moderators agreed, and grades before and after moderation"),
    ("Actions", "Actions set by audits: open, overdue and done"),
    ("Data", "One row per answer, ready for pivot tables"),
)


def sheet_titles(with_data: bool = True) -> list[str]:
    """Return the pack's sheet names in order."""
    return [title for title, _ in SHEETS if with_data or title != "Data"]


def build_leadership_pack(
    stream: IO[bytes], content: PackContent, progress: Progress | None = None
) -> None:
    """Write the pack to the stream (a file or BytesIO), reporting progress as it goes."""
    progress = progress or (lambda done, total, message: None)
    workbook = new_pack_workbook()
    with_data = content.data_rows is not None
    progress(0, content.data_total, "Writing the summary sheets")
    _cover(SheetWriter(workbook.create_sheet("Cover")), content, with_data)
    _summary(SheetWriter(workbook.create_sheet("Summary")), content)
    _by_team(SheetWriter(workbook.create_sheet("By team")), content)
    criteria_sheet(SheetWriter(workbook.create_sheet("By criterion")), content)
    findings_sheet(SheetWriter(workbook.create_sheet("Inspection findings")), content)
    moderation_sheet(SheetWriter(workbook.create_sheet("Moderation")), content)
    actions_sheet(SheetWriter(workbook.create_sheet("Actions")), content)
    if with_data:
        data_sheet(SheetWriter(workbook.create_sheet("Data")), content, progress)
    progress(content.data_total, content.data_total, "Saving the workbook")
    workbook.save(stream)


def _cover(writer: SheetWriter, content: PackContent, with_data: bool) -> None:
    scope = content.scope
    writer.widths([34, 90])
    writer.append([writer.cell(scope.title, font=HEADING)])
    writer.append([])
    writer.append(["Made by", scope.made_by])
    writer.append(["Data as at", format_moment(scope)])
    for what, chosen in scope.filters:
        writer.append([what, chosen])
    writer.append(["Template versions", "; ".join(scope.template_versions) or "None"])
    writer.append(
        [
            "Grades",
            "Final grades: the moderator's where an audit was moderated, otherwise the "
            "auditor's. The Moderation sheet and the Data sheet show both.",
        ]
    )
    if scope.case_level:
        tier = (
            "Case-level: this pack holds case references and written rationales. It was "
            "recorded in the event log with its purpose. Keep it secure and delete it when the "
            "purpose is met."
        )
    else:
        tier = (
            "De-identified: no case references, no allocated workers and no written text. "
            f"Counts from 1 to {scope.small_number - 1} in breakdowns are shown as "
            f"<{scope.small_number} so that no child or worker can be picked out."
        )
    writer.append(["Data protection", tier])
    for note in content.notes:
        writer.append(["Note", note])
    writer.append([])
    writer.append([writer.cell("Contents", font=HEADING)])
    for title, description in SHEETS:
        if title == "Cover" or (title == "Data" and not with_data):
            continue
        writer.append([writer.link(title, title), description])


def _headline_rows(now: Headline, before: Headline | None):
    def pick(headline: Headline | None, name: str):
        return None if headline is None else getattr(headline, name)

    return [
        ("Audits", "audits", COUNT),
        ("Good or better", "good_or_better_share", PERCENT),
        ("Inadequate", "inadequate_share", PERCENT),
        ("Mean score", "mean_score", SCORE),
        ("Moderation agreement (overall judgement)", "agreement", PERCENT),
    ], pick


def _summary(writer: SheetWriter, content: PackContent) -> None:
    scope = content.scope
    writer.widths([40, 16, 16, 16, 16])
    write_heading(
        writer,
        "Summary",
        scope,
        "each figure counts the audits submitted in the period (final grades). The previous "
        "period is the same length just before it. Mean score is the weighted mean of the "
        "graded answers, 0% to 100%.",
    )
    previous = scope.previous_period or "No period chosen"
    writer.header(["Measure", "This period", f"Previous period ({previous})", "Change"])
    rows, pick = _headline_rows(content.headline, content.previous)
    for label, name, number_format in rows:
        now, before = pick(content.headline, name), pick(content.previous, name)
        change = now - before if now is not None and before is not None else None
        writer.append(
            [
                label,
                writer.cell(now, number_format=number_format),
                writer.cell(before, number_format=number_format),
                writer.cell(
                    change,
                    number_format="+0%;-0%;0%" if number_format != COUNT else "+#,##0;-#,##0;0",
                ),
            ]
        )
    writer.append([])
    writer.append([writer.cell("Grade profile (overall judgement)", font=HEADING)])
    header = writer.header(["Overall judgement", "Audits", "Share"])
    total = content.grade_profile.total
    for name, count in zip(content.grade_names, content.grade_profile.counts, strict=True):
        writer.append([name, count, writer.cell(share(count, total), number_format=PERCENT)])
    last = writer.row
    writer.append([writer.cell("Total", font=BOLD), writer.cell(total, font=BOLD)])
    if content.grade_names:
        chart = BarChart()
        chart.title = "Grade profile"
        chart.y_axis.title = "Audits"
        chart.legend = None
        chart.add_data(
            Reference(writer.sheet, min_col=2, min_row=header, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(writer.sheet, min_col=1, min_row=header + 1, max_row=last))
        writer.sheet.add_chart(chart, "G6")
    writer.append([])
    writer.append([writer.cell("By month", font=HEADING)])
    header = writer.header(["Month", "Audits", "Good or better", "% good or better"])
    for month in content.months:
        writer.append(
            [
                month.label,
                month.audits,
                month.good_or_better,
                writer.cell(share(month.good_or_better, month.audits), number_format=PERCENT),
            ]
        )
    if content.months:
        chart = LineChart()
        chart.title = "% good or better by month"
        chart.y_axis.title = "% good or better"
        chart.y_axis.number_format = "0%"
        chart.legend = None
        chart.add_data(
            Reference(writer.sheet, min_col=4, min_row=header, max_row=writer.row),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(writer.sheet, min_col=1, min_row=header + 1, max_row=writer.row)
        )
        writer.sheet.add_chart(chart, "G24")


def _by_team(writer: SheetWriter, content: PackContent) -> None:
    scope = content.scope
    grades = content.grade_names
    writer.widths([36, *[16] * len(grades), 12, 16])
    write_heading(
        writer,
        "By team",
        scope,
        "audits submitted in the period by the team holding the case, at each final overall "
        "judgement.",
    )
    header = writer.header(["Team", *grades, "Audits", "% good or better"])
    good_columns = content.good_grade_count
    for team in content.teams:
        good = sum(team.counts[:good_columns])
        writer.append(
            [
                team.name,
                *(count_or_suppressed(c, scope) for c in team.counts),
                count_or_suppressed(team.total, scope),
                writer.cell(
                    share(good, team.total)
                    if team.total >= scope.small_number or scope.case_level
                    else None,
                    number_format=PERCENT,
                ),
            ]
        )
    if content.teams and grades:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = "Grade profile by team"
        chart.x_axis.title = "Team"
        chart.y_axis.title = "Audits"
        chart.add_data(
            Reference(
                writer.sheet,
                min_col=2,
                max_col=1 + len(grades),
                min_row=header,
                max_row=writer.row,
            ),
            titles_from_data=True,
        )
        chart.set_categories(
            Reference(writer.sheet, min_col=1, min_row=header + 1, max_row=writer.row)
        )
        chart.height = max(7.5, 0.8 * len(content.teams))
        writer.sheet.add_chart(chart, f"A{writer.row + 3}")
