"""Moderating an audit: taking it, the blind overall judgement, drafting decisions on each
grade, and completing it with the moderated grades beside the auditor's.

Each step writes to the event log (grades, never written text) and the views commit. Completing
calls ``audit_changed``: it changes reported figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from qa_app.audit_changes import audit_changed
from qa_app.audits.operations import record_event, stored_responses
from qa_app.audits.responses import OVERALL, Response
from qa_app.audits.scoring import score_audit
from qa_app.base_model import utcnow
from qa_app.models import Answer, AuditStatus, ModerationGrade, ModerationSelection, User
from qa_app.moderation.access import may_moderate, wrote_audit
from qa_app.moderation.drawing import WAITING
from qa_app.moderation.items import GradedItem, graded_items
from qa_app.moderation.problems import ModerationConflict, ModerationProblem

REASON_MAX = 5000


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


def _definition(selection: ModerationSelection):
    return selection.audit.template_version.definition


def _flush(session: Session, selection: ModerationSelection) -> None:
    selection.updated_at = utcnow()  # bumps lock_version: every save is seen by others
    try:
        session.flush()
    except StaleDataError as error:
        raise ModerationConflict() from error
