"""A real job worker: huey's consumer taking jobs from its SQLite queue, in worker threads."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from huey.consumer import Consumer

from qa_app.extensions import db
from qa_app.jobs import init_app as init_jobs
from qa_app.models import Job


@pytest.fixture
def queued_app(app, tmp_path):
    """The app with a real queue (no immediate mode): jobs wait until a worker takes them."""
    app.config.update(JOBS_IMMEDIATE=False, JOBS_SQLITE_PATH=str(tmp_path / "queue.sqlite3"))
    init_jobs(app)
    return app


@contextmanager
def running_worker(app) -> Iterator[Consumer]:
    """Run huey's consumer (the code ``flask jobs worker`` runs) until the block ends."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    consumer = Consumer(
        app.extensions["qa_jobs"].huey, workers=1, worker_type="thread", periodic=False
    )
    consumer.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)
        for number, handler in saved.items():
            signal.signal(number, handler)


def wait_for_job(app, job_id: int, seconds: float = 60) -> Job:
    """Return the job once it has finished (failing the test if it takes too long)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            job = db.session.get(Job, job_id)
            if job.status_enum.finished:
                db.session.expunge(job)
                return job
        time.sleep(0.1)
    pytest.fail(f"job {job_id} did not finish in {seconds} s")
