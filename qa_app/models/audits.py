"""Cases, audits, their answers and the append-only event log."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from qa_app.base_model import TimestampMixin, utcnow
from qa_app.extensions import db
from qa_app.models.people import Team, User
from qa_app.models.templates import TemplateVersion


class AuditStatus(enum.StrEnum):
    """Where an audit is in its life."""

    ASSIGNED = "assigned"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    IN_MODERATION = "in_moderation"  # taken by a moderator
    MODERATED = "moderated"  # the moderator agreed or re-graded
    CLOSED = "closed"  # signed off; the auditor has been told

    @property
    def label(self) -> str:
        return {
            "assigned": "Not started",
            "draft": "In progress",
            "submitted": "Submitted",
            "returned": "Returned for changes",
            "resubmitted": "Resubmitted",
            "in_moderation": "In moderation",
            "moderated": "Moderated",
            "closed": "Closed",
        }[self.value]

    @property
    def is_reported(self) -> bool:
        """True once the auditor has submitted: the audit counts in reports and dashboards."""
        return self.value in REPORTED_STATUSES

    @property
    def is_editable_by_auditor(self) -> bool:
        return self in (AuditStatus.ASSIGNED, AuditStatus.DRAFT, AuditStatus.RETURNED)

    @property
    def is_submitted(self) -> bool:
        return self in (AuditStatus.SUBMITTED, AuditStatus.RESUBMITTED)


# Every status from submission on: the audits that reports, dashboards and the pack count.
REPORTED_STATUSES = (
    AuditStatus.SUBMITTED.value,
    AuditStatus.RESUBMITTED.value,
    AuditStatus.IN_MODERATION.value,
    AuditStatus.MODERATED.value,
    AuditStatus.CLOSED.value,
)


class Case(TimestampMixin, db.Model):
    """A child's case, known only by the case management system's pseudonymised reference."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    # No index of its own: ix_cases_team_id_reference (list_indexes.py) leads with team_id.
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    case_type: Mapped[str | None] = mapped_column(String(40))
    allocated_worker: Mapped[str | None] = mapped_column(String(120))
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    age_band: Mapped[str | None] = mapped_column(String(20))

    team: Mapped[Team] = relationship()


class Audit(TimestampMixin, db.Model):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_version_id: Mapped[int] = mapped_column(ForeignKey("template_versions.id"), index=True)
    # Looked up by the (case_id, created_at) index in list_indexes.py.
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    auditor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=AuditStatus.DRAFT.value, index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    overall_judgement: Mapped[str | None] = mapped_column(String(40))
    overall_rationale: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    # The weighted mean of the scored answers, kept so reports can aggregate it in SQL.
    score: Mapped[float | None] = mapped_column(Float)
    # Set when the audit was drawn in a sampling round and assigned.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("audit_rounds.id"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    # Working with the practitioner and the family.
    with_practitioner: Mapped[bool | None] = mapped_column(Boolean)
    practitioner_reflection: Mapped[str | None] = mapped_column(Text)
    family_feedback_sought: Mapped[bool | None] = mapped_column(Boolean)
    family_feedback: Mapped[str | None] = mapped_column(Text)
    # Optimistic locking: a save names the version it started from and is refused if stale.
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    # Moderation outcome. The auditor's overall judgement and score above are never overwritten;
    # these are set only when a moderation is completed, so "final" is always
    # coalesce(moderated_*, auditor's).
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    moderated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    moderated_overall_judgement: Mapped[str | None] = mapped_column(String(40))
    moderated_score: Mapped[float | None] = mapped_column(Float)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    template_version: Mapped[TemplateVersion] = relationship()
    case: Mapped[Case] = relationship()
    auditor: Mapped[User] = relationship(foreign_keys=[auditor_id])
    moderator: Mapped[User | None] = relationship(foreign_keys=[moderator_id])
    answers: Mapped[list[Answer]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="Answer.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def status_enum(self) -> AuditStatus:
        return AuditStatus(self.status)

    @property
    def final_overall_judgement(self) -> str | None:
        """The moderated overall judgement where there is one, else the auditor's."""
        return self.moderated_overall_judgement or self.overall_judgement

    @property
    def final_score(self) -> float | None:
        return self.moderated_score if self.moderated_score is not None else self.score


class Answer(db.Model):
    """One answer per audit and criterion (or section judgement, keyed ``<section>.judgement``)."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("audit_id", "criterion_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    criterion_key: Mapped[str] = mapped_column(String(80))
    # Joins the criterion's trend across template versions (see TemplateDefinition.lineage_key).
    lineage_key: Mapped[str] = mapped_column(String(80), index=True)
    section_key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str | None] = mapped_column(Text)
    rationale: Mapped[str | None] = mapped_column(Text)
    score: Mapped[float | None] = mapped_column(Float)
    # The moderator's grade, set only when a moderation is completed (the auditor's value and
    # score above are never overwritten). Agreed grades are copied here too, so the final grade
    # is always coalesce(moderated_value, value).
    moderated_value: Mapped[str | None] = mapped_column(Text)
    moderated_score: Mapped[float | None] = mapped_column(Float)

    audit: Mapped[Audit] = relationship(back_populates="answers")

    @property
    def final_value(self) -> str | None:
        return self.moderated_value if self.moderated_value is not None else self.value

    @property
    def final_score(self) -> float | None:
        return self.moderated_score if self.moderated_score is not None else self.score


class AuditEvent(db.Model):
    """An append-only record of who did what, and when. Rows are never updated or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an event log row."""


@event.listens_for(AuditEvent, "before_update")
def _refuse_event_update(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError("The audit event log is append-only: events cannot be changed.")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_event_delete(mapper: Any, connection: Any, target: AuditEvent) -> None:
    raise AppendOnlyError("The audit event log is append-only: events cannot be deleted.")
