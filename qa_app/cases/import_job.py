"""Big case lists imported as a background job: the same checks, all or nothing, row report."""

from __future__ import annotations

import os
import secrets
import shutil
from typing import BinaryIO

from flask import current_app
from openpyxl import load_workbook
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_app.cases.operations import import_case_list
from qa_app.cases.presentation import PROBLEMS_SHOWN
from qa_app.jobs.registry import JobFailed, JobResult, Progress, register_job_kind
from qa_app.models import Job

CASE_IMPORT_JOB = "case_import"
UPLOADS = "uploads"


def keep_upload(stream: BinaryIO) -> str:
    """Copy an uploaded file where the worker can read it (only the service's user can);
    return its path. It is deleted when the import succeeds or its job expires."""
    folder = os.path.join(current_app.config["EXPORTS_DIR"], UPLOADS)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    path = os.path.join(folder, f"cases-{secrets.token_hex(12)}")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    stream.seek(0)
    with os.fdopen(descriptor, "wb") as copy:
        shutil.copyfileobj(stream, copy, 256 * 1024)
    return path


def estimate_rows(stream: BinaryIO, filename: str) -> int:
    """Return about how many rows the file holds, cheaply (lines of a CSV file, the sheets'
    stated size in a workbook), to choose between importing now and as a job."""
    stream.seek(0)
    try:
        if filename.lower().endswith(".xlsx"):
            workbook = load_workbook(stream, read_only=True)
            try:
                return max((sheet.max_row or 0 for sheet in workbook.worksheets), default=0)
            finally:
                workbook.close()
        lines = 0
        while chunk := stream.read(1024 * 1024):
            lines += chunk.count(b"\n")
        return lines
    except Exception:  # an unreadable file is refused, with its reason, by the import itself
        return 0
    finally:
        stream.seek(0)


def run_case_import_job(session: Session, job: Job, progress: Progress) -> JobResult:
    """Import the stored upload in one transaction; on any problem, fail with the row report."""
    params = job.params
    try:
        with open(params["upload"], "rb") as stream:
            result = import_case_list(
                session,
                stream,
                params["filename"],
                job.owner,
                create_teams=params.get("create_teams", False),
                sheet=params.get("sheet"),
                progress=progress,
            )
    except IntegrityError:
        raise JobFailed(
            "Cases were changed by someone else while this file was imported, so nothing was "
            "imported. Try again."
        ) from None
    except FileNotFoundError:
        raise JobFailed("The uploaded file is no longer kept: import it again.") from None
    if not result.imported:
        problems = len(result.file_problems) + len(result.row_problems)
        raise JobFailed(
            f"The file was not imported: {problems:,} "
            f"{'problem was' if problems == 1 else 'problems were'} found. Nothing was changed: "
            "fix the file and import it again.",
            {
                "filename": result.filename,
                "file_problems": result.file_problems,
                "problems": [list(p) for p in result.row_problems[:PROBLEMS_SHOWN]],
                "problem_count": len(result.row_problems),
            },
        )
    os.remove(params["upload"])
    return JobResult(outcome={"event_id": result.event_id, "rows": result.rows})


def register() -> None:
    register_job_kind(CASE_IMPORT_JOB, run_case_import_job)
