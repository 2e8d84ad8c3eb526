"""The month-level aggregate tables of the insight rollup, summed from the fact tables in SQL.

A cell is a (month, team, case type, template version, round) place. Whenever one of a cell's
audits changes, ``recompute_cells`` deletes and re-sums its rows in both aggregate tables (the
criterion months from the answer facts, the audit months from the audit facts); a rebuild sums
every cell with the same INSERT ... SELECT statements.
"""

from __future__ import annotations

from datetime import date
from typing import Any

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

AUDIT_GROUP_COLUMNS = (
    *CELL_COLUMNS,
    "due_month",
    "moderated",
    "auditor_judgement",
    "final_judgement",
)


def _summed_insert(fact, table, groups: tuple[str, ...], sums: dict[str, Any], where):
    """Return the INSERT ... SELECT grouping ``fact`` rows by ``groups`` into ``table``, each
    column of ``sums`` (table column: aggregate over the fact) filled by its aggregate."""
    group_columns = [getattr(fact, name) for name in groups]
    query = select(*group_columns, *sums.values()).group_by(*group_columns)
    if where is not None:
        query = query.where(where)
    return insert(table).from_select([*groups, *sums], query)


def _sum(column) -> Any:
    """The sum of a column, 0 (or 0.0) rather than NULL when no row has a value."""
    return func.coalesce(func.sum(column), 0.0 if column.type.python_type is float else 0)


def criterion_month_insert(where: ColumnElement[bool] | None):
    """Return the INSERT ... SELECT summing answer facts into the aggregate table."""
    fact = InsightAnswerFact
    return _summed_insert(
        fact,
        InsightCriterionMonth,
        GROUP_COLUMNS,
        {
            "answers": func.count(fact.id),
            "auditor_graded": func.count(fact.auditor_score),
            "auditor_good": _sum(fact.auditor_good),
            "auditor_score_sum": _sum(fact.auditor_score),
            "final_graded": func.count(fact.final_score),
            "final_good": _sum(fact.final_good),
            "final_score_sum": _sum(fact.final_score),
            "not_applicable": _sum(fact.not_applicable),
            "not_asked": _sum(fact.not_asked),
        },
        where,
    )


def audit_month_insert(where: ColumnElement[bool] | None):
    """Return the INSERT ... SELECT counting audit facts into the audit month table."""
    fact = InsightAuditFact
    return _summed_insert(
        fact,
        InsightAuditMonth,
        AUDIT_GROUP_COLUMNS,
        {
            "audits": func.count(fact.audit_id),
            "auditor_good": _sum(fact.auditor_good),
            "final_good": _sum(fact.final_good),
            "auditor_inadequate": _sum(fact.auditor_inadequate),
            "final_inadequate": _sum(fact.final_inadequate),
            "auditor_scored": func.count(fact.auditor_score),
            "auditor_score_sum": _sum(fact.auditor_score),
            "final_scored": func.count(fact.final_score),
            "final_score_sum": _sum(fact.final_score),
        },
        where,
    )
