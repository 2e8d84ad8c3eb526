"""Keep the insight rollup equal to the audits and answers it is built from.

``refresh_audits`` runs inside the transaction of whatever changed an audit (submit, return,
moderation, closing), through the ``audit_changed`` hook; ``rebuild_rollup`` empties and refills
everything. Both build the facts with the same INSERT ... SELECT statements, so they cannot
disagree. Per-answer work happens in SQL; Python only handles one row per audit and a few
statements per template version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, literal, or_, select
from sqlalchemy.orm import Session

from qa_app.display import ENGLAND, as_utc
from qa_app.insight.grading import (
    EPSILON,
    criterion_findings,
    good_threshold,
    graded_keys,
    is_good,
    is_lowest,
)
from qa_app.models import (
    REPORTED_STATUSES,
    Answer,
    Audit,
    Case,
    InsightAnswerFact,
    InsightAuditFact,
    InsightAuditMonth,
    InsightCriterionFinding,
    InsightCriterionMonth,
    TemplateVersion,
)
from qa_app.template_format.definition import NOT_APPLICABLE, TemplateDefinition

CHUNK = 2000
_definitions: dict[tuple[int, str], TemplateDefinition] = {}

# The columns that place a fact in a month-level cell of the aggregate table.
CELL_COLUMNS = ("month", "team_id", "case_type", "template_key", "template_version", "round_id")
Cell = tuple[date, int, str | None, str, int, int | None]


def month_of(moment: datetime) -> date:
    """Return the first day of the month, as read in England, that the moment falls in."""
    local = as_utc(moment).astimezone(ENGLAND)
    return date(local.year, local.month, 1)


def definitions_for(session: Session, version_ids: Iterable[int]) -> dict[int, TemplateDefinition]:
    """Return each template version's parsed definition, parsing each stored version once."""
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(TemplateVersion.id, TemplateVersion.source_hash).where(TemplateVersion.id.in_(ids))
    ).all()
    missing = [vid for vid, digest in rows if (vid, digest) not in _definitions]
    if missing:
        for vid, digest, data in session.execute(
            select(
                TemplateVersion.id, TemplateVersion.source_hash, TemplateVersion.definition_json
            ).where(TemplateVersion.id.in_(missing))
        ):
            _definitions[(vid, digest)] = TemplateDefinition.from_dict(data)
    return {vid: _definitions[(vid, digest)] for vid, digest in rows}


# --- the incremental path --------------------------------------------------------------------


def refresh_audit_on_change(session: Session, audit_id: int, change: str) -> None:
    """The ``audit_changed`` listener: bring one audit's facts up to date."""
    refresh_audits(session, [audit_id])


def refresh_audits(session: Session, audit_ids: Sequence[int]) -> None:
    """Replace the facts of these audits (dropping those no longer reported) and recompute the
    aggregate cells they were in and are now in."""
    ids = sorted(set(audit_ids))
    if not ids:
        return
    session.flush()
    old_cells = _cells_of(session, InsightAuditFact.audit_id.in_(ids))
    session.execute(delete(InsightAnswerFact).where(InsightAnswerFact.audit_id.in_(ids)))
    session.execute(delete(InsightAuditFact).where(InsightAuditFact.audit_id.in_(ids)))
    versions = _insert_audit_facts(session, Audit.id.in_(ids))
    definitions = definitions_for(session, versions)
    for version_id, definition in definitions.items():
        _insert_answer_facts(session, version_id, definition, Answer.audit_id.in_(ids))
        _ensure_findings(session, definition)
    new_cells = _cells_of(session, InsightAuditFact.audit_id.in_(ids))
    _recompute_cells(session, old_cells | new_cells)


# --- the full rebuild --------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildCounts:
    audits: int
    answers: int
    cells: int
    audit_cells: int = 0


def rebuild_rollup(session: Session) -> RebuildCounts:
    """Empty the rollup and rebuild it from every reported audit; return what it now holds."""
    session.flush()
    for table in (
        InsightAuditMonth,
        InsightCriterionMonth,
        InsightAnswerFact,
        InsightAuditFact,
        InsightCriterionFinding,
    ):
        session.execute(delete(table))
    versions = _insert_audit_facts(session, None)
    definitions = definitions_for(session, versions)
    for version_id, definition in definitions.items():
        _insert_answer_facts(session, version_id, definition, None)
    all_versions = session.scalars(select(TemplateVersion.id)).all()
    for definition in definitions_for(session, all_versions).values():
        _ensure_findings(session, definition)
    session.execute(_aggregate_insert(None))
    session.execute(_audit_month_insert(None))
    return RebuildCounts(
        audits=_count(session, InsightAuditFact.audit_id),
        answers=_count(session, InsightAnswerFact.id),
        cells=_count(session, InsightCriterionMonth.id),
        audit_cells=_count(session, InsightAuditMonth.id),
    )


def _count(session: Session, column) -> int:
    return session.scalar(select(func.count(column))) or 0


# --- building blocks -------------------------------------------------------------------------


def _insert_audit_facts(session: Session, where: ColumnElement[bool] | None) -> set[int]:
    """Insert one fact per reported audit matching ``where``; return their template versions."""
    query = (
        select(
            Audit.id,
            Audit.submitted_at,
            Audit.created_at,
            Case.team_id,
            Case.case_type,
            Audit.template_version_id,
            TemplateVersion.key,
            TemplateVersion.version,
            Audit.round_id,
            Audit.due_date,
            Audit.auditor_id,
            Audit.moderated_at,
            Audit.overall_judgement,
            Audit.moderated_overall_judgement,
            Audit.score,
            Audit.moderated_score,
        )
        .join(Audit.case)
        .join(Audit.template_version)
        .where(Audit.status.in_(REPORTED_STATUSES))
    )
    if where is not None:
        query = query.where(where)
    rows = session.execute(query).all()
    definitions = definitions_for(session, {row.template_version_id for row in rows})
    facts = []
    for row in rows:
        scale = definitions[row.template_version_id].scale(
            definitions[row.template_version_id].overall.scale
        )
        final_judgement = row.moderated_overall_judgement or row.overall_judgement
        final_score = row.moderated_score if row.moderated_score is not None else row.score
        facts.append(
            {
                "audit_id": row.id,
                "month": month_of(row.submitted_at or row.created_at),
                "team_id": row.team_id,
                "case_type": row.case_type,
                "template_key": row.key,
                "template_version": row.version,
                "round_id": row.round_id,
                "due_month": None
                if row.due_date is None
                else date(row.due_date.year, row.due_date.month, 1),
                "auditor_id": row.auditor_id,
                "moderated": int(row.moderated_at is not None),
                "auditor_judgement": row.overall_judgement,
                "final_judgement": final_judgement,
                "auditor_score": row.score,
                "final_score": final_score,
                "auditor_good": _flag(is_good(scale, _option_score(scale, row.overall_judgement))),
                "final_good": _flag(is_good(scale, _option_score(scale, final_judgement))),
                "auditor_inadequate": _flag(
                    is_lowest(scale, _option_score(scale, row.overall_judgement))
                ),
                "final_inadequate": _flag(is_lowest(scale, _option_score(scale, final_judgement))),
            }
        )
    for start in range(0, len(facts), CHUNK):
        session.execute(insert(InsightAuditFact), facts[start : start + CHUNK])
    return {row.template_version_id for row in rows}


def _option_score(scale, value: str | None) -> float | None:
    option = scale.option(value) if value else None
    return None if option is None else option.score


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _insert_answer_facts(
    session: Session,
    version_id: int,
    definition: TemplateDefinition,
    where: ColumnElement[bool] | None,
) -> None:
    """Insert the answer facts of one template version's audits, graded in SQL."""
    keys = graded_keys(definition)
    if not keys.criteria and not keys.judgements:
        return
    key = Answer.criterion_key
    final_value = func.coalesce(Answer.moderated_value, Answer.value)
    is_judgement = key.in_(list(keys.judgements))
    # A stored option with no stored score was hidden by a show-if rule: not asked.
    not_asked = and_(
        ~is_judgement,
        Answer.value.is_not(None),
        Answer.value != NOT_APPLICABLE,
        Answer.score.is_(None),
    )

    def judgement_score(value):
        whens = [
            (and_(key == jkey, value == option.value), option.score)
            for jkey, scale in keys.judgements.items()
            for option in scale.options
        ]
        return case(*whens, else_=None) if whens else literal(None)

    auditor_score = case(
        (is_judgement, judgement_score(Answer.value)), (not_asked, None), else_=Answer.score
    )
    final_score = case(
        (is_judgement, judgement_score(final_value)),
        (not_asked, None),
        (Answer.moderated_value.is_(None), Answer.score),
        else_=Answer.moderated_score,
    )
    thresholds: dict[float, list[str]] = {}
    for graded, scale in (keys.criteria | keys.judgements).items():
        thresholds.setdefault(_threshold(scale), []).append(graded)

    def good(score):
        threshold = case(*[(key.in_(group), t) for t, group in thresholds.items()], else_=None)
        return case((score.is_(None), None), (score >= threshold, 1), else_=0)

    query = (
        select(
            Answer.audit_id,
            InsightAuditFact.month,
            InsightAuditFact.team_id,
            InsightAuditFact.case_type,
            InsightAuditFact.template_key,
            InsightAuditFact.template_version,
            InsightAuditFact.round_id,
            Answer.section_key,
            key,
            Answer.lineage_key,
            case((is_judgement, 1), else_=0),
            func.substr(Answer.value, 1, 40),
            auditor_score,
            func.substr(final_value, 1, 40),
            final_score,
            good(auditor_score),
            good(final_score),
            case((final_value == NOT_APPLICABLE, 1), else_=0),
            case((not_asked, 1), else_=0),
        )
        .join(InsightAuditFact, InsightAuditFact.audit_id == Answer.audit_id)
        .join(Audit, Audit.id == Answer.audit_id)
        .where(Audit.template_version_id == version_id)
        .where(key.in_([*keys.criteria, *keys.judgements]))
    )
    if where is not None:
        query = query.where(where)
    columns = [
        "audit_id",
        *CELL_COLUMNS,
        "section_key",
        "criterion_key",
        "lineage_key",
        "is_judgement",
        "auditor_value",
        "auditor_score",
        "final_value",
        "final_score",
        "auditor_good",
        "final_good",
        "not_applicable",
        "not_asked",
    ]
    session.execute(insert(InsightAnswerFact).from_select(columns, query))


def _threshold(scale) -> float:
    return good_threshold(scale) - EPSILON


def _ensure_findings(session: Session, definition: TemplateDefinition) -> None:
    """Record which findings the version's criteria answer, once per version."""
    exists = session.scalar(
        select(InsightCriterionFinding.finding)
        .where(
            InsightCriterionFinding.template_key == definition.key,
            InsightCriterionFinding.template_version == definition.version,
        )
        .limit(1)
    )
    pairs = criterion_findings(definition)
    if exists is None and pairs:
        session.execute(
            insert(InsightCriterionFinding),
            [
                {
                    "template_key": definition.key,
                    "template_version": definition.version,
                    "criterion_key": criterion,
                    "finding": finding,
                }
                for criterion, finding in sorted(set(pairs))
            ],
        )


def _cells_of(session: Session, where: ColumnElement[bool]) -> set[Cell]:
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


def _recompute_cells(session: Session, cells: set[Cell]) -> None:
    if not cells:
        return
    ordered = sorted(cells, key=repr)
    for start in range(0, len(ordered), 50):
        chunk = set(ordered[start : start + 50])
        session.execute(
            delete(InsightCriterionMonth).where(_cell_condition(InsightCriterionMonth, chunk))
        )
        session.execute(_aggregate_insert(_cell_condition(InsightAnswerFact, chunk)))
        session.execute(delete(InsightAuditMonth).where(_cell_condition(InsightAuditMonth, chunk)))
        session.execute(_audit_month_insert(_cell_condition(InsightAuditFact, chunk)))


GROUP_COLUMNS = (*CELL_COLUMNS, "section_key", "criterion_key", "lineage_key", "is_judgement")


def _aggregate_insert(where: ColumnElement[bool] | None):
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


def _audit_month_insert(where: ColumnElement[bool] | None):
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
