"""Read-only questions about audit rounds and the cases they may draw, each one SQL query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import case, func, literal, select, union_all
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
from qa_app.sampling.draw import AUDITED_RECENTLY, CLOSED, ELIGIBLE, SampledCase
from qa_app.sampling.rule import SamplingRule, months_before

# Audits still on an auditor's desk: they count towards how busy the auditor is.
OPEN_STATUSES = (AuditStatus.ASSIGNED.value, AuditStatus.DRAFT.value, AuditStatus.RETURNED.value)
SUBMITTED_STATUSES = REPORTED_STATUSES
AUDITING_ROLES = (Role.AUDITOR.value, Role.MANAGER.value)


@dataclass(frozen=True)
class CandidatePool:
    """Every case of the teams a rule samples, each marked eligible or why not, and team names."""

    candidates: list[tuple]  # laid out as Candidate
    team_names: dict[int, str]


def sampling_pool(session: Session, rule: SamplingRule, today: date) -> CandidatePool:
    """Return the cases of the rule's teams, marked by the rule's exclusions as of ``today``.

    The database does the marking, so only plain tuples cross to Python and no date is parsed:
    a case is closed when its closing date is on or before today, and audited recently when it
    is among one set of case ids, those with an audit started on or after the cutoff date (or
    drawn, not yet assigned, in a round created since). ``IN`` that set is answered as a hash
    (PostgreSQL) or a temporary index (SQLite) built once, not looked up per case.
    Closed and recently audited cases are returned too, so the draw can count what it left out.
    """
    cutoff = months_before(today, rule.exclude_audited_within_months)
    # Timestamps are stored in UTC: a case audited at any time on the cutoff day is recent.
    since = datetime(cutoff.year, cutoff.month, cutoff.day, tzinfo=UTC)
    drawn = (
        select(RoundCase.case_id)
        .join(AuditRound, AuditRound.id == RoundCase.round_id)
        .where(RoundCase.audit_id.is_(None), AuditRound.created_at >= since)
    )
    audited_since = union_all(select(Audit.case_id).where(Audit.created_at >= since), drawn)
    conditions = []
    if rule.exclude_closed:
        conditions.append((Case.closed_on <= today, literal(CLOSED)))
    if rule.exclude_audited_within_months > 0:
        conditions.append((Case.id.in_(audited_since), literal(AUDITED_RECENTLY)))
    excluded = case(*conditions, else_=literal(ELIGIBLE)) if conditions else literal(ELIGIBLE)
    query = select(Case.id, Case.reference, Case.team_id, Case.case_type, excluded)
    names = select(Team.id, Team.name)
    if rule.teams is not None:
        query = query.where(Case.team_id.in_(rule.teams))
        names = names.where(Team.id.in_(rule.teams))
    connection = session.connection()
    # A council may hold 100,000 cases: the driver's own rows are the candidates (plain tuples
    # of ints and strings in Candidate's field order, which need no conversion), skipping
    # SQLAlchemy's per-row result handling and a second tuple per case.
    result = connection.execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return CandidatePool(rows, dict(connection.execute(names).all()))


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


def waiting_cases(session: Session, round_id: int) -> list[SampledCase]:
    """Return the round's drawn cases not yet assigned, as plain rows (a round may hold
    thousands), in stratum and reference order."""
    query = (
        select(
            Case.id,
            Case.reference,
            Case.team_id,
            Team.name,
            Case.case_type,
            RoundCase.stratum,
        )
        .join(Case, Case.id == RoundCase.case_id)
        .join(Team, Team.id == Case.team_id)
        .where(RoundCase.round_id == round_id, RoundCase.audit_id.is_(None))
        .order_by(RoundCase.stratum, Case.reference)
    )
    return [SampledCase(*row) for row in session.connection().execute(query)]


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
