"""Running a job in the worker: mark it running, do its work, record the result or the failure."""

from __future__ import annotations

import contextlib
import logging
import os
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.jobs.progress import ProgressWriter
from qa_app.jobs.registry import JobFailed, job_function
from qa_app.models import Job, JobStatus

logger = logging.getLogger(__name__)


def run_job(app: Flask, job_id: int) -> None:
    """Do the queued job's work in a fresh app context; its outcome is stored on the job.

    The job's own writes and its "done" status are committed together, so a worker killed in
    the middle leaves the database as it was (the job then shows as stopped, see
    :func:`clean_up_jobs`).
    """
    with app.app_context():
        session = db.session
        job = session.get(Job, job_id)
        if job is None or job.status != JobStatus.QUEUED:
            return  # already taken by another worker, or cancelled
        job.status = JobStatus.RUNNING.value
        job.started_at = utcnow()
        job.attempts += 1
        job.error = None
        session.commit()
        progress = ProgressWriter(db.engine, job.id)
        try:
            result = job_function(job.kind)(session, job, progress)
        except JobFailed as failure:
            _fail(session, job_id, str(failure), failure.outcome)
            return
        except Exception:
            logger.exception("Job %s (%s) failed", job_id, job.kind)
            _fail(
                session,
                job_id,
                f"Something went wrong while {job.title[0].lower()}"
                f"{job.title[1:]}. Try again; if it fails again, tell the service's support.",
            )
            return
        job = session.get(Job, job_id)
        job.status = JobStatus.DONE.value
        job.finished_at = utcnow()
        job.result_path = result.path
        job.result_name = result.download_name
        job.outcome = result.outcome
        hours = app.config["JOB_RESULT_HOURS"]
        job.expires_at = job.finished_at + timedelta(hours=hours)
        session.commit()


def _fail(session, job_id: int, message: str, outcome: dict | None = None) -> None:
    session.rollback()
    job = session.get(Job, job_id)
    job.status = JobStatus.FAILED.value
    job.error = message
    job.outcome = outcome
    job.finished_at = utcnow()
    session.commit()


def clean_up_jobs(
    session,
    now=None,
    stale_after: timedelta = timedelta(minutes=30),
    keep_for: timedelta = timedelta(hours=24),
) -> dict:
    """Delete result files past their time and mark jobs that stopped (a worker killed) failed.

    Returns the counts. Called by the scheduled job every few minutes and by ``jobs clean``.
    """
    now = now or utcnow()
    expired = session.scalars(
        select(Job).where(Job.status == JobStatus.DONE.value, Job.expires_at <= now)
    ).all()
    for job in expired:
        remove_file(job.result_path)
        job.status = JobStatus.EXPIRED.value
        job.result_path = None
        for path in (job.params or {}).get("files_to_remove", []):
            remove_file(path)
    # A failed job's kept upload goes when its file would have (it can be retried until then).
    failed = session.scalars(
        select(Job).where(Job.status == JobStatus.FAILED.value, Job.finished_at <= now - keep_for)
    ).all()
    for job in failed:
        for path in (job.params or {}).get("files_to_remove", []):
            remove_file(path)
    stale = session.scalars(
        select(Job).where(
            Job.status == JobStatus.RUNNING.value, Job.updated_at <= now - stale_after
        )
    ).all()
    for job in stale:
        job.status = JobStatus.FAILED.value
        job.finished_at = now
        job.error = (
            "The job stopped before it finished (the worker running it was stopped), and "
            "nothing was changed. Try again."
        )
    session.commit()
    return {"expired": len(expired), "stopped": len(stale)}


def remove_file(path: str | None) -> None:
    """Delete a file if it is there."""
    if path:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
