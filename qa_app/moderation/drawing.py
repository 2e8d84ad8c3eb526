"""Choosing audits for moderation: each round's rule, seeded draws and picking by hand.

Each change writes to the event log; the views commit.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.follow_up.working_days import add_working_days, date_in_england
from qa_app.models import (
    REPORTED_STATUSES,
    Audit,
    AuditStatus,
    ModerationDraw,
    ModerationRule,
    ModerationSelection,
    SelectionReason,
    User,
)
from qa_app.moderation.problems import ModerationProblem
from qa_app.sampling.moderation_draw import ModerationShare, SubmittedAudit, draw_for_moderation

WAITING = (AuditStatus.SUBMITTED.value, AuditStatus.RESUBMITTED.value)


def rule_for(session: Session, round_id: int | None) -> ModerationRule:
    """Return the rule of a round (or of audits outside rounds), a default one if none is set."""
    rule = session.scalar(
        select(ModerationRule).where(
            ModerationRule.round_id.is_(None)
            if round_id is None
            else ModerationRule.round_id == round_id
        )
    )
    if rule is None:
        rule = ModerationRule(round_id=round_id)
        # Column defaults apply on insert; an unsaved default rule must read the same.
        for column in ModerationRule.__table__.columns:
            if getattr(rule, column.key) is None and column.default is not None:
                default = column.default.arg
                setattr(rule, column.key, default(None) if callable(default) else default)
        rule.round_id = round_id
    return rule


def save_rule(
    session: Session,
    round_id: int | None,
    actor: User,
    *,
    percent: float,
    minimum_per_auditor: int,
    always_judgements: list[str],
    blind: bool,
    due_working_days: int,
) -> ModerationRule:
    """Set the moderation rule of a round (or of audits outside rounds) and return it."""
    if not 0 < percent <= 100:
        raise ModerationProblem("The percentage must be more than 0 and at most 100")
    if minimum_per_auditor < 0 or due_working_days < 1:
        raise ModerationProblem("Enter whole numbers of at least 0 and 1 day")
    rule = rule_for(session, round_id)
    rule.percent, rule.minimum_per_auditor = percent, minimum_per_auditor
    rule.always_judgements = sorted(always_judgements)
    rule.blind, rule.due_working_days = blind, due_working_days
    rule.updated_by_id = actor.id
    session.add(rule)
    session.flush()
    record_event(
        session,
        "moderation_rule_set",
        actor,
        round_id=round_id,
        percent=percent,
        minimum_per_auditor=minimum_per_auditor,
        always_judgements=rule.always_judgements,
        blind=blind,
        due_working_days=due_working_days,
    )
    return rule


def draw(
    session: Session,
    round_id: int | None,
    actor: User | None,
    *,
    seed: int | None = None,
    percent: float | None = None,
) -> ModerationDraw:
    """Draw submitted audits of the round (or outside rounds) for moderation; return the draw.

    The seed is recorded (a random one when not given), so the same audits give the same draw.
    """
    rule = rule_for(session, round_id)
    share = ModerationShare(
        percent=rule.percent if percent is None else percent,
        minimum_per_auditor=rule.minimum_per_auditor,
        always_judgements=tuple(rule.always_judgements),
    )
    if not 0 < share.percent <= 100:
        raise ModerationProblem("The percentage must be more than 0 and at most 100")
    seed = secrets.randbelow(2**31) if seed is None else seed
    in_scope = Audit.round_id.is_(None) if round_id is None else Audit.round_id == round_id
    rows = session.execute(
        select(
            Audit.id,
            Audit.auditor_id,
            Audit.overall_judgement,
            ModerationSelection.id.is_not(None),
        )
        .outerjoin(ModerationSelection, ModerationSelection.audit_id == Audit.id)
        .where(in_scope, Audit.status.in_(REPORTED_STATUSES))
    )
    audits = [SubmittedAudit(a, b, c, bool(d)) for a, b, c, d in rows]
    drawn = draw_for_moderation(audits, share, seed)
    record = ModerationDraw(
        round_id=round_id,
        seed=seed,
        rule={
            "percent": share.percent,
            "minimum_per_auditor": share.minimum_per_auditor,
            "always_judgements": list(share.always_judgements),
            "blind": rule.blind,
        },
        selected=len(drawn),
        drawn_by_id=actor.id if actor else None,
        drawn_at=utcnow(),
    )
    session.add(record)
    session.flush()
    submitted = dict(
        session.execute(
            select(Audit.id, Audit.submitted_at).where(Audit.id.in_([d.audit_id for d in drawn]))
        ).all()
    )
    for item in drawn:
        session.add(
            _selection(
                item.audit_id,
                submitted.get(item.audit_id),
                rule,
                reason=item.reason,
                draw_id=record.id,
                actor=actor,
            )
        )
    session.flush()
    record_event(
        session,
        "moderation_drawn",
        actor,
        draw_id=record.id,
        round_id=round_id,
        seed=seed,
        selected=len(drawn),
    )
    return record


def _selection(audit_id, submitted_at, rule, *, reason, draw_id=None, actor=None):
    now = utcnow()
    return ModerationSelection(
        audit_id=audit_id,
        draw_id=draw_id,
        reason=reason,
        selected_by_id=actor.id if actor else None,
        selected_at=now,
        due_date=date_in_england(add_working_days(submitted_at or now, rule.due_working_days)),
        blind=rule.blind,
    )


def select_by_hand(session: Session, audit: Audit, actor: User) -> ModerationSelection:
    """Put a submitted audit in the moderation queue and return its selection."""
    if audit.status not in WAITING:
        raise ModerationProblem("Only a submitted audit can be picked for moderation")
    existing = selection_of(session, audit)
    if existing is not None:
        raise ModerationProblem("This audit is already in the moderation queue")
    selection = _selection(
        audit.id,
        audit.submitted_at,
        rule_for(session, audit.round_id),
        reason=SelectionReason.BY_HAND,
        actor=actor,
    )
    session.add(selection)
    session.flush()
    record_event(session, "moderation_selected", actor, audit, reason=SelectionReason.BY_HAND)
    return selection


def selection_of(session: Session, audit: Audit) -> ModerationSelection | None:
    """Return the audit's place in moderation, or None when it was never chosen."""
    return session.scalar(
        select(ModerationSelection).where(ModerationSelection.audit_id == audit.id)
    )
