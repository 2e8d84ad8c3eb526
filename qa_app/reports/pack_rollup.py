"""The pack's answer figures, read from the insight rollup wherever it holds the same figures.

``insight_answer_facts`` keeps one narrow row per graded answer (scale criteria and section
judgements) with its England month already worked out, kept current in the transaction that
changes an audit. Reading it instead of the answers saves the per-answer month CASE and the wide
answer rows of the summary sheets' one large aggregate. The pack's own filters still choose the
audits (by day, several teams, templates and rounds); the facts are joined to them by audit.

The facts give the answers' own figures for an audit that has facts, a submission time (the
rollup dates an undated audit by its creation) and no moderation (the facts score a moderated
answer by its moderated score alone, the pack by the moderated score or else the auditor's). The
pack reads only graded answers from these figures (By criterion and Inspection findings skip
criteria without a scale), and a section judgement's answer keeps no score (the facts score it
from its scale), so the facts' judgement scores are left out. Every other audit (most often the
moderated tenth, or every audit when the rollup was never built) is counted from its answers,
and the two parts are added together.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, or_
from sqlalchemy.orm import Session

from qa_app.models import Audit, InsightAnswerFact, InsightAuditFact, User
from qa_app.reports import pack_queries as q
from qa_app.reports.pack_filters import PackFilters

FigureRow = tuple[int, str, str, str, int | None, int | None, int, int, float | None]


def answer_figures(session: Session, user: User, filters: PackFilters) -> list[FigureRow]:
    """Return :func:`pack_queries.answer_figures` for the graded answers: from the rollup for
    the audits it covers alike, from the answers for the others."""
    no_fact = ~Audit.id.in_(
        q._audits(user, filters, InsightAuditFact.audit_id).join(
            InsightAuditFact, InsightAuditFact.audit_id == Audit.id
        )
    )
    from_answers = or_(Audit.submitted_at.is_(None), q.MODERATED, no_fact)
    rows = q.answer_figures(session, user, filters, from_answers)
    return _added(rows + _fact_figures(session, user, filters))


def _fact_figures(session: Session, user: User, filters: PackFilters) -> list[FigureRow]:
    # A criterion keeps one trend key in a template version, so the trend key is read with
    # MIN and MAX rather than sorted on (a narrower GROUP BY); grouped on when they differ.
    rows = session.execute(_fact_query(user, filters, by_trend_key=False)).all()
    if any(low != high for *_, low, high in rows):
        rows = session.execute(_fact_query(user, filters, by_trend_key=True)).all()
    return [
        (v, k, low, value, month.year, month.month, n, scored, s)
        for v, k, value, month, n, scored, s, low, _ in rows
    ]


def _fact_query(user: User, filters: PackFilters, by_trend_key: bool):
    fact = InsightAnswerFact
    score = case((fact.is_judgement == 1, None), else_=fact.final_score)
    keys = [Audit.template_version_id, fact.criterion_key, fact.final_value, fact.month]
    return (
        q._audits(
            user,
            filters,
            *keys,
            func.count(fact.id),
            func.count(score),
            func.sum(score),
            func.min(fact.lineage_key),
            func.max(fact.lineage_key),
        )
        .join(fact, fact.audit_id == Audit.id)
        .where(
            fact.final_value.is_not(None),
            Audit.submitted_at.is_not(None),
            q.MODERATED.is_(False),
        )
        .group_by(*keys, *([fact.lineage_key] if by_trend_key else []))
    )


def _added(rows: list[FigureRow]) -> list[FigureRow]:
    totals: dict[tuple, list[Any]] = {}
    for *key, answers, scored, score_sum in rows:
        total = totals.setdefault(tuple(key), [0, 0, None])
        total[0] += answers
        total[1] += scored
        if score_sum is not None:
            total[2] = (total[2] or 0.0) + score_sum
    return [(*key, *total) for key, total in totals.items()]
