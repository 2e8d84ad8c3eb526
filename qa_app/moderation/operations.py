"""Changes in moderation: rules, draws, taking an audit, drafting grades, completing, closing,
and the auditor's response. Each writes to the event log (grades, never written text) and the
views commit. Completing and closing call ``audit_changed``: they change reported figures.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.audit_changes import audit_changed, on_audit_changed
from qa_app.audits.operations import record_event, stored_responses
from qa_app.audits.responses import OVERALL, Response
from qa_app.audits.scoring import score_audit
from qa_app.base_model import utcnow
from qa_app.follow_up.working_days import add_working_days, date_in_england
from qa_app.models import (
    REPORTED_STATUSES,
    Answer,
    Audit,
    AuditStatus,
    ModerationDraw,
    ModerationGrade,
    ModerationResponse,
    ModerationRule,
    ModerationSelection,
    SelectionReason,
    User,
)
from qa_app.moderation.access import may_moderate, wrote_audit
from qa_app.moderation.items import GradedItem, graded_items
from qa_app.sampling.moderation_draw import ModerationShare, SubmittedAudit, draw_for_moderation

WAITING = (AuditStatus.SUBMITTED.value, AuditStatus.RESUBMITTED.value)
REASON_MAX = 5000


class ModerationProblem(ValueError):
    """The moderation step cannot be done now; the message says why, for the user."""


class ModerationConflict(Exception):
    """Someone saved this moderation after this copy of it was opened."""


@dataclass(frozen=True)
class Decision:
    """A moderator's decision on one item as typed: agree (value None), or a grade and why."""

    agrees: bool | None
    value: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class GradeProblem:
    key: str
    message: str


# --- rules and draws ------------------------------------------------------------------------


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


# --- moderating -----------------------------------------------------------------------------


def take(
    session: Session, selection: ModerationSelection, moderator: User, *, by: User | None = None
) -> None:
    """Give the audit to a moderator (themselves, or assigned by a QA lead ``by``)."""
    audit = selection.audit
    if not may_moderate(session, moderator, audit):
        raise ModerationProblem(
            "You cannot moderate an audit you wrote"
            if wrote_audit(session, moderator, audit)
            else "This moderator cannot moderate this audit"
        )
    if audit.status not in WAITING:
        raise ModerationProblem("This audit is not waiting for moderation")
    selection.moderator_id = moderator.id
    selection.taken_at = utcnow()
    audit.status = AuditStatus.IN_MODERATION.value
    _flush(session, selection)
    record_event(
        session,
        "moderation_taken",
        by or moderator,
        audit,
        moderator_id=moderator.id,
        assigned=by is not None,
    )
    if by is not None:
        from qa_app.notifications.outbox import queue_email

        queue_email(session, "moderation_assigned", [moderator.id], audit.id)


def _check_moderator(selection: ModerationSelection, moderator: User) -> None:
    if selection.audit.status != AuditStatus.IN_MODERATION.value:
        raise ModerationProblem("This audit is not in moderation")
    if selection.moderator_id != moderator.id:
        raise ModerationProblem("Another moderator has taken this audit")


def commit_blind_overall(
    session: Session, selection: ModerationSelection, moderator: User, value: str
) -> None:
    """Record the moderator's own overall judgement before they see the auditor's."""
    _check_moderator(selection, moderator)
    if not selection.blind or selection.blind_committed_at is not None:
        raise ModerationProblem("The overall judgement has already been committed")
    definition = selection.audit.template_version.definition
    if definition.scale(definition.overall.scale).option(value) is None:
        raise ModerationProblem("Select your overall judgement")
    selection.blind_overall = value
    selection.blind_committed_at = utcnow()
    _flush(session, selection)
    record_event(session, "moderation_blind_committed", moderator, selection.audit, overall=value)


def save_grades(
    session: Session,
    selection: ModerationSelection,
    moderator: User,
    decisions: dict[str, Decision],
    *,
    expected_version: int,
) -> list[GradeProblem]:
    """Save the moderator's decisions as typed (a draft) and return what needs correcting.

    Raises ModerationConflict when someone saved since ``expected_version`` was read.
    """
    _check_moderator(selection, moderator)
    if selection.lock_version != expected_version:
        raise ModerationConflict()
    items = {item.key: item for item in graded_items(selection.audit, _definition(selection))}
    existing = {grade.criterion_key: grade for grade in selection.grades}
    for key, decision in decisions.items():
        item = items.get(key)
        if item is None or decision.agrees is None:
            continue
        if key == OVERALL and selection.blind:
            decision = _blind_overall_decision(selection, item, decision)
        grade = existing.get(key)
        if grade is None:
            grade = ModerationGrade(criterion_key=key, agrees=True)
            selection.grades.append(grade)
        grade.agrees = decision.agrees
        grade.value = None if decision.agrees else decision.value
        grade.reason = decision.reason.strip() or None
    selection.updated_at = utcnow()
    _flush(session, selection)
    return [p for p in grade_problems(selection, items.values()) if p.key in decisions]


def _blind_overall_decision(
    selection: ModerationSelection, item: GradedItem, decision: Decision
) -> Decision:
    """In blind mode the committed overall judgement stands: only the reason can be typed."""
    committed = selection.blind_overall
    agrees = committed == item.auditor_value
    return Decision(agrees, None if agrees else committed, decision.reason)


def grade_problems(
    selection: ModerationSelection, items: list[GradedItem] | None = None
) -> list[GradeProblem]:
    """Return each item still undecided, or changed without a valid grade and reason."""
    items = (
        list(items) if items is not None else graded_items(selection.audit, _definition(selection))
    )
    grades = {grade.criterion_key: grade for grade in selection.grades}
    problems = []
    for item in items:
        grade = grades.get(item.key)
        if grade is None:
            problems.append(
                GradeProblem(item.key, f"Agree or give your grade for ‘{item.question}’")
            )
        elif not grade.agrees and item.scale.option(grade.value or "") is None:
            problems.append(GradeProblem(item.key, f"Select your grade for ‘{item.question}’"))
        elif not grade.agrees and grade.value == item.auditor_value:
            problems.append(
                GradeProblem(item.key, f"Choose agree, or a different grade, for ‘{item.question}’")
            )
        elif not grade.agrees and not grade.reason:
            problems.append(
                GradeProblem(
                    item.key, f"Enter your reason for changing the grade of ‘{item.question}’"
                )
            )
        elif grade.reason and len(grade.reason) > REASON_MAX:
            problems.append(
                GradeProblem(item.key, f"The reason must be {REASON_MAX} characters or fewer")
            )
    return problems


def complete(
    session: Session, selection: ModerationSelection, moderator: User, *, expected_version: int
) -> list[GradeProblem]:
    """Finish the moderation when every item is decided: write the moderated grades beside the
    auditor's (agreed ones copied too) and the moderated overall judgement and score.

    Returns the problems instead when something is undecided; nothing is written then.
    """
    _check_moderator(selection, moderator)
    if selection.lock_version != expected_version:
        raise ModerationConflict()
    audit = selection.audit
    definition = _definition(selection)
    items = graded_items(audit, definition)
    problems = grade_problems(selection, items)
    if problems:
        return problems
    grades = {grade.criterion_key: grade for grade in selection.grades}
    final = {
        item.key: (item.auditor_value if grades[item.key].agrees else grades[item.key].value)
        for item in items
    }
    responses, _ = stored_responses(audit, definition)
    for key, value in final.items():
        responses[key] = Response(value, responses.get(key, Response()).rationale)
    score = score_audit(definition, responses)
    answers: dict[str, Answer] = {answer.criterion_key: answer for answer in audit.answers}
    changes = []
    for item in items:
        if item.key == OVERALL:
            continue
        answer = answers[item.key]
        answer.moderated_value = final[item.key]
        answer.moderated_score = score.answers.get(item.key, answer.score)
        if not grades[item.key].agrees:
            changes.append(
                {"criterion": item.key, "old": item.auditor_value, "new": final[item.key]}
            )
    now = utcnow()
    audit.moderated_overall_judgement = final.get(OVERALL, audit.overall_judgement)
    if OVERALL in grades and not grades[OVERALL].agrees:
        changes.append(
            {"criterion": OVERALL, "old": audit.overall_judgement, "new": final[OVERALL]}
        )
    audit.moderated_score = score.overall
    audit.moderator_id = moderator.id
    audit.moderated_at = now
    audit.status = AuditStatus.MODERATED.value
    selection.completed_at = now
    _flush(session, selection)
    record_event(
        session,
        "audit_moderated",
        moderator,
        audit,
        agreed=len(items) - len(changes),
        changes=changes,
        score=audit.moderated_score,
    )
    audit_changed(session, audit.id, "moderated")
    return []


def close(session: Session, audit: Audit, actor: User) -> None:
    """Sign a moderated audit off: its moderator, a QA lead or an admin may."""
    from qa_app.models import Role

    if audit.status != AuditStatus.MODERATED.value:
        raise ModerationProblem("Only a moderated audit can be closed")
    if wrote_audit(session, actor, audit):
        raise ModerationProblem("You cannot close an audit you wrote")
    if audit.moderator_id != actor.id and not actor.has_role(Role.QA_LEAD, Role.ADMIN):
        raise ModerationProblem("Only the moderator or a QA lead can close this audit")
    audit.status = AuditStatus.CLOSED.value
    audit.closed_at = utcnow()
    audit.updated_at = audit.closed_at
    session.flush()
    record_event(session, "audit_closed", actor, audit)
    audit_changed(session, audit.id, "closed")


def respond(
    session: Session, audit: Audit, auditor: User, agrees: bool, comment: str
) -> ModerationResponse:
    """Keep the auditor's response to the moderation of their audit (one per audit)."""
    if audit.auditor_id != auditor.id:
        raise ModerationProblem("Only the audit's auditor can respond to its moderation")
    if audit.status not in (AuditStatus.MODERATED.value, AuditStatus.CLOSED.value):
        raise ModerationProblem("The audit has not been moderated yet")
    if session.scalar(select(ModerationResponse.id).where(ModerationResponse.audit_id == audit.id)):
        raise ModerationProblem("You have already responded to this moderation")
    comment = comment.strip()
    if not agrees and not comment:
        raise ModerationProblem("Enter why you disagree with the moderation")
    response = ModerationResponse(
        audit_id=audit.id, author_id=auditor.id, agrees=agrees, comment=comment or None
    )
    session.add(response)
    session.flush()
    record_event(session, "moderation_responded", auditor, audit, agrees=agrees)
    return response


def _definition(selection: ModerationSelection):
    return selection.audit.template_version.definition


def _flush(session: Session, selection: ModerationSelection) -> None:
    selection.updated_at = utcnow()  # bumps lock_version: every save is seen by others
    try:
        session.flush()
    except StaleDataError as error:
        raise ModerationConflict() from error


def _end_moderation_on_return(session: Session, audit_id: int, change: str) -> None:
    """Returning an audit ends its moderation: the draft is discarded and it waits again."""
    if change != "returned":
        return
    selection = session.scalar(
        select(ModerationSelection).where(ModerationSelection.audit_id == audit_id)
    )
    if selection is None:
        return
    selection.grades.clear()
    selection.moderator_id = None
    selection.taken_at = None
    selection.blind_overall = None
    selection.blind_committed_at = None
    session.flush()


def register() -> None:
    """Listen for audit changes (called once per app)."""
    on_audit_changed("moderation", _end_moderation_on_return)
