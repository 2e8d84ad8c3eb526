"""Long work as background jobs: the queue, the worker, the progress page and result files.

``init_app`` builds the queue from the settings and registers the tasks every worker runs:
``run_job`` (one job, by id), ``run_task`` (a background task, by name) and the scheduled
clean-up of old result files. Areas add kinds of job with
:func:`qa_app.jobs.registry.register_job_kind` and tasks with
:func:`qa_app.jobs.registry.register_task`, queued by :func:`enqueue_task`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from huey import Huey, crontab
from sqlalchemy.orm import Session

from qa_app.jobs.queue import make_huey
from qa_app.jobs.registry import task_function
from qa_app.models import Job, User


@dataclass
class JobQueue:
    huey: Huey
    run_job: Any  # the huey task: calling it enqueues
    run_task: Any = None  # the huey task for background tasks, by name


def init_app(app: Flask) -> None:
    from qa_app.extensions import db
    from qa_app.jobs.runner import clean_up_jobs, run_job

    huey = make_huey(app.config, app.instance_path)

    @huey.task(name="run_job")
    def run_job_task(job_id: int) -> None:
        run_job(app, job_id)

    @huey.task(name="run_task")
    def run_task_task(name: str, arguments: tuple) -> None:
        with app.app_context():
            task_function(name)(*arguments)

    @huey.periodic_task(crontab(minute="*/10"), name="clean_up_jobs")
    def clean_up_task() -> None:
        with app.app_context():
            clean_up_jobs(db.session, keep_for=timedelta(hours=app.config["JOB_RESULT_HOURS"]))

    app.extensions["qa_jobs"] = JobQueue(huey, run_job_task, run_task_task)
    os.makedirs(exports_folder(app), mode=0o700, exist_ok=True)


def exports_folder(app: Flask | None = None) -> str:
    """Return the folder job results are written to (only the app's own user may read it)."""
    return (app or current_app).config["EXPORTS_DIR"]


def start_job(session: Session, kind: str, owner: User, title: str, params: dict) -> Job:
    """Store a queued job, commit, and hand it to the queue; return it."""
    job = Job(kind=kind, owner=owner, title=title, params=params)
    session.add(job)
    session.commit()
    enqueue(job.id)
    return job


def enqueue(job_id: int) -> None:
    """Hand a stored, queued job to the workers."""
    current_app.extensions["qa_jobs"].run_job(job_id)


def enqueue_task(name: str, *arguments: Any, delay: float = 0) -> None:
    """Queue the registered background task with its arguments (kept in the queue, so no
    written text about a child), to run in a worker after ``delay`` seconds."""
    task = current_app.extensions["qa_jobs"].run_task
    if delay > 0:
        task.schedule(args=(name, arguments), delay=delay)
    else:
        task(name, arguments)
