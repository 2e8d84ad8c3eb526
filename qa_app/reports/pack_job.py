"""The pack as a background job: written to the exports folder, recorded when it is done."""

from __future__ import annotations

import os
import secrets

from flask import current_app
from sqlalchemy.orm import Session

from qa_app.base_model import utcnow
from qa_app.jobs.registry import JobResult, Progress, register_job_kind
from qa_app.models import Job
from qa_app.reports.pack_filters import PackFilters
from qa_app.reports.pack_operations import pack_filename, private_file, record_export, write_pack

PACK_JOB = "pack"


def run_pack_job(session: Session, job: Job, progress: Progress) -> JobResult:
    """Build the job's pack into a private file; return where it is."""
    filters = PackFilters.from_params(job.params["filters"])
    now = utcnow()
    folder = current_app.config["EXPORTS_DIR"]
    # An unguessable name: the file is served only through its owner's job page anyway.
    name = f"pack-{job.id}-{secrets.token_hex(8)}.xlsx"
    path = os.path.join(folder, name)
    try:
        with private_file(folder, name) as stream:
            rows = write_pack(session, job.owner, filters, stream, now, progress)
    except BaseException:
        if os.path.exists(path):
            os.remove(path)
        raise
    record_export(session, job.owner, filters, rows, how="background job")
    return JobResult(path, pack_filename(now, filters), {"rows": rows})


def register() -> None:
    register_job_kind(PACK_JOB, run_pack_job)
