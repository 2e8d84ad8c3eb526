"""The pack's figures, aggregated in SQL over the audits the filters and the user's role allow.

Each function returns small grouped rows; the pack's labels (grades, criteria, findings) come from
the template versions afterwards, so no loop ever runs over answers except the Data sheet's
stream. Months are calendar months of the submission time as read in England, as on the
dashboard.

Why not the dashboard's queries (``qa_app.insight.queries``): their filter holds whole months
and one team, template and round, and their criterion cells count graded and good-or-better
answers only; the pack filters by day and by several teams, templates and rounds, and shows the
share at every grade. ``tests/reports/test_pack_matches_dashboard.py`` checks that both give the
same headline and months for the same audits. The answer figures read the rollup's answer facts
where they hold the same figures (:mod:`qa_app.reports.pack_rollup`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from qa_app.display import ENGLAND, as_utc
from qa_app.models import (
    REPORTED_STATUSES,
    Action,
    Answer,
    Audit,
    AuditRound,
    Case,
    Role,
    Team,
    TemplateVersion,
    User,
)
from qa_app.reports.pack_filters import GOOD_OR_BETTER, INADEQUATE, PackFilters

FINAL_JUDGEMENT = func.coalesce(Audit.moderated_overall_judgement, Audit.overall_judgement)
FINAL_AUDIT_SCORE = func.coalesce(Audit.moderated_score, Audit.score)
FINAL_VALUE = func.coalesce(Answer.moderated_value, Answer.value)
FINAL_SCORE = func.coalesce(Answer.moderated_score, Answer.score)
MODERATED = Audit.moderated_overall_judgement.is_not(None)


def sees_every_team(user: User) -> bool:
    """Leaders read every team's de-identified figures; managers with a team read their own."""
    return user.sees_all_teams or user.has_role(Role.LEADER)


def _start_of(day: date) -> datetime:
    # In UTC: SQLite keeps times as UTC text and would compare a local time's digits.
    return datetime.combine(day, time(0), ENGLAND).astimezone(UTC)


def audit_conditions(user: User, filters: PackFilters) -> list[Any]:
    """Return the WHERE clauses (over audits joined to their case) for the pack's audits."""
    conditions: list[Any] = [Audit.status.in_(REPORTED_STATUSES)]
    if not sees_every_team(user):
        conditions.append(Case.team_id == user.team_id)
    if filters.period_start:
        conditions.append(Audit.submitted_at >= _start_of(filters.period_start))
    if filters.period_end:
        conditions.append(Audit.submitted_at < _start_of(filters.period_end + timedelta(days=1)))
    if filters.team_ids:
        conditions.append(Case.team_id.in_(filters.team_ids))
    if filters.template_keys:
        conditions.append(
            Audit.template_version_id.in_(
                select(TemplateVersion.id).where(TemplateVersion.key.in_(filters.template_keys))
            )
        )
    if filters.round_ids:
        conditions.append(Audit.round_id.in_(filters.round_ids))
    return conditions


def _audits(user: User, filters: PackFilters, *columns: Any):
    return (
        select(*columns)
        .select_from(Audit)
        .join(Case, Audit.case_id == Case.id)
        .where(*audit_conditions(user, filters))
    )


def headline_row(session: Session, user: User, filters: PackFilters) -> dict[str, Any]:
    """Return the headline counts: audits, good or better, inadequate, mean score, moderation."""
    row = session.execute(
        _audits(
            user,
            filters,
            func.count(Audit.id),
            func.sum(case((FINAL_JUDGEMENT.in_(GOOD_OR_BETTER), 1), else_=0)),
            func.sum(case((FINAL_JUDGEMENT == INADEQUATE, 1), else_=0)),
            func.avg(FINAL_AUDIT_SCORE),
            func.sum(case((MODERATED, 1), else_=0)),
            func.sum(
                case(
                    (
                        and_(
                            MODERATED, Audit.moderated_overall_judgement == Audit.overall_judgement
                        ),
                        1,
                    ),
                    else_=0,
                )
            ),
        )
    ).one()
    audits, good, inadequate, mean, moderated, agreed = row
    return {
        "audits": audits or 0,
        "good_or_better": int(good or 0),
        "inadequate": int(inadequate or 0),
        "mean_score": float(mean) if mean is not None else None,
        "moderated": int(moderated or 0),
        "agreed": int(agreed or 0),
    }


def judgement_counts(session: Session, user: User, filters: PackFilters) -> dict[str | None, int]:
    """Return audits counted by final overall judgement."""
    query = _audits(user, filters, FINAL_JUDGEMENT, func.count(Audit.id)).group_by(FINAL_JUDGEMENT)
    return {judgement: count for judgement, count in session.execute(query)}


def auditor_judgement_counts(
    session: Session, user: User, filters: PackFilters
) -> dict[str | None, int]:
    """Return audits counted by the auditor's own overall judgement."""
    query = _audits(user, filters, Audit.overall_judgement, func.count(Audit.id)).group_by(
        Audit.overall_judgement
    )
    return {judgement: count for judgement, count in session.execute(query)}


def england_month(session: Session, user: User, filters: PackFilters):
    """Return an SQL expression numbering the month (year * 12 + month - 1), as read in
    England, that each audit was submitted in; None for audits with no submission time.

    Portable SQL has no time zones, so the month boundaries (England's midnights, in UTC) are
    worked out here over the months the audits span, and compared in a CASE.
    """
    first, last = session.execute(
        _audits(user, filters, func.min(Audit.submitted_at), func.max(Audit.submitted_at))
    ).one()
    if first is None:
        return literal(None)
    first, last = as_utc(first).astimezone(ENGLAND), as_utc(last).astimezone(ENGLAND)
    index = first.year * 12 + first.month - 1
    whens = []
    while index <= last.year * 12 + last.month - 1:
        after = index + 1
        boundary = datetime(after // 12, after % 12 + 1, 1, tzinfo=ENGLAND).astimezone(UTC)
        whens.append((Audit.submitted_at < boundary, literal(index)))
        index = after
    return case(*whens, else_=literal(None))


def _year_month(index: int) -> tuple[int, int]:
    return index // 12, index % 12 + 1


def month_counts(
    session: Session, user: User, filters: PackFilters
) -> list[tuple[int, int, int, int]]:
    """Return (year, month, audits, good or better) by month submitted (in England), oldest
    first, as the dashboard counts them."""
    month = england_month(session, user, filters).label("month")
    query = (
        _audits(
            user,
            filters,
            month,
            func.count(Audit.id),
            func.sum(case((FINAL_JUDGEMENT.in_(GOOD_OR_BETTER), 1), else_=0)),
        )
        .where(Audit.submitted_at.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    return [(*_year_month(m), n, int(g or 0)) for m, n, g in session.execute(query)]


def team_judgement_counts(
    session: Session, user: User, filters: PackFilters
) -> list[tuple[str, str | None, int]]:
    """Return (team, final overall judgement, audits), by team name."""
    query = (
        _audits(user, filters, Team.name, FINAL_JUDGEMENT, func.count(Audit.id))
        .join(Team, Case.team_id == Team.id)
        .group_by(Team.name, FINAL_JUDGEMENT)
        .order_by(Team.name)
    )
    return list(session.execute(query))


def answer_figures(
    session: Session, user: User, filters: PackFilters, *where: Any
) -> list[tuple[int, str, str, str, int | None, int | None, int, int, float | None]]:
    """Return (version id, criterion key, trend key, final value, year, month, answers, scored
    answers, summed final score) for every answer with a value, months as read in England
    (None without a submission time); ``where`` narrows the audits further.

    One pass over the answers gives both the grade counts (By criterion) and the scores by
    month (Inspection findings): the answers are the one large table the pack reads.
    """
    month = england_month(session, user, filters).label("month")
    query = (
        _audits(
            user,
            filters,
            Audit.template_version_id,
            Answer.criterion_key,
            Answer.lineage_key,
            FINAL_VALUE,
            month,
            func.count(Answer.id),
            func.count(FINAL_SCORE),
            func.sum(FINAL_SCORE),
        )
        .join(Answer, Answer.audit_id == Audit.id)
        .where(FINAL_VALUE.is_not(None), *where)
        .group_by(
            Audit.template_version_id, Answer.criterion_key, Answer.lineage_key, FINAL_VALUE, month
        )
    )
    return [
        (v, k, t, value, *(_year_month(m) if m is not None else (None, None)), n, scored, s)
        for v, k, t, value, m, n, scored, s in session.execute(query)
    ]


def moderation_pairs(
    session: Session, user: User, filters: PackFilters
) -> list[tuple[str | None, str, int]]:
    """Return (auditor's overall judgement, moderator's, audits) for moderated audits."""
    query = (
        _audits(
            user,
            filters,
            Audit.overall_judgement,
            Audit.moderated_overall_judgement,
            func.count(Audit.id),
        )
        .where(MODERATED)
        .group_by(Audit.overall_judgement, Audit.moderated_overall_judgement)
    )
    return list(session.execute(query))


def action_counts(
    session: Session, user: User, filters: PackFilters, today: date
) -> list[tuple[str, str, str, bool, int]]:
    """Return (priority, scope, status, overdue, actions) for the actions of the pack's audits."""
    overdue = and_(Action.status == "open", Action.due_date < today)
    overdue_flag = case((overdue, literal(1)), else_=literal(0))
    query = (
        _audits(
            user,
            filters,
            Action.priority,
            Action.scope,
            Action.status,
            overdue_flag,
            func.count(Action.id),
        )
        .join(Action, Action.audit_id == Audit.id)
        .group_by(Action.priority, Action.scope, Action.status, overdue_flag)
    )
    return [(p, s, st, bool(o), n) for p, s, st, o, n in session.execute(query)]


def template_versions(session: Session, user: User, filters: PackFilters) -> list[TemplateVersion]:
    """Return the template versions of the pack's audits, by key and version."""
    ids = _audits(user, filters, Audit.template_version_id).distinct()
    return list(
        session.scalars(
            select(TemplateVersion)
            .where(TemplateVersion.id.in_(ids))
            .order_by(TemplateVersion.key, TemplateVersion.version)
        )
    )


def data_row_count(session: Session, user: User, filters: PackFilters) -> int:
    """Return the Data sheet's rows: every answer, and one overall judgement row per audit."""
    answers = session.scalar(
        _audits(user, filters, func.count(Answer.id)).join(Answer, Answer.audit_id == Audit.id)
    )
    audits = session.scalar(_audits(user, filters, func.count(Audit.id)))
    return (answers or 0) + (audits or 0)


def audit_records(
    session: Session, user: User, filters: PackFilters, case_level: bool
) -> Iterator[Any]:
    """Yield each audit's Data sheet fields, by audit id, streamed."""
    columns = [
        Audit.id,
        Audit.template_version_id,
        Team.name.label("team"),
        Case.case_type,
        AuditRound.name.label("round"),
        Audit.submitted_at,
        Audit.status,
        Audit.overall_judgement,
        FINAL_JUDGEMENT.label("final_judgement"),
        Audit.score,
        FINAL_AUDIT_SCORE.label("final_score"),
        MODERATED.label("moderated"),
    ]
    if case_level:
        columns += [Case.reference, Audit.overall_rationale]
    query = (
        _audits(user, filters, *columns)
        .join(Team, Case.team_id == Team.id)
        .outerjoin(AuditRound, Audit.round_id == AuditRound.id)
        .order_by(Audit.id)
        .execution_options(yield_per=2000)
    )
    yield from session.execute(query)


def answer_records(
    session: Session, user: User, filters: PackFilters, case_level: bool
) -> Iterator[Any]:
    """Yield each answer's Data sheet fields, by audit id then answer id, streamed."""
    columns = [
        Answer.audit_id,
        Answer.section_key,
        Answer.criterion_key,
        Answer.lineage_key,
        Answer.value,
        FINAL_VALUE.label("final_value"),
        Answer.score,
        FINAL_SCORE.label("final_score"),
    ]
    if case_level:
        columns.append(Answer.rationale)
    query = (
        _audits(user, filters, *columns)
        .join(Answer, Answer.audit_id == Audit.id)
        .order_by(Answer.audit_id, Answer.id)
        .execution_options(yield_per=5000)
    )
    yield from session.execute(query)
