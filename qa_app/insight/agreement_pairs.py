"""The agreement pair rollup: moderated answers' (auditor grade, moderator grade) pairs counted by
moderation month (UTC), round, template version, auditor and criterion.

The Moderation page's agreement figures sum these counts instead of grouping every moderated
answer. ``refresh_agreement_pairs`` runs with the rest of the insight rollup in the transaction
that changed an audit and recomputes every row of that audit's auditor (a few dozen audits a
month); ``rebuild_agreement_pairs`` refills the table. Both use the same INSERT ... SELECT.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.orm import Session

from qa_app.models import AgreementPairMonth, Answer, Audit, AuditStatus
from qa_app.template_format.definition import NOT_APPLICABLE

# Only moderated and closed audits with a moderated overall judgement count towards agreement.
PAIR_STATUSES = (AuditStatus.MODERATED.value, AuditStatus.CLOSED.value)


def moderated_audit_conditions() -> list[ColumnElement[bool]]:
    """The audits whose grades count towards agreement."""
    return [Audit.status.in_(PAIR_STATUSES), Audit.moderated_overall_judgement.is_not(None)]


def moderated_answer_conditions() -> list[ColumnElement[bool]]:
    """The answers of those audits that form a pair: moderated, and not N/A (nor empty)."""
    return [Answer.moderated_value.is_not(None), Answer.value != NOT_APPLICABLE]


def moderated_month(column, dialect: str):
    """The first day of the UTC month of a moderation time, as a date, in SQL."""
    if dialect == "postgresql":
        return func.date(func.date_trunc("month", func.timezone("UTC", column)))
    return func.date(column, "start of month")


GROUPS = (
    "month",
    "round_id",
    "template_version_id",
    "auditor_id",
    "criterion_key",
    "auditor_value",
    "moderated_value",
)


def pair_month_insert(dialect: str, where: ColumnElement[bool] | None):
    """Return the INSERT ... SELECT counting the pairs of the moderated audits ``where`` picks."""
    month = moderated_month(Audit.moderated_at, dialect)
    groups = (
        month,
        Audit.round_id,
        Audit.template_version_id,
        Audit.auditor_id,
        Answer.criterion_key,
        Answer.value,
        Answer.moderated_value,
    )
    query = (
        select(*groups, func.count(Answer.id))
        .select_from(Answer)
        .join(Audit, Audit.id == Answer.audit_id)
        .where(*moderated_audit_conditions(), *moderated_answer_conditions())
        .group_by(*groups)
    )
    if where is not None:
        query = query.where(where)
    return insert(AgreementPairMonth).from_select([*GROUPS, "pairs"], query)


def refresh_agreement_pairs(session: Session, audit_ids: Sequence[int]) -> None:
    """Recompute the pair counts of the auditors of these audits (call after a flush)."""
    auditors = sorted(
        set(session.scalars(select(Audit.auditor_id).where(Audit.id.in_(audit_ids))).all())
    )
    if not auditors:
        return
    session.execute(delete(AgreementPairMonth).where(AgreementPairMonth.auditor_id.in_(auditors)))
    session.execute(
        pair_month_insert(_dialect(session), Audit.auditor_id.in_(auditors)),
    )


def rebuild_agreement_pairs(session: Session) -> int:
    """Empty and refill the pair counts from every moderated audit; return how many rows."""
    session.execute(delete(AgreementPairMonth))
    session.execute(pair_month_insert(_dialect(session), None))
    return session.scalar(select(func.count(AgreementPairMonth.id))) or 0


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name
