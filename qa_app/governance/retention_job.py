"""Retention as a scheduled job: the job runner purges every night at ``RETENTION_NIGHTLY_AT``.

The task is one of the job runner's periodic tasks (huey's ``periodic_task``), so any worker
started with ``flask --app qa_app jobs worker`` runs it. The purge commits batch by batch, so a
worker stopped half way leaves a run the next night (or ``retention run``) carries on from; two
workers that start it at once cannot purge a record twice (each purged record is unique).
"""

from __future__ import annotations

import logging

from flask import Flask
from huey import crontab

from qa_app.extensions import db
from qa_app.governance.retention import run_purge
from qa_app.governance.retention_policy import RetentionSettings, nightly_time

logger = logging.getLogger(__name__)

TASK_NAME = "retention_run"


def schedule_retention(app: Flask) -> None:
    """Register the nightly purge with the app's job runner (nothing when it is switched off).

    Raises ValueError when ``RETENTION_NIGHTLY_AT`` is not a time like 02:30.
    """
    at = nightly_time(app.config)
    if at is None:
        return
    huey = app.extensions["qa_jobs"].huey

    @huey.periodic_task(crontab(minute=str(at.minute), hour=str(at.hour)), name=TASK_NAME)
    def retention_task() -> None:
        run_scheduled_purge(app)

    app.extensions["qa_retention_task"] = retention_task


def run_scheduled_purge(app: Flask) -> int | None:
    """Run the purge with the app's settings and return the run's id (None when a setting is
    wrong: that is logged, and the retention page shows it)."""
    with app.app_context():
        try:
            settings = RetentionSettings.from_config(app.config)
        except ValueError:
            logger.exception("The scheduled retention run did not start")
            return None
        run = run_purge(db.session, settings, started_by="schedule")
        logger.info("Retention run %s finished: %s", run.id, run.counts)
        return run.id
