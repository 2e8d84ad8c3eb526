"""Progress written beside the job's own work, so the progress page can read it meanwhile."""

from __future__ import annotations

import time

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from qa_app.base_model import utcnow
from qa_app.models import Job

# Write at most this often: a pack reports every few thousand rows, the page reads every few s.
WRITE_EVERY_SECONDS = 0.5
MESSAGE_LENGTH = Job.__table__.c.progress_message.type.length


class ProgressWriter:
    """Callable progress reporter that updates the job's row in its own short transaction.

    The job's work runs in the worker's session, maybe in one long transaction (an import is
    all or nothing), so progress goes through a separate connection and commits at once.
    """

    def __init__(self, engine: Engine, job_id: int) -> None:
        self.engine = engine
        self.job_id = job_id
        self._last_write = 0.0
        self._last_message: str | None = None

    def __call__(self, done: int, total: int | None, message: str) -> None:
        now = time.monotonic()
        if (
            message == self._last_message
            and now - self._last_write < WRITE_EVERY_SECONDS
            and done != total
        ):
            return
        self._last_write, self._last_message = now, message
        statement = (
            update(Job)
            .where(Job.id == self.job_id)
            .values(
                progress_done=done,
                progress_total=total,
                progress_message=message[:MESSAGE_LENGTH],
                updated_at=utcnow(),
            )
        )
        try:
            with self.engine.begin() as connection:
                connection.execute(statement)
        except OperationalError:
            # SQLite allows one writer: while the job itself holds the write lock, progress waits
            # for the next report rather than failing the job.
            pass
