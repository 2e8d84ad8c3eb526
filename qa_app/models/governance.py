"""Governance: who viewed what (the access log), sign-ins, and retention purges."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.base_model import utcnow
from qa_app.extensions import db
from qa_app.models.people import User


class AccessKind:
    VIEW = "view"
    EXPORT = "export"


class AccessRecord(db.Model):
    """One view of an audit or a case's audits, or one audit in a case-level export.

    High volume and kept apart from the event log: one insert per view, no free text (the page
    is the endpoint's name), indexed for the two questions asked of it: who looked at this case,
    and what did this person look at.
    """

    __tablename__ = "access_records"
    __table_args__ = (
        Index("ix_access_records_case_id_at", "case_id", "at"),
        Index("ix_access_records_user_id_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # No foreign keys on the subject: a view is recorded even of an audit later removed.
    audit_id: Mapped[int | None] = mapped_column(Integer, index=True)
    case_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(10), default=AccessKind.VIEW)
    page: Mapped[str] = mapped_column(String(80))

    user: Mapped[User] = relationship()


class SignIn(db.Model):
    """A successful sign-in, shown to the user (their last sign-ins) and to admins."""

    __tablename__ = "sign_ins"
    __table_args__ = (Index("ix_sign_ins_user_id_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RetentionRun(db.Model):
    """One run of the retention purge: when, by whom, the cut-off and the counts (no content)."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Where it was started from: "command" or "job".
    started_by: Mapped[str] = mapped_column(String(20))
    case_detail_cutoff: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PurgedRecord(db.Model):
    """An audit or case whose detail has been purged: makes the purge idempotent and resumable."""

    __tablename__ = "purged_records"
    __table_args__ = (UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "audit" or "case"
    record_id: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("retention_runs.id"), index=True)
    purged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
