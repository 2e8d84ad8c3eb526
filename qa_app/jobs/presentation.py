"""What the progress page says about a job."""

from __future__ import annotations

from dataclasses import dataclass

from qa_app.display import format_moment
from qa_app.models import Job, JobStatus


@dataclass(frozen=True)
class JobView:
    status: str
    status_label: str
    finished: bool
    progress_text: str
    percent: int | None
    expires_text: str | None


def job_view(job: Job) -> JobView:
    """Return the job's status in words: "Writing the Data sheet: 340,000 of 800,000 answers"."""
    status = job.status_enum
    if status == JobStatus.QUEUED:
        text = "Waiting for a worker to start it."
    elif status == JobStatus.RUNNING:
        text = job.progress_message or "Starting."
    elif status == JobStatus.DONE:
        text = "Finished."
    elif status == JobStatus.EXPIRED:
        text = "Its file has been deleted: files are kept for a limited time. Make it again."
    else:
        text = job.error or "It failed."
    percent = None
    if status == JobStatus.RUNNING and job.progress_total:
        percent = min(100, int(100 * job.progress_done / job.progress_total))
    expires = format_moment(job.expires_at, weekday=False) if job.expires_at else None
    return JobView(status.value, status.label, status.finished, text, percent, expires)
