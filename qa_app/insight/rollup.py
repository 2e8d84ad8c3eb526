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

from sqlalchemy import ColumnElement, and_, case, delete, func, insert, literal, select
from sqlalchemy.orm import Session

from qa_app.display import ENGLAND, as_utc
from qa_app.insight.aggregates import (
    CELL_COLUMNS,
    audit_month_insert,
    cells_of,
    criterion_month_insert,
    recompute_cells,
)
from qa_app.insight.agreement_pairs import (
    pair_cells_of,
    rebuild_agreement_pairs,
    refresh_agreement_pairs,
    utc_month,
)
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
    old_cells = cells_of(session, InsightAuditFact.audit_id.in_(ids))
    old_pair_cells = pair_cells_of(session, ids)
    session.execute(delete(InsightAnswerFact).where(InsightAnswerFact.audit_id.in_(ids)))
    session.execute(delete(InsightAuditFact).where(InsightAuditFact.audit_id.in_(ids)))
    versions = _insert_audit_facts(session, Audit.id.in_(ids))
    definitions = definitions_for(session, versions)
    for version_id, definition in definitions.items():
        _insert_answer_facts(session, version_id, definition, Answer.audit_id.in_(ids))
        _ensure_findings(session, definition)
    new_cells = cells_of(session, InsightAuditFact.audit_id.in_(ids))
    recompute_cells(session, old_cells | new_cells)
    refresh_agreement_pairs(session, old_pair_cells | pair_cells_of(session, ids))


# --- the full rebuild --------------------------------------------------------------------------


@dataclass(frozen=True)
class RebuildCounts:
    audits: int
    answers: int
    cells: int
    audit_cells: int = 0
    agreement_pairs: int = 0


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
    session.execute(criterion_month_insert(None))
    session.execute(audit_month_insert(None))
    pairs = rebuild_agreement_pairs(session)
    return RebuildCounts(
        audits=_count(session, InsightAuditFact.audit_id),
        answers=_count(session, InsightAnswerFact.id),
        cells=_count(session, InsightCriterionMonth.id),
        audit_cells=_count(session, InsightAuditMonth.id),
        agreement_pairs=pairs,
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
                "moderated_month": None
                if row.moderated_at is None
                else utc_month(row.moderated_at),
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
