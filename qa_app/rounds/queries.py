"""Read-only questions about audit rounds and the cases they may draw, each one SQL query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import case, func, select, union_all
from sqlalchemy.orm import Session, joinedload

from qa_app.models import (
    REPORTED_STATUSES,
    Audit,
    AuditRound,
    AuditStatus,
    Case,
    Role,
    RoundCase,
    Team,
    TemplateVersion,
    User,
)
from qa_app.sampling.draw import EligibleCase

# Audits still on an auditor's desk: they count towards how busy the auditor is.
OPEN_STATUSES = (AuditStatus.ASSIGNED.value, AuditStatus.DRAFT.value, AuditStatus.RETURNED.value)
SUBMITTED_STATUSES = REPORTED_STATUSES
AUDITING_ROLES = (Role.AUDITOR.value, Role.MANAGER.value)
CANDIDATE_BATCH = 5_000


def sampling_candidates(session: Session, teams: list[int] | None = None) -> list[EligibleCase]:
    """Return every case of the teams (all teams when None) with the date it was last audited.

    Closed and recently audited cases are included so the draw can say how many it left out.
    One query: the audits are grouped by case first (there are far fewer audits than cases, so
    SQLite does about half the work of grouping the joined rows), then outer-joined to the cases.
    """
    # A case drawn in a confirmed round but not yet assigned has no audit yet; it counts as
    # audited when its round was created, so the next round does not draw it again.
    drawn = (
        select(RoundCase.case_id.label("case_id"), AuditRound.created_at.label("at"))
        .join(AuditRound, AuditRound.id == RoundCase.round_id)
        .where(RoundCase.audit_id.is_(None))
    )
    activity = union_all(
        select(Audit.case_id.label("case_id"), Audit.created_at.label("at")), drawn
    ).subquery()
    latest = (
        select(activity.c.case_id, func.max(activity.c.at).label("last_audited"))
        .group_by(activity.c.case_id)
        .subquery()
    )
    query = (
        select(
            Case.id,
            Case.reference,
            Case.team_id,
            Team.name,
            Case.case_type,
            Case.closed_on,
            latest.c.last_audited,
        )
        .join(Team, Team.id == Case.team_id)
        .outerjoin(latest, latest.c.case_id == Case.id)
    )
    if teams is not None:
        query = query.where(Case.team_id.in_(teams))
    return [
        EligibleCase(case_id, reference, team_id, team_name, case_type, closed_on, _as_date(last))
        for case_id, reference, team_id, team_name, case_type, closed_on, last in session.execute(
            # Fetched in batches so the raw rows and the built cases are not all held at once.
            query.execution_options(yield_per=CANDIDATE_BATCH)
        )
    ]


def _as_date(value: datetime | date | str | None) -> date | None:
    # SQLite hands back max() of a timestamp as text when the driver cannot see the column type.
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value).date()
    if isinstance(value, datetime):
        return value.date()
    return value


@dataclass(frozen=True)
class RoundSummary:
    id: int
    name: str
    template: str
    period_start: date
    period_end: date
    due_date: date
    status: str
    drawn: int
    assigned: int
    submitted: int


def round_summaries(session: Session) -> list[RoundSummary]:
    """Return every round, newest first, with its cases drawn, assigned and submitted counted."""
    submitted = func.coalesce(func.sum(case((Audit.status.in_(SUBMITTED_STATUSES), 1), else_=0)), 0)
    query = (
        select(
            AuditRound.id,
            AuditRound.name,
            TemplateVersion.title,
            TemplateVersion.version,
            AuditRound.period_start,
            AuditRound.period_end,
            AuditRound.due_date,
            AuditRound.status,
            func.count(RoundCase.id),
            func.count(RoundCase.audit_id),
            submitted,
        )
        .join(TemplateVersion, TemplateVersion.id == AuditRound.template_version_id)
        .outerjoin(RoundCase, RoundCase.round_id == AuditRound.id)
        .outerjoin(Audit, Audit.id == RoundCase.audit_id)
        .group_by(
            AuditRound.id,
            AuditRound.name,
            TemplateVersion.title,
            TemplateVersion.version,
            AuditRound.period_start,
            AuditRound.period_end,
            AuditRound.due_date,
            AuditRound.status,
        )
        .order_by(AuditRound.period_start.desc(), AuditRound.id.desc())
    )
    return [
        RoundSummary(
            id=row[0],
            name=row[1],
            template=f"{row[2]} (version {row[3]})",
            period_start=row[4],
            period_end=row[5],
            due_date=row[6],
            status=row[7],
            drawn=row[8],
            assigned=row[9],
            submitted=int(row[10]),
        )
        for row in session.execute(query)
    ]


def get_round(session: Session, round_id: int) -> AuditRound | None:
    """Return the round with its template version loaded, or None."""
    return session.scalar(
        select(AuditRound)
        .options(joinedload(AuditRound.template_version))
        .where(AuditRound.id == round_id)
    )


def drawn_cases(
    session: Session, round_id: int, *, unassigned_only: bool = False
) -> list[RoundCase]:
    """Return the round's drawn cases in stratum and reference order, with case, team, audit and
    auditor loaded for display."""
    query = (
        select(RoundCase)
        .join(Case, Case.id == RoundCase.case_id)
        .options(
            joinedload(RoundCase.case).joinedload(Case.team),
            joinedload(RoundCase.audit).joinedload(Audit.auditor),
        )
        .where(RoundCase.round_id == round_id)
        .order_by(RoundCase.stratum, Case.reference)
    )
    if unassigned_only:
        query = query.where(RoundCase.audit_id.is_(None))
    return list(session.scalars(query))


def possible_auditors(session: Session) -> list[User]:
    """Return the active users who may audit (auditors and managers), by name."""
    return list(
        session.scalars(
            select(User)
            .options(joinedload(User.team))
            .where(User.active.is_(True), User.role.in_(AUDITING_ROLES))
            .order_by(User.display_name, User.id)
        )
    )


def open_loads(session: Session, user_ids: list[int]) -> dict[int, int]:
    """Return how many audits each user has open (assigned, in progress or returned)."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Audit.auditor_id, func.count(Audit.id))
        .where(Audit.auditor_id.in_(user_ids), Audit.status.in_(OPEN_STATUSES))
        .group_by(Audit.auditor_id)
    )
    loads = dict.fromkeys(user_ids, 0)
    loads.update({user_id: count for user_id, count in rows})
    return loads


def template_version_by_key(
    session: Session, key: str, version: int | None = None
) -> TemplateVersion | None:
    """Return the template version with this key (the latest when no version is given), or None."""
    query = select(TemplateVersion).where(TemplateVersion.key == key)
    if version is not None:
        return session.scalar(query.where(TemplateVersion.version == version))
    return session.scalar(query.order_by(TemplateVersion.version.desc()).limit(1))


def all_teams(session: Session) -> list[Team]:
    """Return every team by name."""
    return list(session.scalars(select(Team).order_by(Team.name)))
