"""Moderating demo audits through the same operations as the pages, for the demo seed.

``record_demo_moderation`` picks a submitted audit by hand (unless a draw chose it), gives it to
the moderator, agrees with every grade except those in ``changes`` (re-graded with a synthetic
reason), completes the moderation, and optionally records the auditor's response and closes it.
The caller commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from qa_app.models import Audit, User
from qa_app.moderation import closing, drawing, grading
from qa_app.moderation.items import GradedItem, graded_items
from qa_app.moderation.problems import ModerationProblem

DEMO_REASON = "Synthetic demo reason: the record does not evidence this grade."


def record_demo_moderation(
    session: Session,
    audit: Audit,
    moderator: User,
    changes: dict[str, str] | None = None,
    *,
    response: bool | None = None,
    close: bool = False,
) -> None:
    """Moderate the audit: ``changes`` maps graded item keys ("overall", a criterion key or
    "<section>.judgement") to the moderator's grade; every other grade is agreed."""
    changes = changes or {}
    selection = drawing.selection_of(session, audit) or drawing.select_by_hand(
        session, audit, moderator
    )
    grading.take(session, selection, moderator)
    if selection.blind:
        grading.commit_blind_overall(
            session, selection, moderator, changes.get("overall", audit.overall_judgement)
        )
    decisions = {
        item.key: (
            grading.Decision(False, changes[item.key], DEMO_REASON)
            if item.key in changes and changes[item.key] != item.auditor_value
            else grading.Decision(True)
        )
        for item in graded_items(audit, audit.template_version.definition)
    }
    grading.save_grades(
        session, selection, moderator, decisions, expected_version=selection.lock_version
    )
    problems = grading.complete(
        session, selection, moderator, expected_version=selection.lock_version
    )
    if problems:
        raise ModerationProblem(problems[0].message)
    if response is not None:
        closing.respond(
            session,
            audit,
            audit.auditor,
            response,
            "" if response else "Synthetic demo response: the plan was reviewed on time.",
        )
    if close:
        closing.close(session, audit, moderator)


def step_grade(item: GradedItem, steps: int) -> str:
    """Return the grade ``steps`` places from the auditor's on the item's scale (positive:
    worse), kept on the scale: for demo re-grades by one or two steps."""
    values = [option.value for option in item.scale.options]
    index = values.index(item.auditor_value) + steps
    return values[max(0, min(index, len(values) - 1))]
