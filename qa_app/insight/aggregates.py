"""The month-level aggregate tables of the insight rollup, summed from the fact tables in SQL.

A cell is a (month, team, case type, template version, round) place. Whenever one of a cell's
audits changes, ``recompute_cells`` deletes and re-sums its rows in both aggregate tables (the
criterion months from the answer facts, the audit months from the audit facts); a rebuild sums
every cell with the same INSERT ... SELECT statements.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from qa_app.models import (
    InsightAnswerFact,
    InsightAuditFact,
    InsightAuditMonth,
    InsightCriterionMonth,
)

# The columns that place a fact in a month-level cell of the aggregate tables.
CELL_COLUMNS = ("month", "team_id", "case_type", "template_key", "template_version", "round_id")
Cell = tuple[date, int, str | None, str, int, int | None]


def cells_of(session: Session, where: ColumnElement[bool]) -> set[Cell]:
    columns = [getattr(InsightAuditFact, name) for name in CELL_COLUMNS]
    return {tuple(row) for row in session.execute(select(*columns).where(where).distinct())}


def _cell_condition(model, cells: set[Cell]) -> ColumnElement[bool]:
    return or_(
        *[
            and_(
                *[
                    getattr(model, name).is_not_distinct_from(value)
                    for name, value in zip(CELL_COLUMNS, cell, strict=True)
                ]
            )
            for cell in cells
        ]
    )


def recompute_cells(session: Session, cells: set[Cell]) -> None:
    if not cells:
        return
    ordered = sorted(cells, key=repr)
    for start in range(0, len(ordered), 50):
        chunk = set(ordered[start : start + 50])
        session.execute(
            delete(InsightCriterionMonth).where(_cell_condition(InsightCriterionMonth, chunk))
        )
        session.execute(criterion_month_insert(_cell_condition(InsightAnswerFact, chunk)))
        session.execute(delete(InsightAuditMonth).where(_cell_condition(InsightAuditMonth, chunk)))
        session.execute(audit_month_insert(_cell_condition(InsightAuditFact, chunk)))


GROUP_COLUMNS = (*CELL_COLUMNS, "section_key", "criterion_key", "lineage_key", "is_judgement")


def criterion_month_insert(where: ColumnElement[bool] | None):
    """Return the INSERT ... SELECT summing answer facts into the aggregate table."""
    fact = InsightAnswerFact
    groups = [getattr(fact, name) for name in GROUP_COLUMNS]
    query = select(
        *groups,
        func.count(fact.id),
        func.count(fact.auditor_score),
        func.coalesce(func.sum(fact.auditor_good), 0),
        func.coalesce(func.sum(fact.auditor_score), 0.0),
        func.count(fact.final_score),
        func.coalesce(func.sum(fact.final_good), 0),
        func.coalesce(func.sum(fact.final_score), 0.0),
        func.coalesce(func.sum(fact.not_applicable), 0),
        func.coalesce(func.sum(fact.not_asked), 0),
    ).group_by(*groups)
    if where is not None:
        query = query.where(where)
    return insert(InsightCriterionMonth).from_select(
        [
            *GROUP_COLUMNS,
            "answers",
            "auditor_graded",
            "auditor_good",
            "auditor_score_sum",
            "final_graded",
            "final_good",
            "final_score_sum",
            "not_applicable",
            "not_asked",
        ],
        query,
    )


AUDIT_GROUP_COLUMNS = (
    *CELL_COLUMNS,
    "due_month",
    "moderated",
    "auditor_judgement",
    "final_judgement",
)


def audit_month_insert(where: ColumnElement[bool] | None):
    """Return the INSERT ... SELECT counting audit facts into the audit month table."""
    fact = InsightAuditFact
    groups = [getattr(fact, name) for name in AUDIT_GROUP_COLUMNS]
    query = select(
        *groups,
        func.count(fact.audit_id),
        func.coalesce(func.sum(fact.auditor_good), 0),
        func.coalesce(func.sum(fact.final_good), 0),
        func.coalesce(func.sum(fact.auditor_inadequate), 0),
        func.coalesce(func.sum(fact.final_inadequate), 0),
        func.count(fact.auditor_score),
        func.coalesce(func.sum(fact.auditor_score), 0.0),
        func.count(fact.final_score),
        func.coalesce(func.sum(fact.final_score), 0.0),
    ).group_by(*groups)
    if where is not None:
        query = query.where(where)
    return insert(InsightAuditMonth).from_select(
        [
            *AUDIT_GROUP_COLUMNS,
            "audits",
            "auditor_good",
            "final_good",
            "auditor_inadequate",
            "final_inadequate",
            "auditor_scored",
            "auditor_score_sum",
            "final_scored",
            "final_score_sum",
        ],
        query,
    )
