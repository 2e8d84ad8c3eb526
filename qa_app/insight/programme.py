"""Dashboard panels about the work around audits: follow-up (actions and safeguarding concerns),
the audit programme (due, overdue, submitted, moderated) and moderation agreement. Plain
dataclasses for an InsightFilter, no Flask; counts in SQL.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from qa_app.agreement.statistics import AgreementFigures, ConfusionTable, agreement_figures
from qa_app.display import ENGLAND, as_utc
from qa_app.insight.filters import InsightFilter, add_months
from qa_app.insight.labels import labels_for
from qa_app.insight.queries import apply_filter, team_names
from qa_app.models import (
    REPORTED_STATUSES,
    Action,
    ActionStatus,
    Audit,
    AuditRound,
    Case,
    InsightAuditFact,
    SafeguardingConcern,
    TemplateVersion,
)


def _england_midnight(day: date) -> datetime:
    """Return the UTC moment a day starts in England (months are counted on the English clock)."""
    return datetime(day.year, day.month, day.day, tzinfo=ENGLAND).astimezone(UTC)


def _audit_scope(query, f: InsightFilter):
    """Narrow a query joined to Audit and Case to the filter's teams, template, round and type."""
    if f.scope_team_ids is not None:
        query = query.where(Case.team_id.in_(f.scope_team_ids))
    if f.team_id is not None:
        query = query.where(Case.team_id == f.team_id)
    if f.case_type is not None:
        query = query.where(Case.case_type == f.case_type)
    if f.round_id is not None:
        query = query.where(Audit.round_id == f.round_id)
    if f.template_key is not None or f.version_from is not None or f.version_to is not None:
        versions = select(TemplateVersion.id)
        if f.template_key is not None:
            versions = versions.where(TemplateVersion.key == f.template_key)
        if f.version_from is not None:
            versions = versions.where(TemplateVersion.version >= f.version_from)
        if f.version_to is not None:
            versions = versions.where(TemplateVersion.version <= f.version_to)
        query = query.where(Audit.template_version_id.in_(versions))
    return query


# --- follow-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionMonth:
    month: date
    raised: int
    done: int


@dataclass(frozen=True)
class FollowUp:
    months: list[ActionMonth]
    open: int
    overdue: int
    done: int
    concerns_raised: int
    concerns_open: int
    median_response_hours: float | None


def follow_up(session: Session, f: InsightFilter, today: date) -> FollowUp:
    """Return actions raised and done by month, open and overdue now, and safeguarding concerns
    raised in the period with the median time to a manager's response."""
    bounds = [(m, _england_midnight(m), _england_midnight(add_months(m, 1))) for m in f.months]
    columns = []
    for _, start, end in bounds:
        columns.append(
            func.sum(case((and_(Action.created_at >= start, Action.created_at < end), 1), else_=0))
        )
        columns.append(
            func.sum(
                case((and_(Action.completed_at >= start, Action.completed_at < end), 1), else_=0)
            )
        )
    is_open = Action.status == ActionStatus.OPEN.value
    columns += [
        func.sum(case((is_open, 1), else_=0)),
        func.sum(case((and_(is_open, Action.due_date < today), 1), else_=0)),
        func.sum(case((Action.status == ActionStatus.DONE.value, 1), else_=0)),
    ]
    query = select(*columns).select_from(Action).join(Audit, Audit.id == Action.audit_id)
    row = session.execute(_audit_scope(query.join(Case, Case.id == Audit.case_id), f)).one()
    values = [v or 0 for v in row]
    months = [
        ActionMonth(m, values[2 * i], values[2 * i + 1]) for i, (m, _, _) in enumerate(bounds)
    ]
    period_start, period_end = bounds[0][1], bounds[-1][2]
    concerns = (
        select(SafeguardingConcern.raised_at, SafeguardingConcern.acknowledged_at)
        .join(Audit, Audit.id == SafeguardingConcern.audit_id)
        .join(Case, Case.id == SafeguardingConcern.case_id)
        .where(
            SafeguardingConcern.raised_at >= period_start,
            SafeguardingConcern.raised_at < period_end,
        )
    )
    # Concerns are few (dozens a year), so their times are read to take the median, which
    # SQLite cannot compute in SQL.
    times = session.execute(_audit_scope(concerns, f)).all()
    hours = [
        (as_utc(done) - as_utc(raised)).total_seconds() / 3600
        for raised, done in times
        if done is not None
    ]
    return FollowUp(
        months=months,
        open=values[-3],
        overdue=values[-2],
        done=values[-1],
        concerns_raised=len(times),
        concerns_open=sum(1 for _, done in times if done is None),
        median_response_hours=statistics.median(hours) if hours else None,
    )


# --- audit programme -------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeRow:
    round_id: int | None
    round: str
    team_id: int
    team: str
    audits: int
    overdue: int
    submitted: int
    moderated: int


def audit_programme(session: Session, f: InsightFilter, today: date) -> list[ProgrammeRow]:
    """Return audits due in the period by round and team: how many, overdue (due and not yet
    submitted), submitted and moderated."""
    reported = Audit.status.in_(REPORTED_STATUSES)
    query = (
        select(
            Audit.round_id,
            Case.team_id,
            func.count(Audit.id),
            func.sum(case((and_(~reported, Audit.due_date < today), 1), else_=0)),
            func.sum(case((reported, 1), else_=0)),
            func.sum(case((Audit.moderated_at.is_not(None), 1), else_=0)),
        )
        .join(Case, Case.id == Audit.case_id)
        .where(Audit.due_date >= f.start, Audit.due_date < f.end_exclusive)
        .group_by(Audit.round_id, Case.team_id)
    )
    rows = session.execute(_audit_scope(query, f)).all()
    names = team_names(session, {row[1] for row in rows})
    round_ids = {row[0] for row in rows if row[0] is not None}
    rounds = (
        dict(
            session.execute(
                select(AuditRound.id, AuditRound.name).where(AuditRound.id.in_(round_ids))
            ).all()
        )
        if round_ids
        else {}
    )
    result = [
        ProgrammeRow(
            round_id=round_id,
            round=rounds.get(round_id, "Outside a round") if round_id else "Outside a round",
            team_id=team_id,
            team=names.get(team_id, f"Team {team_id}"),
            audits=count,
            overdue=overdue or 0,
            submitted=submitted or 0,
            moderated=moderated or 0,
        )
        for round_id, team_id, count, overdue, submitted, moderated in rows
    ]
    return sorted(result, key=lambda r: (r.round_id is None, -(r.round_id or 0), r.team))


# --- moderation agreement --------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationAgreement:
    moderated: int  # audits moderated in the period
    reported: int  # audits reported in the period
    options: list[tuple[str, str]]  # the scale, best first
    table: ConfusionTable  # rows the auditor's overall judgement, columns the final one
    figures: AgreementFigures
    suppressed: bool


def moderation_agreement(session: Session, f: InsightFilter) -> ModerationAgreement:
    """Return how far moderators agreed with auditors' overall judgements on the audits of the
    period: exact and within-one agreement and weighted kappa, from a GROUP BY table."""
    fact = InsightAuditFact
    rows = session.execute(
        apply_filter(
            select(fact.auditor_judgement, fact.final_judgement, func.count(fact.audit_id))
            .where(fact.moderated == 1)
            .group_by(fact.auditor_judgement, fact.final_judgement),
            fact,
            f,
        )
    ).all()
    reported = session.scalar(apply_filter(select(func.count(fact.audit_id)), fact, f)) or 0
    options = labels_for(session).judgement_options()
    position = {value: index for index, (value, _) in enumerate(options)}
    cells = [
        (position[a], position[b], count) for a, b, count in rows if a in position and b in position
    ]
    table = ConfusionTable.from_cells(len(options), cells)
    moderated = sum(count for *_, count in rows)
    return ModerationAgreement(
        moderated=moderated,
        reported=reported,
        options=options,
        table=table,
        figures=agreement_figures(table),
        suppressed=0 < moderated < f.suppress_below,
    )
