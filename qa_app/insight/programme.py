"""Dashboard panels about the work around audits: follow-up (actions and safeguarding concerns),
the audit programme (due, overdue, submitted, moderated) and moderation agreement. Plain
dataclasses for an InsightFilter, no Flask; counts in SQL.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import case, func, literal_column, select
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
    AuditStatus,
    Case,
    InsightAuditMonth,
    SafeguardingConcern,
    TemplateVersion,
)

# The statuses before submission: assigned, draft and returned audits, the work in hand.
UNREPORTED_STATUSES = tuple(s.value for s in AuditStatus if s.value not in REPORTED_STATUSES)


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


def round_names(session: Session) -> list[tuple[int, str]]:
    """Return every audit round's id and name, newest first, read once per database session
    (the programme panel and the filters both name rounds)."""
    rounds = session.info.get("insight_round_names")
    if rounds is None:
        rounds = session.info["insight_round_names"] = list(
            session.execute(
                select(AuditRound.id, AuditRound.name).order_by(AuditRound.period_start.desc())
            ).all()
        )
    return rounds


def _narrows(f: InsightFilter) -> bool:
    """Return whether the filter narrows audits (so a query must join them)."""
    return any(
        value is not None
        for value in (
            f.scope_team_ids,
            f.team_id,
            f.case_type,
            f.round_id,
            f.template_key,
            f.version_from,
            f.version_to,
        )
    )


def _month_index(moment, ends: list[datetime], low: int = 0, high: int | None = None):
    """Return a CASE giving the index of the month (by the months' ends) a moment in the period
    falls in: nested halves, so a row is compared about log2(months) times, not once a month."""
    high = len(ends) if high is None else high
    if high - low == 1:
        return literal_column(str(low))
    middle = (low + high) // 2
    return case(
        (moment < ends[middle - 1], _month_index(moment, ends, low, middle)),
        else_=_month_index(moment, ends, middle, high),
    )


def _in_period_month(moment, start: datetime, ends: list[datetime]):
    """Return a CASE giving the month index of a moment in the period, NULL outside it."""
    return case(
        (moment.is_(None), None),
        (moment < start, None),
        (moment >= ends[-1], None),
        else_=_month_index(moment, ends),
    )


def _actions_summary(session: Session, f: InsightFilter, bounds, today: date):
    """Return actions raised and completed in each month, and how many are open, open and
    overdue, and done now, from one pass over the filter's actions (a narrowing filter joins
    them to their audits once)."""
    start, ends = bounds[0][1], [end for _, _, end in bounds]
    is_open = Action.status == ActionStatus.OPEN.value
    per_action = select(
        _in_period_month(Action.created_at, start, ends).label("raised"),
        _in_period_month(Action.completed_at, start, ends).label("completed"),
        case((is_open, 1), else_=0).label("open"),
        case((is_open & (Action.due_date < today), 1), else_=0).label("overdue"),
        case((Action.status == ActionStatus.DONE.value, 1), else_=0).label("done"),
    ).select_from(Action)
    # Grouped in an outer query so the month CASEs are not repeated in GROUP BY.
    inner = _scoped_actions(per_action, f).subquery()
    rows = session.execute(
        select(
            inner.c.raised,
            inner.c.completed,
            func.count(),
            func.sum(inner.c.open),
            func.sum(inner.c.overdue),
            func.sum(inner.c.done),
        ).group_by(inner.c.raised, inner.c.completed)
    ).all()
    raised, completed = [0] * len(bounds), [0] * len(bounds)
    now = [0, 0, 0]  # open, overdue, done
    for raised_index, completed_index, count, *flags in rows:
        if raised_index is not None:
            raised[int(raised_index)] += count
        if completed_index is not None:
            completed[int(completed_index)] += count
        now = [total + (flag or 0) for total, flag in zip(now, flags, strict=True)]
    return raised, completed, now


def _scoped_actions(query, f: InsightFilter):
    """Narrow a query on actions to the filter's audits (joining them only when it must)."""
    if not _narrows(f):
        return query
    return _audit_scope(
        query.join(Audit, Audit.id == Action.audit_id).join(Case, Case.id == Audit.case_id), f
    )


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
    raised, completed, (open_, overdue, done) = _actions_summary(session, f, bounds, today)
    months = [ActionMonth(m, raised[i], completed[i]) for i, (m, _, _) in enumerate(bounds)]
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
        open=open_,
        overdue=overdue,
        done=done,
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
    submitted), submitted and moderated.

    Submitted audits are counted from the rollup by the month they were due; the audits not yet
    submitted (the work in hand, a small part of a year's audits) are counted live, since their
    creation and assignment do not pass through the rollup."""
    agg = InsightAuditMonth
    reported_rows = session.execute(
        apply_filter(
            select(
                agg.round_id,
                agg.team_id,
                func.sum(agg.audits),
                func.sum(case((agg.moderated == 1, agg.audits), else_=0)),
            ).group_by(agg.round_id, agg.team_id),
            agg,
            f,
            by_due_month=True,
        )
    ).all()
    in_hand = Audit.status.in_(UNREPORTED_STATUSES)
    open_rows = session.execute(
        _audit_scope(
            select(
                Audit.round_id,
                Case.team_id,
                func.count(Audit.id),
                func.sum(case((Audit.due_date < today, 1), else_=0)),
                func.sum(case((Audit.moderated_at.is_not(None), 1), else_=0)),
            )
            .join(Case, Case.id == Audit.case_id)
            .where(in_hand, Audit.due_date >= f.start, Audit.due_date < f.end_exclusive)
            .group_by(Audit.round_id, Case.team_id),
            f,
        )
    ).all()
    counts: dict[tuple[int | None, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for round_id, team_id, audits, moderated in reported_rows:
        figures = counts[(round_id, team_id)]
        figures[0] += audits or 0
        figures[2] += audits or 0
        figures[3] += moderated or 0
    for round_id, team_id, audits, overdue, moderated in open_rows:
        figures = counts[(round_id, team_id)]
        figures[0] += audits or 0
        figures[1] += overdue or 0
        figures[3] += moderated or 0
    counts = {key: value for key, value in counts.items() if value[0]}
    names = team_names(session, {team_id for _, team_id in counts})
    round_ids = {round_id for round_id, _ in counts if round_id is not None}
    rounds = {round_id: name for round_id, name in round_names(session) if round_id in round_ids}
    result = [
        ProgrammeRow(
            round_id=round_id,
            round=rounds.get(round_id, "Outside a round") if round_id else "Outside a round",
            team_id=team_id,
            team=names.get(team_id, f"Team {team_id}"),
            audits=audits,
            overdue=overdue,
            submitted=submitted,
            moderated=moderated,
        )
        for (round_id, team_id), (audits, overdue, submitted, moderated) in counts.items()
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
    agg = InsightAuditMonth
    moderated_audits = case((agg.moderated == 1, agg.audits), else_=0)
    rows = session.execute(
        apply_filter(
            select(
                agg.auditor_judgement,
                agg.final_judgement,
                func.sum(moderated_audits),
                func.sum(agg.audits),
            ).group_by(agg.auditor_judgement, agg.final_judgement),
            agg,
            f,
        )
    ).all()
    reported = sum(total for *_, total in rows)
    rows = [(a, b, count) for a, b, count, _ in rows if count]
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
