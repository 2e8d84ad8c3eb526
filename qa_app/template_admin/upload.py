"""Checking an uploaded template file (YAML, or the workbook ``templates export`` writes) and
loading it: the same checks as ``templates check`` and ``templates load``, nothing kept until
*Load this version*, which checks everything again and stores it all or nothing."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.models import TemplateVersion, User
from qa_app.template_format.excel import read_template_workbook
from qa_app.template_format.excel_cells import sheet_rows
from qa_app.template_format.excel_layout import COLUMNS, CRITERIA_SHEET, normalise
from qa_app.template_format.problems import Problem
from qa_app.template_library.loading import (
    LoadPlan,
    PlannedVersion,
    TemplateSource,
    apply_template_load,
    plan_template_sources,
)

YAML_SUFFIXES = (".yaml", ".yml")
WORKBOOK_SUFFIX = ".xlsx"
# Templates are tens of kilobytes; a workbook of one is a few dozen.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ProblemRow:
    """One problem as the page lists it: where it is, in words, and what is wrong."""

    where: str
    message: str


@dataclass
class UploadCheck:
    """What an uploaded file holds: its template text (YAML, also for a workbook), every problem
    and, when there is none, what loading it would do."""

    filename: str
    text: str | None = None
    problems: list[ProblemRow] = field(default_factory=list)
    plan: LoadPlan | None = None

    @property
    def planned(self) -> PlannedVersion | None:
        """Return the version the file would store (or the unchanged one), when it is good."""
        return self.plan.versions[0] if self.plan and self.plan.versions else None


def safe_filename(filename: str | None) -> str:
    """Return the file's own name, without any folders a browser may send."""
    return PurePath((filename or "").replace("\\", "/")).name.strip()[:200]


def check_upload(session: Session, filename: str, data: bytes) -> UploadCheck:
    """Return the checks of an uploaded template file; nothing is stored."""
    check = UploadCheck(filename)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (*YAML_SUFFIXES, WORKBOOK_SUFFIX):
        check.problems.append(
            ProblemRow(
                "The file",
                "The selected file must be a template file (.yaml) or a template workbook (.xlsx)",
            )
        )
        return check
    if len(data) > MAX_UPLOAD_BYTES:
        check.problems.append(ProblemRow("The file", "The selected file must be smaller than 2 MB"))
        return check
    if suffix == WORKBOOK_SUFFIX:
        text, problems = read_template_workbook(io.BytesIO(data))
        check.problems += [_workbook_row(p) for p in problems]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            check.problems.append(
                ProblemRow("The file", f"The file is not UTF-8 text (byte {error.start + 1})")
            )
            return check
    if text is None:
        return check
    plan = plan_template_sources(session, [TemplateSource(filename, text)])
    if plan.problems:
        if suffix == WORKBOOK_SUFFIX:
            check.problems += _workbook_plan_rows(session, data, text, plan.problems)
        else:
            check.problems += [_yaml_row(p) for p in plan.problems]
        return check
    check.text, check.plan = text, plan
    return check


def load_upload(session: Session, actor: User, filename: str, text: str) -> UploadCheck:
    """Check the template text again and store it (the caller commits), logging the load.

    Returns the check; nothing is stored when it has problems or the version is already there.
    """
    check = UploadCheck(filename)
    plan = plan_template_sources(session, [TemplateSource(filename, text)])
    if plan.problems:
        check.problems = [_yaml_row(p) for p in plan.problems]
        return check
    check.text, check.plan = text, plan
    stored: list[TemplateVersion] = apply_template_load(session, plan)
    for version in stored:
        planned = plan.versions[0]
        record_event(
            session,
            "template_loaded",
            actor,
            key=version.key,
            version=version.version,
            source_name=version.source_name,
            status=planned.status,
            changes=len(planned.changes),
            via="upload",
        )
    return check


def _yaml_row(problem: Problem) -> ProblemRow:
    return ProblemRow(f"Line {problem.line}, column {problem.column}", problem.message)


def _workbook_row(problem: Problem) -> ProblemRow:
    """Return a workbook problem ("<file> sheet <Sheet>", row, column) as the page lists it."""
    _, found, sheet = problem.path.partition(" sheet ")
    if found:
        where = f"Sheet {sheet}, row {problem.line}, column {get_column_letter(problem.column)}"
    else:
        where = "The workbook"
    return ProblemRow(where, problem.message)


def _workbook_plan_rows(
    session: Session, data: bytes, text: str, problems: list[Problem]
) -> list[ProblemRow]:
    """Return the problems found against the stored versions, placed in the workbook: a
    ``replaces`` at its cell in the Criteria sheet, the version problems on the Template sheet."""
    replaced = _replaces_cells(data)
    rows = []
    for problem in problems:
        cell = next(
            (
                where
                for (criterion, old), where in replaced.items()
                if f'"{criterion}" replaces "{old}"' in problem.message
            ),
            None,
        )
        rows.append(ProblemRow(cell or "Sheet Template, version", problem.message))
    return rows


def _replaces_cells(data: bytes) -> dict[tuple[str, str], str]:
    """Return where each criterion's Replaces cell is in the workbook, by (key, replaced key)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows, _ = sheet_rows(workbook[CRITERIA_SHEET], COLUMNS[CRITERIA_SHEET])
    finally:
        workbook.close()
    found = {}
    for row in rows:
        key, _ = row.cells.get(normalise("Key"), (None, 0))
        old, column = row.cells.get(normalise("Replaces"), (None, 0))
        if key and old:
            found[(str(key).strip(), str(old).strip())] = (
                f"Sheet {CRITERIA_SHEET}, row {row.number}, column {get_column_letter(column)}"
            )
    return found
