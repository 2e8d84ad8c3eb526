"""The figures reports show, aggregated in SQL over the audits a user may see."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_app.audits.queries import visible_audits
from qa_app.models import (
    REPORTED_STATUSES,
    Answer,
    Audit,
    Case,
    Team,
    TemplateVersion,
    User,
)
from qa_app.template_format.definition import TemplateDefinition

SUBMITTED_STATES = REPORTED_STATUSES


@dataclass(frozen=True)
class JudgementCount:
    judgement: str | None
    audits: int
    mean_score: float | None


def _submitted_ids(user: User):
    return (
        visible_audits(user)
        .where(Audit.status.in_(SUBMITTED_STATES))
        .with_only_columns(Audit.id)
        .scalar_subquery()
    )


# Reports count the final grade: the moderator's where a moderation is completed (agreed grades
# are copied there too), else the auditor's.
FINAL_JUDGEMENT = func.coalesce(Audit.moderated_overall_judgement, Audit.overall_judgement)
FINAL_SCORE = func.coalesce(Audit.moderated_score, Audit.score)


def judgement_counts(session: Session, user: User) -> list[JudgementCount]:
    """Return submitted audits counted by final overall judgement (the moderated one where there
    is one, else the auditor's), with each group's mean final score."""
    rows = session.execute(
        select(FINAL_JUDGEMENT, func.count(Audit.id), func.avg(FINAL_SCORE))
        .where(Audit.id.in_(_submitted_ids(user)))
        .group_by(FINAL_JUDGEMENT)
    )
    return [JudgementCount(judgement, count, mean) for judgement, count, mean in rows]


def template_versions_in_use(session: Session, user: User) -> list[TemplateVersion]:
    """Return the template versions of the submitted audits the user may see."""
    return list(
        session.scalars(
            select(TemplateVersion)
            .where(
                TemplateVersion.id.in_(
                    select(Audit.template_version_id).where(Audit.id.in_(_submitted_ids(user)))
                )
            )
            .order_by(TemplateVersion.key, TemplateVersion.version)
        )
    )


@dataclass(frozen=True)
class AuditRow:
    audit_id: int
    template_version_id: int
    team: str
    case_type: str | None
    status: str
    submitted_at: datetime | None
    overall_judgement: str | None
    score: float | None


def audit_rows(session: Session, user: User) -> Iterator[AuditRow]:
    """Yield one row per submitted audit, oldest first, streamed from the database."""
    query = (
        select(
            Audit.id,
            Audit.template_version_id,
            Team.name,
            Case.case_type,
            Audit.status,
            Audit.submitted_at,
            FINAL_JUDGEMENT,
            FINAL_SCORE,
        )
        .join(Audit.case)
        .join(Case.team)
        .where(Audit.id.in_(_submitted_ids(user)))
        .order_by(Audit.submitted_at, Audit.id)
        .execution_options(yield_per=2000)
    )
    for row in session.execute(query):
        yield AuditRow(*row)


@dataclass(frozen=True)
class AnswerRow:
    audit_id: int
    template_version_id: int
    team: str
    section_key: str
    criterion_key: str
    lineage_key: str
    value: str | None
    score: float | None


def answer_rows(session: Session, user: User) -> Iterator[AnswerRow]:
    """Yield one row per answer of a submitted audit, streamed from the database."""
    query = (
        select(
            Answer.audit_id,
            Audit.template_version_id,
            Team.name,
            Answer.section_key,
            Answer.criterion_key,
            Answer.lineage_key,
            func.coalesce(Answer.moderated_value, Answer.value),
            func.coalesce(Answer.moderated_score, Answer.score),
        )
        .join(Answer.audit)
        .join(Audit.case)
        .join(Case.team)
        .where(Audit.id.in_(_submitted_ids(user)))
        .order_by(Answer.audit_id, Answer.id)
        .execution_options(yield_per=5000)
    )
    for row in session.execute(query):
        yield AnswerRow(*row)


def definitions_by_version(versions: list[TemplateVersion]) -> dict[int, TemplateDefinition]:
    """Return each version's definition keyed by the version's id."""
    return {version.id: version.definition for version in versions}
