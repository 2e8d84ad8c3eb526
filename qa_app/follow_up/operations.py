"""Changes to actions and safeguarding concerns. Each writes to the event log.

Views call these functions and commit; nothing here knows about requests or forms. Free text
(what must happen, the concern, the response) is never copied into the event log: the log says
that it changed, or how long it is, so the log does not become a second store of case details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from qa_app.audits.operations import record_event
from qa_app.base_model import utcnow
from qa_app.follow_up.working_days import add_working_days, as_utc, date_in_england
from qa_app.models import (
    Action,
    ActionPriority,
    ActionScope,
    ActionStatus,
    Audit,
    SafeguardingConcern,
    User,
)
from qa_app.notifications.outbox import queue_concern_email

# How many working days the team's managers have to respond to a safeguarding concern.
CONCERN_RESPONSE_WORKING_DAYS = 1


class FollowUpProblem(ValueError):
    """The change cannot be made as asked; the message says why."""


class ConcernAlreadyAcknowledged(Exception):
    """Another manager acknowledged the concern first."""


@dataclass(frozen=True)
class ActionDetails:
    """What an action says, as entered."""

    description: str
    owner_user_id: int | None
    owner_role: str | None
    due_date: date
    priority: str
    scope: str

    def checked(self) -> ActionDetails:
        """Return the details tidied, or raise FollowUpProblem when they break a rule."""
        description = self.description.strip()
        role = (self.owner_role or "").strip() or None
        if not description:
            raise FollowUpProblem("An action needs a description of what must happen")
        if (self.owner_user_id is None) == (role is None):
            raise FollowUpProblem("An action needs exactly one owner: a person or a role")
        if self.priority not in {p.value for p in ActionPriority}:
            raise FollowUpProblem(f"Unknown priority {self.priority!r}")
        if self.scope not in {s.value for s in ActionScope}:
            raise FollowUpProblem(f"Unknown scope {self.scope!r}")
        return ActionDetails(
            description, self.owner_user_id, role, self.due_date, self.priority, self.scope
        )


# The fields compared and logged when an action changes. The description and the owner's role
# are typed text, so they are logged as changed or not, never as text.
_LOGGED_FIELDS = ("owner_user_id", "due_date", "priority", "scope")
_TEXT_FIELDS = ("description", "owner_role")


def add_action(
    session: Session, audit: Audit, actor: User, details: ActionDetails, *, today: date
) -> Action:
    """Return a new open action on the audit. Its due date may not be before ``today``."""
    details = details.checked()
    if details.due_date < today:
        raise FollowUpProblem("The due date must be today or in the future")
    action = Action(
        audit_id=audit.id,
        description=details.description,
        owner_user_id=details.owner_user_id,
        owner_role=details.owner_role,
        due_date=details.due_date,
        priority=details.priority,
        scope=details.scope,
        status=ActionStatus.OPEN.value,
        created_by_id=actor.id,
    )
    session.add(action)
    session.flush()
    fields = {name: _loggable(getattr(details, name)) for name in _LOGGED_FIELDS}
    record_event(
        session,
        "action_added",
        actor,
        audit,
        action_id=action.id,
        description_length=len(details.description),
        owner_role_given=details.owner_role is not None,
        **fields,
    )
    return action


def change_action(
    session: Session, action: Action, actor: User, details: ActionDetails, *, today: date
) -> list[dict[str, object]]:
    """Apply the details to the action; return what changed (nothing is logged when nothing did).

    A new due date may not be before ``today``; an unchanged one may (the action is overdue).
    """
    details = details.checked()
    if details.due_date != action.due_date and details.due_date < today:
        raise FollowUpProblem("The due date must be today or in the future")
    changes: list[dict[str, object]] = []
    for name in _TEXT_FIELDS:
        if getattr(details, name) != getattr(action, name):
            changes.append({"field": name, "changed": True})
            setattr(action, name, getattr(details, name))
    for name in _LOGGED_FIELDS:
        old, new = getattr(action, name), getattr(details, name)
        if old != new:
            changes.append({"field": name, "old": _loggable(old), "new": _loggable(new)})
            setattr(action, name, new)
    if changes:
        action.updated_at = utcnow()
        session.flush()
        record_event(
            session, "action_changed", actor, action.audit, action_id=action.id, changes=changes
        )
    return changes


def complete_action(
    session: Session, action: Action, actor: User, *, now: datetime | None = None
) -> bool:
    """Mark the action done; return False when it already was."""
    if action.status == ActionStatus.DONE.value:
        return False
    action.status = ActionStatus.DONE.value
    action.completed_at = now or utcnow()
    action.updated_at = utcnow()
    session.flush()
    record_event(
        session,
        "action_completed",
        actor,
        action.audit,
        action_id=action.id,
        due_date=action.due_date.isoformat(),
        completed_late=date_in_england(action.completed_at) > action.due_date,
    )
    return True


def reopen_action(session: Session, action: Action, actor: User) -> bool:
    """Open a done action again; return False when it was already open."""
    if action.status == ActionStatus.OPEN.value:
        return False
    action.status = ActionStatus.OPEN.value
    action.completed_at = None
    action.updated_at = utcnow()
    session.flush()
    record_event(session, "action_reopened", actor, action.audit, action_id=action.id)
    return True


def raise_concern(
    session: Session, audit: Audit, actor: User, description: str, *, now: datetime | None = None
) -> SafeguardingConcern:
    """Return a new safeguarding concern about the audit's case, routed to the case's team.

    The team's managers must respond within one working day: by the same time on the next
    working day in England.
    """
    description = description.strip()
    if not description:
        raise FollowUpProblem("A safeguarding concern needs a description")
    raised_at = now or utcnow()
    case = audit.case
    concern = SafeguardingConcern(
        audit_id=audit.id,
        case_id=case.id,
        team_id=case.team_id,
        raised_by_id=actor.id,
        description=description,
        raised_at=raised_at,
        respond_by=add_working_days(raised_at, CONCERN_RESPONSE_WORKING_DAYS),
    )
    session.add(concern)
    session.flush()
    record_event(
        session,
        "concern_raised",
        actor,
        audit,
        concern_id=concern.id,
        case_id=case.id,  # the id, not the reference: the log outlives the reference's retention
        team_id=case.team_id,
        respond_by=as_utc(concern.respond_by).isoformat(),
        description_length=len(description),
    )
    queue_concern_email(session, concern)  # sent once the concern is committed
    return concern


def acknowledge_concern(
    session: Session,
    concern: SafeguardingConcern,
    actor: User,
    response: str,
    *,
    now: datetime | None = None,
) -> SafeguardingConcern:
    """Record what was done about the concern; return it, acknowledged.

    Raises ConcernAlreadyAcknowledged when someone acknowledged it first: the update only
    applies to a concern that is still open, so two managers never overwrite each other.
    """
    response = response.strip()
    if not response:
        raise FollowUpProblem("Enter what was done about this concern")
    at = now or utcnow()
    result = session.execute(
        update(SafeguardingConcern)
        .where(SafeguardingConcern.id == concern.id, SafeguardingConcern.acknowledged_at.is_(None))
        .values(acknowledged_by_id=actor.id, acknowledged_at=at, response=response, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise ConcernAlreadyAcknowledged()
    session.refresh(concern)
    record_event(
        session,
        "concern_acknowledged",
        actor,
        concern.audit,
        concern_id=concern.id,
        response_length=len(response),
        responded_late=as_utc(at) > as_utc(concern.respond_by),
    )
    return concern


def _loggable(value: object) -> object:
    """Return the value in a form the JSON event log can hold."""
    return value.isoformat() if isinstance(value, date) else value
