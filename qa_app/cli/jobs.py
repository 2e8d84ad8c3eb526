"""``flask --app qa_app jobs ...``: run the background job worker, clean up old results."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from huey.consumer import Consumer

from qa_app.extensions import db
from qa_app.jobs.runner import clean_up_jobs

jobs_cli = AppGroup("jobs", help="Run background jobs (big packs, big case imports).")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, help="Jobs run at the same time.")
def worker_command(workers: int) -> None:
    """Take jobs from the queue and run them until stopped (Ctrl+C or SIGTERM), with the
    scheduled clean-up of old result files."""
    huey = current_app.extensions["qa_jobs"].huey
    if huey.immediate:
        raise click.UsageError("JOBS_IMMEDIATE is set: jobs run in the web server, no worker.")
    click.echo(f"Job worker: {workers} at a time, queue {huey.storage.__class__.__name__}")
    Consumer(huey, workers=workers, worker_type="thread", check_worker_health=True).run()


@jobs_cli.command("clean")
def clean_command() -> None:
    """Delete result files past their keeping time and mark stopped jobs failed, now."""
    counts = clean_up_jobs(
        db.session, keep_for=timedelta(hours=current_app.config["JOB_RESULT_HOURS"])
    )
    click.echo(f"Deleted {counts['expired']} old result files; {counts['stopped']} stopped jobs.")
