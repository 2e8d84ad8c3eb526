"""The progress page of a job, its result file, and trying a failed job again."""

from __future__ import annotations

import os

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_login import current_user

from qa_app.auth.login import role_required
from qa_app.extensions import db
from qa_app.jobs import enqueue
from qa_app.jobs.presentation import job_view
from qa_app.models import Job, JobStatus, Role

bp = Blueprint("jobs", __name__, url_prefix="/jobs", template_folder="templates")

EVERY_ROLE = tuple(Role)
# The page reloads itself this often while the job runs (no JavaScript needed).
REFRESH_SECONDS = 3


def _own_job(job_id: int) -> Job:
    """Return the signed-in user's job; anyone else's is "not found" (its name is private)."""
    job = db.session.get(Job, job_id)
    if job is None or job.owner_id != current_user.id:
        abort(404)
    return job


@bp.route("/<int:job_id>")
@role_required(*EVERY_ROLE)
def job_progress(job_id: int):
    job = _own_job(job_id)
    view = job_view(job)
    return render_template(
        "jobs/progress.html",
        job=job,
        view=view,
        refresh_seconds=None if view.finished else REFRESH_SECONDS,
    )


@bp.route("/<int:job_id>/status")
@role_required(*EVERY_ROLE)
def job_status(job_id: int):
    """The progress page's script asks here between reloads, to keep the page live."""
    view = job_view(_own_job(job_id))
    return {
        "status": view.status,
        "finished": view.finished,
        "progress": view.progress_text,
        "percent": view.percent,
    }


@bp.route("/<int:job_id>/download")
@role_required(*EVERY_ROLE)
def download_result(job_id: int):
    job = _own_job(job_id)
    if job.status != JobStatus.DONE or not job.result_path or not os.path.exists(job.result_path):
        abort(404)
    return send_file(
        job.result_path,
        as_attachment=True,
        download_name=job.result_name or os.path.basename(job.result_path),
        max_age=0,
    )


@bp.route("/<int:job_id>/retry", methods=["POST"])
@role_required(*EVERY_ROLE)
def retry_job(job_id: int):
    job = _own_job(job_id)
    if job.status == JobStatus.FAILED:
        job.status = JobStatus.QUEUED.value
        job.progress_done, job.progress_total, job.progress_message = 0, None, None
        job.error = None
        job.finished_at = None
        db.session.commit()
        enqueue(job.id)
    return redirect(url_for(".job_progress", job_id=job.id))
