"""The counts behind the agreement figures: (auditor grade, moderator grade) pairs per auditor,
template version and criterion (or overall judgement), for the moderated audits a filter picks.

Overall judgements are grouped from the audits. Criterion pairs are summed from the agreement
pair rollup (``agreement_pair_months``) for every whole UTC month the dates cover. A month only
partly covered is either grouped from the answers for its days, or read whole from the rollup
with the answers of its other days taken off (negative counts), whichever reads fewer days.
Every slice of one team (the rollup does not hold teams, which would make it as large as the
answers) is grouped from the answers themselves. Both give the same rows, which the report adds
up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from qa_app.insight.agreement_pairs import moderated_answer_conditions, moderated_audit_conditions
from qa_app.models import AgreementPairMonth, Answer, Audit, Case, TemplateVersion


@dataclass(frozen=True)
class AgreementFilters:
    since: date | None = None
    until: date | None = None
    round_id: int | None = None
    team_id: int | None = None
    template_key: str | None = None
    auditor_id: int | None = None


# (auditor id, template version id, auditor's judgement, moderated judgement, audits)
OverallRow = tuple[int, int, str | None, str | None, int]
# (auditor id, template version id, criterion key, auditor's grade, moderated grade, pairs)
CriterionRow = tuple[int, int, str, str | None, str | None, int]


def _end(filters: AgreementFilters) -> date | None:
    """The first day after the dates asked for (the filters read whole days)."""
    return None if filters.until is None else filters.until + timedelta(days=1)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _audit_conditions(
    filters: AgreementFilters, start: date | None, end: date | None
) -> list[ColumnElement[bool]]:
    conditions = moderated_audit_conditions()
    if start:
        conditions.append(Audit.moderated_at >= _moment(start))
    if end:
        conditions.append(Audit.moderated_at < _moment(end))
    if filters.round_id:
        conditions.append(Audit.round_id == filters.round_id)
    if filters.team_id:
        conditions.append(Case.team_id == filters.team_id)
    if filters.auditor_id:
        conditions.append(Audit.auditor_id == filters.auditor_id)
    if filters.template_key:
        conditions.append(TemplateVersion.key == filters.template_key)
    return conditions


def _base(query, filters: AgreementFilters, only_team: int | None, start, end):
    # Join cases and template versions only when a filter needs them.
    conditions = _audit_conditions(filters, start, end)
    if filters.team_id or only_team is not None:
        query = query.join(Case, Case.id == Audit.case_id)
        if only_team is not None:
            conditions.append(Case.team_id == only_team)
    if filters.template_key:
        query = query.join(TemplateVersion, TemplateVersion.id == Audit.template_version_id)
    return query.where(*conditions)


def overall_rows(
    session: Session, filters: AgreementFilters, only_team: int | None
) -> list[OverallRow]:
    groups = (
        Audit.auditor_id,
        Audit.template_version_id,
        Audit.overall_judgement,
        Audit.moderated_overall_judgement,
    )
    query = _base(
        select(*groups, func.count(Audit.id)), filters, only_team, filters.since, _end(filters)
    )
    return [tuple(row) for row in session.execute(query.group_by(*groups))]


def answer_rows(
    session: Session,
    filters: AgreementFilters,
    only_team: int | None,
    start: date | None,
    end: date | None,
) -> list[CriterionRow]:
    """Group the moderated answers themselves, moderated from ``start`` up to ``end``."""
    groups = (
        Audit.auditor_id,
        Audit.template_version_id,
        Answer.criterion_key,
        Answer.value,
        Answer.moderated_value,
    )
    query = _base(
        select(*groups, func.count(Answer.id))
        .select_from(Answer)
        .join(Audit, Audit.id == Answer.audit_id),
        filters,
        only_team,
        start,
        end,
    ).where(*moderated_answer_conditions())
    return [tuple(row) for row in session.execute(query.group_by(*groups))]


def rollup_rows(
    session: Session, filters: AgreementFilters, start: date | None, end: date | None
) -> list[CriterionRow]:
    """Sum the pair rollup over the whole months from ``start`` up to ``end``."""
    pair = AgreementPairMonth
    groups = (
        pair.auditor_id,
        pair.template_version_id,
        pair.criterion_key,
        pair.auditor_value,
        pair.moderated_value,
    )
    query = select(*groups, func.sum(pair.pairs))
    if start:
        query = query.where(pair.month >= start)
    if end:
        query = query.where(pair.month < end)
    if filters.round_id:
        query = query.where(pair.round_id == filters.round_id)
    if filters.auditor_id:
        query = query.where(pair.auditor_id == filters.auditor_id)
    if filters.template_key:
        versions = select(TemplateVersion.id).where(TemplateVersion.key == filters.template_key)
        query = query.where(pair.template_version_id.in_(versions))
    return [tuple(row) for row in session.execute(query.group_by(*groups))]


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _less(rows: list[CriterionRow]) -> list[CriterionRow]:
    return [(*key, -n) for *key, n in rows]


def criterion_rows(
    session: Session, filters: AgreementFilters, only_team: int | None
) -> list[CriterionRow]:
    """Return the criterion pair counts. A key may come more than once, its counts adding up;
    a count may be negative (days taken off a whole month), though no key's total is."""
    start, end = filters.since, _end(filters)
    if filters.team_id or only_team is not None:
        return answer_rows(session, filters, only_team, start, end)
    first_whole = None if start is None else (start if start.day == 1 else _next_month(start))
    after_whole = None if end is None else end.replace(day=1)
    if first_whole is not None and after_whole is not None and first_whole >= after_whole:
        return answer_rows(session, filters, None, start, end)  # no whole month
    # The rollup is read from month ``low`` up to month ``high``. A month the dates cover only
    # in part is either left out, its days counted from the answers, or read whole, the days it
    # should not count taken off: whichever counts fewer days from the answers.
    low, high = first_whole, after_whole
    added: list[tuple[date, date]] = []
    taken: list[tuple[date, date]] = []
    if start is not None and start < first_whole:
        month = start.replace(day=1)
        if (start - month).days < (first_whole - start).days:
            low = month
            taken.append((month, start))
        else:
            added.append((start, first_whole))
    if end is not None and after_whole < end:
        if (_next_month(after_whole) - end).days < (end - after_whole).days:
            high = _next_month(after_whole)
            taken.append((end, high))
        else:
            added.append((after_whole, end))
    rows = rollup_rows(session, filters, low, high)
    for first, after in added:
        rows += answer_rows(session, filters, None, first, after)
    for first, after in taken:
        rows += _less(answer_rows(session, filters, None, first, after))
    return rows
