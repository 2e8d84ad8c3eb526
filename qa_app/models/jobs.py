"""Background jobs: long work (big packs, big imports) run by the job runner, with progress."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.base_model import TimestampMixin
from qa_app.extensions import db
from qa_app.models.people import User


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    EXPIRED = "expired"  # finished, and its file deleted after the keeping period

    @property
    def label(self) -> str:
        return {
            "queued": "Waiting to start",
            "running": "In progress",
            "done": "Ready",
            "failed": "Failed",
            "expired": "Expired",
        }[self.value]

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)


class Job(TimestampMixin, db.Model):
    """One piece of long work asked for by a user, and what came of it.

    ``params`` holds what the job needs to run again (filters, a stored upload's path), never
    written text about a child. The result file lives in ``instance/exports/`` and is served only
    to the owner until ``expires_at``.
    """

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED.value, index=True)
    title: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress_done: Mapped[int] = mapped_column(Integer, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer)
    progress_message: Mapped[str | None] = mapped_column(String(200))
    result_path: Mapped[str | None] = mapped_column(String(500))
    result_name: Mapped[str | None] = mapped_column(String(200))
    # What the job produced besides a file (counts, a result page's id).
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    owner: Mapped[User] = relationship()

    @property
    def status_enum(self) -> JobStatus:
        return JobStatus(self.status)
