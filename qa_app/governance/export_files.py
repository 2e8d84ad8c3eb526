"""Finished export files under retention: the files the job runner keeps for download.

The job runner deletes a result file ``JOB_RESULT_HOURS`` after it is made; the retention run
deletes the same files by the same setting, so a council that runs no worker still loses them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.jobs.runner import remove_file
from qa_app.models import Job, JobStatus


def expire_export_files(session: Session, before: datetime) -> int:
    """Delete the files of jobs finished before ``before`` and mark the jobs expired; return
    how many files went. The caller commits."""
    jobs = session.scalars(
        select(Job).where(Job.status == JobStatus.DONE.value, Job.finished_at < before)
    ).all()
    for job in jobs:
        remove_file(job.result_path)
        for path in (job.params or {}).get("files_to_remove", []):
            remove_file(path)
        job.status = JobStatus.EXPIRED.value
        job.result_path = None
    session.flush()
    return len(jobs)
