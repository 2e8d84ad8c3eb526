"""Read-only questions for the moderation pages: the queue and the selections a user may act
on (each one query)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased, joinedload

from qa_app.models import (
    MANAGING_ROLES,
    Audit,
    AuditEvent,
    AuditRound,
    AuditStatus,
    Case,
    ModerationResponse,
    ModerationSelection,
    Role,
    Team,
    User,
)
from qa_app.moderation.access import AUTHORING_EVENTS

QUEUE_STATUSES = (
    AuditStatus.SUBMITTED.value,
    AuditStatus.RESUBMITTED.value,
    AuditStatus.IN_MODERATION.value,
)


@dataclass(frozen=True)
class QueueRow:
    audit_id: int
    reference: str
    team: str
    auditor: str
    submitted_at: datetime | None
    due_date: date
    reason: str
    status: str
    moderator: str | None
    moderator_id: int | None
    wrote_it: bool
    overdue: bool


def team_scope(user: User) -> ColumnElement[bool]:
    """The cases a managing user sees: their team's, or every team's."""
    if user.sees_all_teams:
        return true()
    return Case.team_id == user.team_id


def _wrote(user: User) -> ColumnElement[bool]:
    return or_(
        Audit.auditor_id == user.id,
        exists().where(
            AuditEvent.audit_id == Audit.id,
            AuditEvent.actor_id == user.id,
            AuditEvent.action.in_(AUTHORING_EVENTS),
        ),
    )


def count_queue(session: Session, user: User) -> int:
    """Return how many audits in the user's teams await or are in moderation."""
    query = (
        select(func.count(ModerationSelection.id))
        .join(Audit, Audit.id == ModerationSelection.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .where(Audit.status.in_(QUEUE_STATUSES), team_scope(user))
    )
    return session.scalar(query) or 0


def moderation_queue(
    session: Session, user: User, today: date, *, limit: int, offset: int = 0
) -> list[QueueRow]:
    """Return the audits awaiting or in moderation that the user sees, oldest submission first."""
    auditor = aliased(User)
    moderator = aliased(User)
    query = (
        select(
            Audit.id,
            Case.reference,
            Team.name,
            auditor.display_name,
            Audit.submitted_at,
            ModerationSelection.due_date,
            ModerationSelection.reason,
            Audit.status,
            moderator.display_name,
            ModerationSelection.moderator_id,
            _wrote(user),
        )
        .select_from(ModerationSelection)
        .join(Audit, Audit.id == ModerationSelection.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .join(Team, Team.id == Case.team_id)
        .join(auditor, auditor.id == Audit.auditor_id)
        .outerjoin(moderator, moderator.id == ModerationSelection.moderator_id)
        .where(Audit.status.in_(QUEUE_STATUSES), team_scope(user))
        .order_by(Audit.submitted_at, Audit.id)
        .limit(limit)
        .offset(offset)
    )
    return [
        QueueRow(*row[:10], wrote_it=bool(row[10]), overdue=row[5] < today)
        for row in session.execute(query)
    ]


def visible_selection(session: Session, user: User, audit_id: int) -> ModerationSelection | None:
    """Return the audit's selection when the user may see the audit as a moderator."""
    if not user.has_role(*MANAGING_ROLES):
        return None
    query = (
        select(ModerationSelection)
        .join(Audit, Audit.id == ModerationSelection.audit_id)
        .join(Case, Case.id == Audit.case_id)
        .where(ModerationSelection.audit_id == audit_id, team_scope(user))
        .options(joinedload(ModerationSelection.audit))
    )
    return session.scalar(query)


def eligible_moderators(session: Session, audit: Audit) -> list[User]:
    """Return who may be given the audit to moderate: the case team's managers, QA leads and
    admins, leaving out anyone who wrote it."""
    query = (
        select(User)
        .where(
            User.active.is_(True),
            or_(
                User.role.in_([Role.QA_LEAD.value, Role.ADMIN.value]),
                and_(
                    User.role == Role.MANAGER.value,
                    or_(User.team_id == audit.case.team_id, User.team_id.is_(None)),
                ),
            ),
            User.id != audit.auditor_id,
            ~exists().where(
                AuditEvent.audit_id == audit.id,
                AuditEvent.actor_id == User.id,
                AuditEvent.action.in_(AUTHORING_EVENTS),
            ),
        )
        .order_by(User.display_name)
    )
    return list(session.scalars(query))


def response_of(session: Session, audit_id: int) -> ModerationResponse | None:
    """Return the auditor's response to the audit's moderation, if any."""
    return session.scalar(
        select(ModerationResponse)
        .where(ModerationResponse.audit_id == audit_id)
        .options(joinedload(ModerationResponse.author))
    )


def rounds_by_newest(session: Session) -> list[AuditRound]:
    """Return every audit round, newest first."""
    return list(
        session.scalars(
            select(AuditRound).order_by(AuditRound.period_start.desc(), AuditRound.id.desc())
        )
    )
