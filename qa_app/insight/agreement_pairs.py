"""The agreement pair rollup: moderated answers' (auditor grade, moderator grade) pairs counted by
moderation month (UTC), round, template version, auditor and criterion.

The Moderation page's agreement figures sum these counts instead of grouping every moderated
answer. ``refresh_agreement_pairs`` runs with the rest of the insight rollup in the transaction
that changed an audit and recounts the (auditor, month) cells the audit left and joined (a few
dozen audits each; the audit facts' ``moderated_month`` says which it left);
``rebuild_agreement_pairs`` refills the table. Both use the same INSERT ... SELECT, reading
the month from the audit facts (``utc_month`` of the moderation time), so they run after them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from qa_app.display import as_utc
from qa_app.models import AgreementPairMonth, Answer, Audit, AuditStatus, InsightAuditFact
from qa_app.template_format.definition import NOT_APPLICABLE

# Only moderated and closed audits with a moderated overall judgement count towards agreement.
PAIR_STATUSES = (AuditStatus.MODERATED.value, AuditStatus.CLOSED.value)


def moderated_audit_conditions() -> list[ColumnElement[bool]]:
    """The audits whose grades count towards agreement."""
    return [Audit.status.in_(PAIR_STATUSES), Audit.moderated_overall_judgement.is_not(None)]


def moderated_answer_conditions() -> list[ColumnElement[bool]]:
    """The answers of those audits that form a pair: moderated, and not N/A (nor empty)."""
    return [Answer.moderated_value.is_not(None), Answer.value != NOT_APPLICABLE]


GROUPS = (
    "month",
    "round_id",
    "template_version_id",
    "auditor_id",
    "criterion_key",
    "auditor_value",
    "moderated_value",
)


def pair_month_insert(where: ColumnElement[bool] | None):
    """Return the INSERT ... SELECT counting the pairs of the moderated audits ``where`` picks
    (the month each was moderated read from its audit fact, so call after the facts)."""
    groups = (
        InsightAuditFact.moderated_month,
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
        .join(InsightAuditFact, InsightAuditFact.audit_id == Audit.id)
        .where(*moderated_audit_conditions(), *moderated_answer_conditions())
        .group_by(*groups)
    )
    if where is not None:
        query = query.where(where)
    return insert(AgreementPairMonth).from_select([*GROUPS, "pairs"], query)


def utc_month(moment: datetime) -> date:
    """The first day of the UTC month of a moderation time (``moderated_month`` in Python)."""
    moment = as_utc(moment)
    return date(moment.year, moment.month, 1)


# (auditor id, first day of the UTC month of moderation, or None): where an audit's pairs count.
PairCell = tuple[int, date | None]


def pair_cells_of(session: Session, audit_ids: Sequence[int]) -> set[PairCell]:
    """Return the cells these audits' facts place them in (call before replacing the facts,
    for the cells they leave, and after, for the cells they join)."""
    fact = InsightAuditFact
    rows = session.execute(
        select(fact.auditor_id, fact.moderated_month).where(fact.audit_id.in_(audit_ids))
    )
    return {tuple(row) for row in rows}


def refresh_agreement_pairs(session: Session, cells: set[PairCell]) -> None:
    """Recount the pairs of each (auditor, month) cell (call after a flush)."""
    months_of: dict[int, set[date | None]] = defaultdict(set)
    for auditor_id, month in cells:
        months_of[auditor_id].add(month)
    pair, fact = AgreementPairMonth, InsightAuditFact
    for auditor_id, months in sorted(months_of.items()):
        dated = sorted(m for m in months if m is not None)
        in_rollup = [pair.month.in_(dated)] if dated else []
        in_facts = [fact.moderated_month.in_(dated)] if dated else []
        if None in months:
            in_rollup.append(pair.month.is_(None))
            in_facts.append(fact.moderated_month.is_(None))
        session.execute(delete(pair).where(pair.auditor_id == auditor_id, or_(*in_rollup)))
        session.execute(pair_month_insert(and_(Audit.auditor_id == auditor_id, or_(*in_facts))))


def rebuild_agreement_pairs(session: Session) -> int:
    """Empty and refill the pair counts from every moderated audit; return how many rows."""
    session.execute(delete(AgreementPairMonth))
    session.execute(pair_month_insert(None))
    return session.scalar(select(func.count(AgreementPairMonth.id))) or 0
